# Module counter: its state lives in globals that must survive reloads.
import std/tables

var hits = 0
var names = initTable[string, int]()

proc bump*(n: int) =
  for i in 1..n:
    inc hits
    names.mgetOrPut("k" & $(i mod 2), 0).inc

proc describe*(): string =
  "counter v2: hits=" & $hits & " (doubled " & $(2 * hits) & ")" & ", keys " & $names.len
