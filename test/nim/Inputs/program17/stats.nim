## Summary statistics over numbers of any kind.

import std/[math, algorithm, sequtils]

proc mean*[T: SomeNumber](xs: openArray[T]): float =
  if xs.len == 0: return 0.0
  xs.mapIt(float(it)).sum / float(xs.len)

proc stddev*[T: SomeNumber](xs: openArray[T]): float =
  if xs.len < 2: return 0.0
  let m = mean(xs)
  sqrt(xs.mapIt((float(it) - m) ^ 2).sum / float(xs.len - 1))

proc median*[T: SomeNumber](xs: openArray[T]): float =
  if xs.len == 0: return 0.0
  let s = sorted(xs)
  if s.len mod 2 == 1: float(s[s.len div 2])
  else: (float(s[s.len div 2 - 1]) + float(s[s.len div 2])) / 2

proc histogram*[T: SomeNumber](xs: openArray[T], lo, width: T,
                               buckets: int): seq[int] =
  result = newSeq[int](buckets)
  for x in xs:
    let b = clamp(int((x - lo) div width), 0, buckets - 1)
    inc result[b]

proc minMax*[T](xs: openArray[T]): (T, T) =
  result = (xs[0], xs[0])
  for x in xs:
    if x < result[0]: result[0] = x
    if result[1] < x: result[1] = x
