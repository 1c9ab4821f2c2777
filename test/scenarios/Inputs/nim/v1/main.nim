# The host of the Nim reload scenario: commands on stdin, "ok" after each.
import std/strutils
import counter

proc hcrReloadNeeded(): bool {.importc: "hcr_reload_needed", header: "<hcr/hcr.h>".}
proc hcrPerformReload(): cint {.importc: "hcr_perform_reload", header: "<hcr/hcr.h>".}

var line: string
while stdin.readLine(line):
  case line.strip()
  of "show": echo describe()
  of "bump": bump(3)
  of "reload":
    if not hcrReloadNeeded(): echo "host: no reload needed"
    elif hcrPerformReload() == 0: echo "host: reloaded"
    else: echo "host: reload failed"
  of "quit": break
  else: echo "host: unknown command"
  echo "ok"
  stdout.flushFile()
