## A few weeks of the shop, step by step: customers buy and return, stock
## comes in from suppliers and moves between warehouses.

import std/[tables, strformat, sequtils, algorithm, options]
import rng, ids, units, money, items, geo, routes, stock, orders, pricing,
       discounts, promotions, events, suppliers

type
  Sale* = object
    order*: Order
    net*: Money
    discount*: Money
    promotion*: string
    tax*: Money
    delivery*: Money
    route*: Route

  SimResult* = object
    steps*: int
    orders*: seq[Order]
    sales*: seq[Sale]
    failed*: int
    refunds*: Money
    revenueByCategory*: array[Category, Money]
    unitsSold*: CountTable[Sku]
    kinds*: CountTable[OrderKind]
    warehouses*: seq[Warehouse]
    notes*: seq[string]
    draws*: int

const
  customers = ["ada", "bo", "cy", "dee", "eli", "fay", "gus", "hal"]
  notes = [
    "Leave the parcel at the back door please",
    "Gift wrap for my sister, thanks",
    "Please deliver before noon",
    "Back door, the gate is locked",
    "No rush with delivery",
    "Gift for a friend, no price tag please",
    "Call before delivery, thanks",
    "",
  ]
  kindWeights: array[OrderKind, int] = [60, 10, 15, 15]

var lastResult*: Option[SimResult]

proc drawKind(r: var Rng): OrderKind =
  var roll = r.below(100)
  for k in OrderKind:
    if roll < kindWeights[k]: return k
    roll -= kindWeights[k]
  okSale

proc nearest(ws: seq[Warehouse], city: City): (Warehouse, Route) =
  var best = high(int)
  for w in ws:
    let route = routeOrDirect(w.city, city)
    if route.km < best:
      best = route.km
      result = (w, route)

proc itemsIn(cat: Category): seq[Sku] =
  allItems().filterIt(it.category == cat).mapIt(it.sku)

proc sell(res: var SimResult, r: var Rng, step: int) =
  let city = r.pick([Aston, Brill, Corfe, Dunmore, Elvet, Fenwick, Garth, Hollin])
  var order = Order(kind: okSale, id: nextId("S"), customer: r.pick(customers),
                    city: city, note: r.pick(notes))
  let all = skus()
  for i in 0 ..< r.between(1, 3):
    let qty = if r.chance(15): r.between(8, 12) else: r.between(1, 4)
    let sku = r.pick(all)
    let at = order.lines.mapIt(it.sku).find(sku)
    if at >= 0: order.lines[at].qty += qty
    else: order.lines.add (sku, qty)
  let (w, route) = nearest(res.warehouses, city)
  for line in order.lines:
    if not w.canTake(line.sku, line.qty):
      let sev = if w.onHand(line.sku) == 0: sevError else: sevWarn
      record(step, sev, &"{order.id}: {w.name} short of {line.sku}")
      inc res.failed
      return
  var basket = Basket()
  var net = zero()
  for line in order.lines:
    discard w.take(line.sku, line.qty)
    let item = catalog[line.sku]
    let priced = priceLine(item, line.qty)
    basket.lines.add (item, line.qty)
    basket.subtotal += priced.total
    net += priced.total
    res.unitsSold.inc(line.sku, line.qty)
    res.revenueByCategory[item.category] += priced.total
  let (promo, off) = bestPromotion(activePromotions, basket)
  var tax = zero()
  for (item, qty) in basket.lines:
    tax += (item.price * qty).percentOf(taxPercent[item.category])
  let sale = Sale(order: order, net: net - off, discount: off,
                  promotion: (if promo.isNil: "" else: promo.label),
                  tax: tax, delivery: deliveryFee(route), route: route)
  if not promo.isNil: inc promo.uses
  res.sales.add sale
  res.orders.add order
  if order.note.len > 0: res.notes.add order.note

proc giveBack(res: var SimResult, r: var Rng, step: int) =
  if res.sales.len == 0:
    record(step, sevInfo, "return with no sale yet")
    return
  let sale = res.sales[r.below(res.sales.len)]
  let line = sale.order.lines[0]
  let (w, _) = nearest(res.warehouses, sale.order.city)
  let back = w.receive(line.sku, line.qty)
  let refund = priceLine(catalog[line.sku], back).total
  res.refunds += refund
  res.orders.add Order(kind: okReturn, id: nextId("R"),
                       customer: sale.order.customer, city: sale.order.city,
                       lines: @[(line.sku, back)])
  record(step, sevInfo, &"{sale.order.customer} returned {back}x{line.sku}")

proc restock(res: var SimResult, r: var Rng, step: int) =
  let cat = r.pick([catTools, catFood, catToys, catBooks, catGarden])
  let supplier = suppliersFor(cat)[0]
  let sku = r.pick(itemsIn(cat))
  let qty = r.between(10, 30)
  let (w, _) = nearest(res.warehouses, supplier.city)
  let got = w.receive(sku, qty)
  if got < qty:
    record(step, sevWarn, &"{w.name} full: {got}/{qty} of {sku}")
  res.orders.add Order(kind: okRestock, id: nextId("P"),
                       supplier: supplier.name, restockSku: sku,
                       restockQty: got)

proc transfer(res: var SimResult, r: var Rng, step: int) =
  let sku = r.pick(skus())
  let ws = res.warehouses.sortedByIt((it.onHand(sku), it.name))
  let (short, plenty) = (ws[0], ws[^1])
  let qty = (plenty.onHand(sku) - short.onHand(sku)) div 2
  if qty == 0:
    record(step, sevInfo, &"{sku} balanced")
    return
  discard plenty.take(sku, qty)
  let moved = short.receive(sku, qty)
  if moved < qty:
    discard plenty.receive(sku, qty - moved)
  res.orders.add Order(kind: okTransfer, id: nextId("T"), src: plenty.city,
                       dst: short.city, transferSku: sku, transferQty: moved)

proc openWarehouses(): seq[Warehouse] =
  result = @[newWarehouse("North", Brill, 220),
             newWarehouse("Central", Dunmore, 300),
             newWarehouse("South", Garth, 180)]
  for i, w in result:
    for j, sku in skus():
      discard w.receive(sku, 4 + (i * 5 + j * 3) mod 9)

proc runSimulation*(steps: int, seed: uint32): SimResult =
  resetIds()
  clearEvents()
  for p in activePromotions: p.uses = 0
  var r = initRng(seed)
  result = SimResult(steps: steps, unitsSold: initCountTable[Sku](),
                     kinds: initCountTable[OrderKind](),
                     warehouses: openWarehouses())
  for step in 1 .. steps:
    case drawKind(r)
    of okSale: sell(result, r, step)
    of okReturn: giveBack(result, r, step)
    of okRestock: restock(result, r, step)
    of okTransfer: transfer(result, r, step)
  for o in result.orders: result.kinds.inc o.kind
  result.draws = r.draws
  lastResult = some(result)

proc revenue*(res: SimResult): Money =
  sum(res.sales.mapIt(it.net)) - res.refunds
