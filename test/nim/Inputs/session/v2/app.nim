# v2: gains an import (a module with top-level code) and top-level code of
# its own, loses the global `ticks`, changes the `let`, adds a global with a
# non-constant initializer, replaces its handler, and sorts and prints a new
# type (generic instances the standard library's modules receive).
import std/[tables, algorithm]
import hotcodereloading
import extra

echo "app: top-level code new in v2 (a reloaded module's must not run)"

type Score = object
  name: string
  points: int

var counts = initTable[string, int]()
let label = "v2"
var started = "started with " & greeting()

proc makeGen(): iterator (): int =
  result = iterator (): int =
    var i = 0
    while true:
      inc i
      yield i

let gen = makeGen()

proc tick*() =
  counts.mgetOrPut("tick", 0).inc

proc show*(): string =
  var scores = @[Score(name: "b", points: 2), Score(name: "a", points: 1)]
  scores.sort(proc (x, y: Score): int = cmp(x.points, y.points))
  "app v2: label " & label & ", gen " & $gen() & ", counts " &
    $counts.len & ", " & started & ", best " & $scores[^1]

beforeCodeReload:
  echo "app: before reload, handler of v2"
afterCodeReload:
  echo "app: after reload, handler of v2"
