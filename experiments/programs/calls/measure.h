/* measure.h - the measurement of the per-call benchmark, shared by every
 * host that runs module caller's loops (main.c, and the entry-patching host
 * in experiments/hosts), so all strategies are timed the same way. */
#ifndef HCR_BENCH_CALLS_MEASURE_H
#define HCR_BENCH_CALLS_MEASURE_H

#include <stdio.h>
#include <time.h>

typedef long (*loop_fn)(long);

/* The loops of module caller, in the order measure_loops expects them. */
static const char *const loop_names[4] = {"cross_small", "cross_medium",
                                          "same_small", "same_medium"};

static inline double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Times each loop: after a warm-up, the best of RUNS runs of N calls, printed
 * as one JSON object per case. Returns a checksum, so nothing is optimized
 * away. */
static inline long measure_loops(loop_fn fns[4], long n, int runs) {
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
    printf("{\"case\": \"%s\", \"ns_per_call\": %.4f}\n", loop_names[c], best);
  }
  return check;
}

#endif
