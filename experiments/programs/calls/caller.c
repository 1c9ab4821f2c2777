/* Module "caller": loops that call small and medium functions of another
 * module (cross) and of this one (same). */
#ifndef BENCH_API
#define BENCH_API /* -fvisibility=hidden builds export the loops. */
#endif
int add1(int x);
int mix(int x);

__attribute__((noinline)) static int own_add1(int x) { return x + 1; }
__attribute__((noinline)) static int own_mix(int x) {
  unsigned h = (unsigned)x * 2654435761u;
  for (int i = 0; i < 8; ++i)
    h = (h ^ (h >> 13)) * 0x5bd1e995u + (unsigned)i;
  return (int)(h & 0x7fffffff);
}

BENCH_API long run_cross_small(long n) {
  long s = 0;
  for (long i = 0; i < n; ++i)
    s += add1((int)i);
  return s;
}
BENCH_API long run_cross_medium(long n) {
  long s = 0;
  for (long i = 0; i < n; ++i)
    s += mix((int)i);
  return s;
}
BENCH_API long run_same_small(long n) {
  long s = 0;
  for (long i = 0; i < n; ++i)
    s += own_add1((int)i);
  return s;
}
BENCH_API long run_same_medium(long n) {
  long s = 0;
  for (long i = 0; i < n; ++i)
    s += own_mix((int)i);
  return s;
}
