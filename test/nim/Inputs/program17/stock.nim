## Warehouses and what is on their shelves.

import std/[tables, algorithm, strformat]
import items, geo

type
  Warehouse* = ref object
    name*: string
    city*: City
    capacity*: int
    shelves*: CountTable[Sku]
    shortfalls*: int

proc newWarehouse*(name: string, city: City, capacity: int): Warehouse =
  Warehouse(name: name, city: city, capacity: capacity,
            shelves: initCountTable[Sku]())

proc total*(w: Warehouse): int =
  for n in w.shelves.values: result += n

proc onHand*(w: Warehouse, sku: Sku): int =
  w.shelves.getOrDefault(sku)

proc receive*(w: Warehouse, sku: Sku, qty: int): int =
  ## Puts up to `qty` on the shelves; returns how many fit.
  result = min(qty, w.capacity - w.total)
  if result > 0:
    w.shelves.inc(sku, result)

proc canTake*(w: Warehouse, sku: Sku, qty: int): bool =
  ## Whether `qty` of `sku` are on the shelves; a shortfall when not.
  result = w.onHand(sku) >= qty
  if not result:
    inc w.shortfalls

proc take*(w: Warehouse, sku: Sku, qty: int): bool =
  let have = w.onHand(sku)
  if have < qty:
    inc w.shortfalls
    return false
  w.shelves[sku] = have - qty
  true

proc lines*(w: Warehouse): seq[(Sku, int)] =
  for sku, n in w.shelves:
    if n > 0: result.add (sku, n)
  result.sort(proc (a, b: (Sku, int)): int = cmp(string(a[0]), string(b[0])))

proc `$`*(w: Warehouse): string =
  fmt"{w.name} ({w.city}): {w.total}/{w.capacity} units"
