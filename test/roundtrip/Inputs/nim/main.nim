# A multi-module Nim program for the round-trip tests.
import std/[strutils, tables]
import inventory

var log: seq[string]

proc record(msg: string) =
  log.add(msg)

for name in ["apple", "pear", "apple", "plum", "apple"]:
  addItem(name)
  record("added " & name)

echo "items: ", itemCount(), ", distinct: ", distinctItems()
echo "apples: ", countOf("apple"), ", top: ", topItem()
echo log.join("; ")
echo "report: ", report().toUpperAscii()
