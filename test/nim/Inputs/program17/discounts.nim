## Promotions on a whole basket. Each kind of promotion computes its own
## discount (methods); the kinds are in promotions.nim.

import items, money

type
  Basket* = object
    lines*: seq[(Item, int)]
    subtotal*: Money

  Promotion* = ref object of RootObj
    label*: string
    uses*: int

method discount*(p: Promotion, basket: Basket): Money {.base.} =
  zero()

method describe*(p: Promotion): string {.base.} =
  "promotion " & p.label

proc bestPromotion*(promos: seq[Promotion], basket: Basket): (Promotion, Money) =
  ## The promotion that takes most off `basket`; the first one on a tie.
  result = (nil, zero())
  for p in promos:
    let d = p.discount(basket)
    if result[1] < d:
      result = (p, d)

proc quantityOf*(basket: Basket, sku: Sku): int =
  for (item, qty) in basket.lines:
    if item.sku == sku: result += qty
