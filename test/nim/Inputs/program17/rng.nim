## A small linear congruential generator: the simulation draws from it, so
## every run with the same seed sees the same orders.

type
  Rng* = object
    state: uint32
    draws*: int

proc initRng*(seed: uint32): Rng =
  Rng(state: seed, draws: 0)

proc next*(r: var Rng): uint32 =
  r.state = r.state * 1664525'u32 + 1013904223'u32
  inc r.draws
  r.state shr 8

proc below*(r: var Rng, n: int): int =
  ## A number in 0 ..< n.
  assert n > 0
  int(r.next() mod uint32(n))

proc between*(r: var Rng, lo, hi: int): int =
  lo + r.below(hi - lo + 1)

proc chance*(r: var Rng, percent: int): bool =
  r.below(100) < percent

proc pick*[T](r: var Rng, xs: openArray[T]): T =
  xs[r.below(xs.len)]

proc shuffle*[T](r: var Rng, xs: var seq[T]) =
  for i in countdown(xs.high, 1):
    let j = r.below(i + 1)
    swap(xs[i], xs[j])
