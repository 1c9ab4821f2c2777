/* host_util.h - what every reload host of the experiments measures the same
 * way: wall time and resident size. */
#ifndef HCR_BENCH_HOST_UTIL_H
#define HCR_BENCH_HOST_UTIL_H

#include <stdio.h>
#include <time.h>

static inline double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Resident set size in KB (/proc/self/statm, 4 KB pages). */
static inline long resident_kb(void) {
  long pages = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
      resident = 0;
    fclose(f);
  }
  return resident * 4;
}

#endif
