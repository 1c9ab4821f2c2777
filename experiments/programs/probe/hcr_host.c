/* Host of the limitations probe for hcr's strategies (1, 2, 3): built with
 * hcr-build with or without --all-calls-indirect / --slot-patching, f and
 * probe_global reached the way the rewrite makes them reachable. The swap
 * is hcr_reload_needed() + hcr_perform_reload() after the driver rebuilt
 * the program with version 2 (probe.c changed, extra.c added). */
#define _GNU_SOURCE
#include "probe_check.h"

#include <hcr/hcr.h>

int f(int *static_local, int *extra);
extern int probe_global;

int main(void) {
  int local = 0, extra = 0;
  for (int i = 0; i < 3; ++i)
    f(&local, &extra);
  probe_fn before = f;
  probe_wait_for_swap();
  char swap[512] = "ok";
  if (!hcr_reload_needed())
    snprintf(swap, sizeof swap, "hcr_reload_needed() was false");
  else if (hcr_perform_reload() != HCR_OK)
    snprintf(swap, sizeof swap, "hcr_perform_reload: %s", hcr_last_error());
  int result = f(&local, &extra);
  probe_fn after = f;
  probe_report(swap, (uintptr_t)before, (uintptr_t)after, result, local, extra,
               probe_global);
  return 0;
}
