## Delivery routes: legs of a path and what driving them costs.

import std/[strutils, sequtils, options]
import geo, money

type
  Leg* = tuple[src, dst: City, km: int]

const
  costPerKm* = 42        # cents
  baseFee* = 250         # cents

proc legs*(route: Route): iterator (): Leg =
  ## The legs of `route`, one after the other.
  let path = route.path
  result = iterator (): Leg =
    for i in 0 ..< path.high:
      yield (path[i], path[i + 1], distance(path[i], path[i + 1]))

proc deliveryFee*(route: Route): Money =
  result = money(0, baseFee)
  let next = legs(route)
  for leg in next():
    result += money(0, costPerKm * leg.km)

proc describe*(route: Route): string =
  route.path.mapIt($it).join(" > ") & " (" & $route.km & " km)"

proc routeOrDirect*(src, dst: City): Route =
  shortestRoute(src, dst).get(Route(km: 0, path: @[src]))
