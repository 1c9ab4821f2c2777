## Order numbers, one sequence per prefix.

import std/[tables, strutils]

var counters = initTable[string, int]()
var issued*: int

proc nextId*(prefix: string): string =
  let n = counters.getOrDefault(prefix) + 1
  counters[prefix] = n
  inc issued
  prefix & "-" & intToStr(n, 4)

proc resetIds*() =
  counters.clear()
  issued = 0
