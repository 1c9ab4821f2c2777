/* Host of the per-call benchmark: times each loop of module caller and
 * prints one JSON object per case: ns per call (best of several runs).
 *   calls [CALLS PER RUN] [RUNS]
 * Built natively, by hcr-build (default or --all-calls-indirect), or with
 * -DWHOLE_LIBRARY: caller and callee in one shared object opened with
 * dlopen and its entry points found with dlsym (the classic reload loop). */
#include "measure.h"

#include <stdio.h>
#include <stdlib.h>
#ifdef WHOLE_LIBRARY
#include <dlfcn.h>
#endif

long run_cross_small(long n);
long run_cross_medium(long n);
long run_same_small(long n);
long run_same_medium(long n);

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 20000000;
  int runs = argc > 2 ? atoi(argv[2]) : 5;
#ifdef WHOLE_LIBRARY
  void *lib = dlopen(WHOLE_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "%s\n", dlerror());
    return 1;
  }
  loop_fn fns[4];
  for (int i = 0; i < 4; ++i) {
    char sym[32];
    snprintf(sym, sizeof sym, "run_%s", loop_names[i]);
    fns[i] = (loop_fn)dlsym(lib, sym);
  }
#else
  loop_fn fns[] = {run_cross_small, run_cross_medium, run_same_small,
                   run_same_medium};
#endif
  fprintf(stderr, "checksum %ld\n", measure_loops(fns, n, runs));
  return 0;
}
