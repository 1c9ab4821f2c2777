/* Host of the limitations probe for entry patching: probe.c is a plain
 * -fPIC -shared object, PROBE (version 1 at start), loaded with
 * entry_patch. The swap: the driver puts version 2 at PROBE and the new
 * module extra at EXTRA; the host loads extra first (the only way this
 * strategy adds a module: into the global scope, before the code that
 * needs it), then reloads probe, which patches version 1's entries.
 * &f after the swap is what a lookup in the global scope finds now.
 *
 *   entry_patch_host PROBE EXTRA [--padding] */
#define _GNU_SOURCE
#include "entry_patch.h"
#include "probe_check.h"

#include <dlfcn.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s PROBE EXTRA [--padding]\n", argv[0]);
    return 2;
  }
  unsigned flags =
      argc > 3 && strcmp(argv[3], "--padding") == 0 ? EP_USE_PADDING : 0;
  ep_module *probe, *extra;
  if (ep_load(argv[1], flags, &probe) != EP_OK) {
    fprintf(stderr, "%s\n", ep_last_error());
    return 1;
  }
  probe_fn f = (probe_fn)ep_symbol(probe, "f");
  int *probe_global = (int *)ep_symbol(probe, "probe_global");
  if (!f || !probe_global) {
    fprintf(stderr, "%s: f or probe_global missing\n", argv[1]);
    return 1;
  }
  int local = 0, extra_result = 0;
  for (int i = 0; i < 3; ++i)
    f(&local, &extra_result);
  probe_fn before = f;
  probe_wait_for_swap();
  char swap[600] = "ok";
  if (ep_load(argv[2], flags, &extra) != EP_OK ||
      ep_reload(probe, argv[1]) != EP_OK)
    snprintf(swap, sizeof swap, "%s", ep_last_error());
  probe_fn after = (probe_fn)dlsym(RTLD_DEFAULT, "f");
  int result = f(&local, &extra_result);
  probe_report(swap, (uintptr_t)before, (uintptr_t)after, result, local,
               extra_result, *probe_global);
  ep_shutdown();
  return 0;
}
