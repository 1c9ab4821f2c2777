/* Module "callee": the functions called across modules. */
__attribute__((noinline)) int add1(int x) { return x + 1; }

/* A medium body: a few dozen operations. */
__attribute__((noinline)) int mix(int x) {
  unsigned h = (unsigned)x * 2654435761u;
  for (int i = 0; i < 8; ++i)
    h = (h ^ (h >> 13)) * 0x5bd1e995u + (unsigned)i;
  return (int)(h & 0x7fffffff);
}
