/* Host of the per-call benchmark: times each loop of module caller and
 * prints one JSON object per case: ns per call (best of several runs).
 *   calls [CALLS PER RUN] [RUNS]
 * Built natively, by hcr-build (default or --all-calls-indirect), or with
 * -DWHOLE_LIBRARY: caller and callee in one shared object opened with
 * dlopen and its entry points found with dlsym (the classic reload loop). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef WHOLE_LIBRARY
#include <dlfcn.h>
#endif

typedef long (*loop_fn)(long);
long run_cross_small(long n);
long run_cross_medium(long n);
long run_same_small(long n);
long run_same_medium(long n);

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 20000000;
  int runs = argc > 2 ? atoi(argv[2]) : 5;
  const char *names[] = {"cross_small", "cross_medium", "same_small",
                         "same_medium"};
#ifdef WHOLE_LIBRARY
  void *lib = dlopen(WHOLE_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "%s\n", dlerror());
    return 1;
  }
  loop_fn fns[4];
  for (int i = 0; i < 4; ++i) {
    char sym[32];
    snprintf(sym, sizeof sym, "run_%s", names[i]);
    fns[i] = (loop_fn)dlsym(lib, sym);
  }
#else
  loop_fn fns[] = {run_cross_small, run_cross_medium, run_same_small,
                   run_same_medium};
#endif
  long check = 0;
  for (int c = 0; c < 4; ++c) {
    check += fns[c](n / 10); /* Warm up. */
    double best = 1e300;
    for (int r = 0; r < runs; ++r) {
      double t0 = now_ns();
      check += fns[c](n);
      double t = (now_ns() - t0) / n;
      if (t < best)
        best = t;
    }
    printf("{\"case\": \"%s\", \"ns_per_call\": %.4f}\n", names[c], best);
  }
  fprintf(stderr, "checksum %ld\n", check);
  return 0;
}
