## The event log: the last few events of the simulation and a count of all.

import std/[deques, strformat, options]

type
  Severity* = enum
    sevInfo = "info"
    sevWarn = "warn"
    sevError = "error"

  Event* = object
    step*: int
    severity*: Severity
    text*: string

const keepEvents* = 6

var recentEvents = initDeque[Event]()
var counts: array[Severity, int]

proc record*(step: int, severity: Severity, text: string) =
  recentEvents.addLast Event(step: step, severity: severity, text: text)
  if recentEvents.len > keepEvents:
    recentEvents.popFirst()
  inc counts[severity]

proc recent*(): seq[Event] =
  for e in recentEvents: result.add e

proc countOf*(s: Severity): int = counts[s]

proc firstError*(): Option[Event] =
  for e in recentEvents:
    if e.severity == sevError: return some(e)
  none(Event)

proc clearEvents*() =
  recentEvents.clear()
  for s in Severity: counts[s] = 0

proc `$`*(e: Event): string =
  &"#{e.step:03} {e.severity:<5} {e.text}"
