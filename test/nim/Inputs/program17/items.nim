## The catalog: every item the shop knows, by SKU.

import std/[tables, strformat, hashes, options, algorithm]
import units, money

type
  Sku* = distinct string

  Item* = object
    sku*: Sku
    name*: string
    category*: Category
    unit*: Unit
    price*: Money
    weightGrams*: int

proc `==`*(a, b: Sku): bool {.borrow.}
proc `<`*(a, b: Sku): bool {.borrow.}
proc hash*(s: Sku): Hash {.borrow.}
proc `$`*(s: Sku): string {.borrow.}

var catalog* = initTable[Sku, Item]()

proc register*(item: Item) =
  catalog[item.sku] = item

proc lookup*(sku: Sku): Option[Item] =
  if sku in catalog: some(catalog[sku]) else: none(Item)

proc allItems*(): seq[Item] =
  for item in catalog.values: result.add item
  result.sort(proc (a, b: Item): int = cmp(string(a.sku), string(b.sku)))

proc skus*(): seq[Sku] =
  for item in allItems(): result.add item.sku

proc describe*(it: Item): string =
  fmt"{$it.sku:<6} {it.name:<16} {$it.category:<6} {$it.price:>7}/{unitSuffix[it.unit]}"
