# v3: `ticks` comes back (initialized again), extra is no longer imported.
import std/[tables, algorithm]
import hotcodereloading

type Score = object
  name: string
  points: int

var counts = initTable[string, int]()
var ticks = 100 + counts.len
let label = "v3"
var started = "never initialized again"

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
  var scores = @[Score(name: "b", points: 2), Score(name: "a", points: 1)]
  scores.sort(proc (x, y: Score): int = cmp(x.points, y.points))
  "app v3: label " & label & ", ticks " & $ticks & ", gen " & $gen() &
    ", counts " & $counts.len & ", " & started & ", best " & $scores[^1]

afterCodeReload:
  echo "app: after reload, handler of v3"
