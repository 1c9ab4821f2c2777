## The report: what happened in the simulated weeks, as text.

import std/[tables, strutils, strformat, sequtils, algorithm, options]
import units, money, items, geo, routes, stock, orders, pricing, promotions,
       discounts, events, suppliers, textstats, stats, fmtutils, simulation,
       ids, catalog_data

const
  reportSteps* = 80
  reportSeed* = 2024'u32

var reportsBuilt* = 0

proc topSellers(res: SimResult, n: int): seq[(Sku, int)] =
  for sku, qty in res.unitsSold: result.add (sku, qty)
  result.sort(proc (a, b: (Sku, int)): int =
    result = cmp(b[1], a[1])
    if result == 0: result = cmp(a[0], b[0]))
  if result.len > n: result.setLen(n)

proc ordersSection(res: SimResult): seq[string] =
  result.add heading("Orders")
  var parts: seq[string]
  for k in OrderKind:
    parts.add &"{k}={res.kinds[k]}"
  result.add parts.join(" ") & &" failed={res.failed}"
  let biggest = res.sales.sortedByIt((-it.order.units, it.order.id))
  for s in biggest[0 ..< min(3, biggest.len)]:
    result.add "  " & s.order.summary

proc revenueSection(res: SimResult): seq[string] =
  result.add heading("Revenue")
  let gross = sum(res.sales.mapIt(it.net))
  let taxes = sum(res.sales.mapIt(it.tax))
  let fees = sum(res.sales.mapIt(it.delivery))
  let discounts = sum(res.sales.mapIt(it.discount))
  result.add &"net {gross}  tax {taxes}  delivery {fees}  " &
             &"discounts {discounts}  refunds {res.refunds}"
  result.add &"revenue after refunds: {res.revenue}"
  let top = max(res.revenueByCategory.mapIt(it.cents))
  for cat in Category:
    let m = res.revenueByCategory[cat]
    result.add &"  {cat:<6} {$m:>9} {m.share(gross):>5.1f}% " &
               bar(int(m.cents), int(top), 20)

proc sellersSection(res: SimResult): seq[string] =
  result.add heading("Top sellers")
  var rows: seq[seq[string]]
  for (sku, qty) in topSellers(res, 5):
    let item = lookup(sku).get
    rows.add @[$sku, item.name, $qty, $(item.price * qty)]
  result.add renderTable(@[col("sku"), col("item"), col("units", alRight),
                          col("list value", alRight)], rows)

proc warehouseSection(res: SimResult): seq[string] =
  result.add heading("Warehouses")
  var rows: seq[seq[string]]
  for w in res.warehouses:
    let lines = w.lines
    let fullest = lines.sortedByIt((-it[1], string(it[0])))
    rows.add @[w.name, $w.city, $w.total, $w.capacity, $w.shortfalls,
               (if fullest.len > 0: &"{fullest[0][0]} x{fullest[0][1]}" else: "-")]
  result.add renderTable(@[col("name"), col("town"), col("units", alRight),
                          col("cap", alRight), col("short", alRight),
                          col("most of")], rows)

proc deliverySection(res: SimResult): seq[string] =
  result.add heading("Deliveries")
  let kms = res.sales.mapIt(it.route.km)
  let (lo, hi) = minMax(kms)
  result.add &"{kms.len} deliveries, km min {lo} max {hi} " &
             &"mean {mean(kms):.2f} median {median(kms):.1f} " &
             &"sd {stddev(kms):.2f}"
  let h = histogram(kms, 0, 10, 4)
  result.add "km buckets 0-9/10-19/20-29/30+: " & h.mapIt($it).join("/")
  let longest = res.sales.sortedByIt((-it.route.km, it.order.id))[0]
  result.add &"longest: {longest.order.id} {longest.route.describe} " &
             &"fee {longest.delivery}"

proc promotionSection(res: SimResult): seq[string] =
  result.add heading("Promotions and rules")
  for p in activePromotions:
    result.add &"  {p.describe} (used {p.uses}x)"
  result.add "price rules: " & ruleNames().join(", ")

proc supplierSection(): seq[string] =
  result.add heading("Suppliers")
  let cov = coverage()
  for cat in Category:
    let names = suppliersFor(cat).mapIt(&"{it.name}({it.leadDays}d)")
    result.add &"  {cat:<6} x{cov[cat]}: " & names.join(" ")

proc notesSection(res: SimResult): seq[string] =
  result.add heading("Customer notes")
  let top = topWords(res.notes, 5).mapIt(&"{it[0]}:{it[1]}")
  result.add &"{res.notes.len} notes, {vocabulary(res.notes)} words, " &
             &"longest '{longestWord(res.notes)}'"
  result.add "top words: " & top.join(" ")

proc eventSection(): seq[string] =
  result.add heading("Events")
  result.add toSeq(Severity.items).mapIt(&"{it}={countOf(it)}").join(" ")
  let err = firstError()
  if err.isSome:
    result.add "first recent error at step " & $err.get.step
  for e in recent():
    result.add "  " & $e

proc buildReport*(): seq[string] =
  inc reportsBuilt
  let res = runSimulation(reportSteps, reportSeed)
  result.add &"Shop report: {res.steps} steps, seed {reportSeed}, " &
             &"{catalog.len} items (catalog {catalogVersion}), {res.warehouses.len} warehouses"
  result.add ordersSection(res)
  result.add revenueSection(res)
  result.add sellersSection(res)
  result.add warehouseSection(res)
  result.add deliverySection(res)
  result.add promotionSection(res)
  result.add supplierSection()
  result.add notesSection(res)
  result.add eventSection()
  result.add &"-- {res.orders.len} orders, {issued} ids, {res.draws} draws"
