## Plain-text tables and bars for the report.

import std/[strutils, sequtils]

type
  Align* = enum
    alLeft, alRight

  Column* = object
    title*: string
    align*: Align

proc col*(title: string, align = alLeft): Column =
  Column(title: title, align: align)

proc renderTable*(cols: seq[Column], rows: seq[seq[string]]): seq[string] =
  var widths = cols.mapIt(it.title.len)
  for row in rows:
    for i, cell in row:
      widths[i] = max(widths[i], cell.len)
  proc fit(cells: seq[string]): string =
    var parts: seq[string]
    for i, cell in cells:
      parts.add(if cols[i].align == alLeft: cell.alignLeft(widths[i])
                else: cell.align(widths[i]))
    parts.join("  ").strip(leading = false)
  result.add fit(cols.mapIt(it.title))
  result.add widths.mapIt("-".repeat(it)).join("  ")
  for row in rows:
    result.add fit(row)

proc heading*(title: string): string =
  "== " & title & " " & "=".repeat(max(3, 44 - title.len))

proc bar*(value, maxValue, width: int): string =
  if maxValue <= 0: return ""
  let n = (value * width + maxValue - 1) div maxValue
  "#".repeat(n) & ".".repeat(width - n)
