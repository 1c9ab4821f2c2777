## Price rules: each rule says when it applies and how it changes a line's
## price. The shop's rules are built by closures over their parameters.

import std/[strformat, sequtils]
import items, units, money

type
  PriceRule* = object
    name*: string
    applies*: proc (item: Item, qty: int): bool
    adjust*: proc (linePrice: Money, qty: int): Money

  Priced* = object
    total*: Money
    applied*: seq[string]

proc bulkRule(threshold, percent: int): PriceRule =
  PriceRule(
    name: &"bulk{threshold}",
    applies: proc (item: Item, qty: int): bool = qty >= threshold,
    adjust: proc (linePrice: Money, qty: int): Money =
      linePrice - linePrice.percentOf(percent))

proc categoryRule(cat: Category, percent: int): PriceRule =
  PriceRule(
    name: &"{cat}-{percent}%",
    applies: proc (item: Item, qty: int): bool = item.category == cat,
    adjust: proc (linePrice: Money, qty: int): Money =
      linePrice - linePrice.percentOf(percent))

proc heavyRule(gramsOver: int, surcharge: Money): PriceRule =
  PriceRule(
    name: "heavy",
    applies: proc (item: Item, qty: int): bool =
      item.weightGrams * qty > gramsOver,
    adjust: proc (linePrice: Money, qty: int): Money = linePrice + surcharge)

var rules*: seq[PriceRule] = @[
  bulkRule(8, 10),
  categoryRule(catBooks, 15),
  categoryRule(catGarden, 5),
  heavyRule(6000, money(3, 50)),
]

proc ruleNames*(): seq[string] = rules.mapIt(it.name)

proc priceLine*(item: Item, qty: int): Priced =
  result.total = item.price * qty
  for rule in rules:
    if rule.applies(item, qty):
      result.total = rule.adjust(result.total, qty)
      result.applied.add rule.name

proc withTax*(item: Item, net: Money): Money =
  net + net.percentOf(taxPercent[item.category])
