## The towns the shop delivers to and the roads between them.

import std/[tables, heapqueue, options, algorithm]

type
  City* = enum
    Aston, Brill, Corfe, Dunmore, Elvet, Fenwick, Garth, Hollin

  Road* = tuple[a, b: City, km: int]

  Route* = object
    km*: int
    path*: seq[City]

const roads*: array[12, Road] = [
  (Aston, Brill, 14), (Aston, Corfe, 9), (Brill, Corfe, 4),
  (Brill, Dunmore, 11), (Corfe, Elvet, 17), (Dunmore, Elvet, 6),
  (Dunmore, Fenwick, 21), (Elvet, Garth, 8), (Fenwick, Garth, 5),
  (Garth, Hollin, 13), (Fenwick, Hollin, 7), (Corfe, Dunmore, 12),
]

var adjacency = initTable[City, seq[(City, int)]]()

proc connect(a, b: City, km: int) =
  adjacency.mgetOrPut(a, @[]).add((b, km))
  adjacency.mgetOrPut(b, @[]).add((a, km))

for r in roads:
  connect(r.a, r.b, r.km)

proc neighbours*(c: City): seq[(City, int)] =
  result = adjacency.getOrDefault(c)
  result.sort()

proc distance*(a, b: City): int =
  for (n, km) in neighbours(a):
    if n == b: return km
  -1

proc shortestRoute*(src, dst: City): Option[Route] =
  ## Dijkstra over the road table; ties go to the lower city.
  var best: array[City, int]
  var prev: array[City, Option[City]]
  for c in City: best[c] = high(int)
  best[src] = 0
  var queue = initHeapQueue[(int, City)]()
  queue.push((0, src))
  while queue.len > 0:
    let (d, c) = queue.pop()
    if d > best[c]: continue
    if c == dst: break
    for (n, km) in neighbours(c):
      if d + km < best[n]:
        best[n] = d + km
        prev[n] = some(c)
        queue.push((d + km, n))
  if best[dst] == high(int): return none(Route)
  var path = @[dst]
  var c = dst
  while prev[c].isSome:
    c = prev[c].get
    path.add c
  path.reverse()
  some(Route(km: best[dst], path: path))

echo "geo: ", roads.len, " roads between ", City.high.ord + 1, " towns"
