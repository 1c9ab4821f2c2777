# Module "inventory": state in globals (a table and a counter).
import std/tables

var stock = initTable[string, int]()
var total* = 0

proc addItem*(name: string) =
  stock.mgetOrPut(name, 0).inc
  inc total

proc itemCount*(): int = total
proc distinctItems*(): int = stock.len
proc countOf*(name: string): int = stock.getOrDefault(name)

proc topItem*(): string =
  var best = -1
  for name, n in stock:
    if n > best or (n == best and name < result):
      best = n
      result = name

proc report*(): string =
  result = $total & " items, top " & topItem()
