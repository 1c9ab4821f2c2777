# Module counter: its state lives in globals that must survive reloads.
import std/tables

# New in v2, declared first: the C names Nim gives every later symbol get
# other counters (hits__counter_2 becomes _3...); hcr keys them without.
proc twice(x: int): int = 2 * x

var hits = 0
var names = initTable[string, int]()
# A `let` with a constant initializer: Nim emits it as NIM_CONST data, and
# a kept `let` keeps its value when its initializer changes (v2: 200).
let base = 200

proc bump*(n: int) =
  for i in 1..n:
    inc hits
    names.mgetOrPut("k" & $(i mod 2), 0).inc

proc describe*(): string =
  "counter v2: hits=" & $hits & " (doubled " & $twice(hits) & ")" & ", keys " & $names.len & ", base " & $base
