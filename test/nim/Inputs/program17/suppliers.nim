## Who supplies what, from where, and how fast.

import std/[tables, sequtils, algorithm]
import units, geo

type
  Supplier* = object
    name*: string
    city*: City
    categories*: set[Category]
    leadDays*: int

let suppliers* = @[
  Supplier(name: "Anvil&Co", city: Aston, categories: {catTools, catGarden},
           leadDays: 3),
  Supplier(name: "Bramble", city: Garth, categories: {catFood, catGarden},
           leadDays: 2),
  Supplier(name: "Quillon", city: Brill, categories: {catBooks}, leadDays: 5),
  Supplier(name: "Tinker", city: Hollin, categories: {catToys, catTools},
           leadDays: 4),
  Supplier(name: "Harvest", city: Elvet, categories: {catFood}, leadDays: 1),
]

var supplierByName* = suppliers.mapIt((it.name, it)).toTable

proc suppliersFor*(cat: Category): seq[Supplier] =
  result = suppliers.filterIt(cat in it.categories)
  result.sort(proc (a, b: Supplier): int =
    result = cmp(a.leadDays, b.leadDays)
    if result == 0: result = cmp(a.name, b.name))

proc coverage*(): array[Category, int] =
  for s in suppliers:
    for c in s.categories: inc result[c]
