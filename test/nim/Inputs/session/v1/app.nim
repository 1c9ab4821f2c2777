# v1 of the module the scenarios edit.
import std/tables
import hotcodereloading

var counts = initTable[string, int]()
var ticks = 0
let label = "v1"

proc makeGen(): iterator (): int =
  result = iterator (): int =
    var i = 0
    while true:
      inc i
      yield i

let gen = makeGen()

proc tick*() =
  inc ticks
  counts.mgetOrPut("tick", 0).inc

proc show*(): string =
  "app v1: label " & label & ", ticks " & $ticks & ", gen " & $gen() &
    ", counts " & $counts.len

afterCodeReload:
  echo "app: after reload, handler of v1"
