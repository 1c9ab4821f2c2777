## The shop simulation. Without arguments it prints the report; with
## `serve` it answers commands read from stdin, one a line:
## report, reload, quit.

import std/[os, strutils]
import hotcodereloading
import reports

proc printReport() =
  for line in buildReport():
    echo line

proc serve() =
  var line: string
  while stdin.readLine(line):
    let command = line.strip
    case command
    of "report":
      printReport()
    of "reload":
      performCodeReload()
      echo "reloaded"
    of "quit":
      echo "ok"
      flushFile(stdout)
      return
    of "":
      continue
    else:
      echo "unknown command: ", command
    echo "ok"
    flushFile(stdout)

when isMainModule:
  if paramCount() == 0:
    printReport()
  elif paramStr(1) == "serve":
    serve()
  else:
    quit("usage: main [serve]", 2)
