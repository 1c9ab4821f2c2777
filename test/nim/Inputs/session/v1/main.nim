# The host of the Nim reload scenarios: commands on stdin, "ok" after each.
import std/strutils
import hotcodereloading
import app

var line: string
while stdin.readLine(line):
  case line.strip()
  of "show": echo show()
  of "tick": tick()
  of "reload":
    let changed = hasAnyModuleChanged()
    performCodeReload()
    echo "main: reloaded (changed: ", changed, ")"
  of "quit": break
  else: echo "main: unknown command"
  echo "ok"
  stdout.flushFile()
