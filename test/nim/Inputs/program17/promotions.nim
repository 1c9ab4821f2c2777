## The shop's promotions.

import std/[strformat, tables]
import discounts, items, units, money

type
  PercentOff* = ref object of Promotion
    percent*: int
    category*: Category

  FixedOff* = ref object of Promotion
    amount*: Money
    minimum*: Money

  ThreeForTwo* = ref object of Promotion
    sku*: Sku

method discount*(p: PercentOff, basket: Basket): Money =
  result = zero()
  for (item, qty) in basket.lines:
    if item.category == p.category:
      result += (item.price * qty).percentOf(p.percent)

method describe*(p: PercentOff): string =
  &"{p.label}: {p.percent}% off {p.category}"

method discount*(p: FixedOff, basket: Basket): Money =
  if p.minimum <= basket.subtotal: p.amount else: zero()

method describe*(p: FixedOff): string =
  &"{p.label}: {p.amount} off from {p.minimum}"

method discount*(p: ThreeForTwo, basket: Basket): Money =
  catalog[p.sku].price * (basket.quantityOf(p.sku) div 3)

method describe*(p: ThreeForTwo): string =
  &"{p.label}: 3 for 2 on {p.sku}"

let activePromotions*: seq[Promotion] = @[
  PercentOff(label: "TOYS10", percent: 10, category: catToys).Promotion,
  FixedOff(label: "BIG5", amount: money(5), minimum: money(60)),
  ThreeForTwo(label: "OATS", sku: Sku("F-220")),
  PercentOff(label: "GARDEN20", percent: 20, category: catGarden),
]

echo "promotions: ", activePromotions.len, " active"
