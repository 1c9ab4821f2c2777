## Orders: sales, returns, restocks and transfers between warehouses.

import std/[strformat, strutils, sequtils]
import items, geo

type
  OrderKind* = enum
    okSale = "sale"
    okReturn = "return"
    okRestock = "restock"
    okTransfer = "transfer"

  OrderLine* = tuple[sku: Sku, qty: int]

  Order* = object
    id*: string
    note*: string
    case kind*: OrderKind
    of okSale, okReturn:
      customer*: string
      city*: City
      lines*: seq[OrderLine]
    of okRestock:
      supplier*: string
      restockSku*: Sku
      restockQty*: int
    of okTransfer:
      src*, dst*: City
      transferSku*: Sku
      transferQty*: int

proc units*(o: Order): int =
  case o.kind
  of okSale, okReturn: o.lines.mapIt(it.qty).foldl(a + b, 0)
  of okRestock: o.restockQty
  of okTransfer: o.transferQty

proc summary*(o: Order): string =
  case o.kind
  of okSale, okReturn:
    let ls = o.lines.mapIt(&"{it.qty}x{it.sku}").join(",")
    &"{o.id} {o.kind} {o.customer}@{o.city} [{ls}]"
  of okRestock:
    &"{o.id} {o.kind} {o.restockQty}x{o.restockSku} from {o.supplier}"
  of okTransfer:
    &"{o.id} {o.kind} {o.transferQty}x{o.transferSku} {o.src}->{o.dst}"
