## Amounts of money, kept in cents.

import std/[strformat, math]

type
  Money* = distinct int64

proc `+`*(a, b: Money): Money {.borrow.}
proc `-`*(a, b: Money): Money {.borrow.}
proc `<`*(a, b: Money): bool {.borrow.}
proc `<=`*(a, b: Money): bool {.borrow.}
proc `==`*(a, b: Money): bool {.borrow.}

proc `+=`*(a: var Money, b: Money) = a = a + b
proc `-=`*(a: var Money, b: Money) = a = a - b

proc money*(units: int, cents = 0): Money = Money(int64(units) * 100 + int64(cents))
proc cents*(m: Money): int64 = int64(m)
proc zero*(): Money = Money(0)

proc `*`*(m: Money, n: int): Money = Money(int64(m) * int64(n))

proc percentOf*(m: Money, percent: int): Money =
  ## `percent` % of `m`, rounded half up.
  Money((int64(m) * int64(percent) + 50) div 100)

proc `$`*(m: Money): string =
  let c = int64(m)
  let sign = if c < 0: "-" else: ""
  let a = abs(c)
  fmt"{sign}${a div 100}.{a mod 100:02}"

proc sum*(xs: openArray[Money]): Money =
  result = Money(0)
  for x in xs: result += x

proc share*(part, whole: Money): float =
  if int64(whole) == 0: 0.0
  else: round(float(int64(part)) / float(int64(whole)) * 100.0, 1)
