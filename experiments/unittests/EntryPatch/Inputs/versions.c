/* Module "versions" of the entry-patching tests, built as versions 1-3:
 * every function answers VERSION, so a call says which code ran.
 * -DUNRESOLVED: a build that needs a function nobody defines, which dlopen
 * (RTLD_NOW) refuses. */
#ifdef UNRESOLVED
int ep_nowhere(void);
#endif

/* At -O2 `mov $VERSION, %eax; ret`: 6 bytes, room for a 5-byte jump. */
__attribute__((noinline)) int ep_version(void) {
#ifdef UNRESOLVED
  return ep_nowhere();
#else
  return VERSION;
#endif
}

/* At -O2 `lea VERSION(%rdi), %eax; ret`: 4 bytes, too small for a jump
 * unless the alignment padding after it is used. */
__attribute__((noinline)) int ep_tiny(int x) { return x + VERSION; }

/* Larger than any jump, for the 14-byte absolute form. */
__attribute__((noinline)) int ep_sum(const int *v, int n) {
  int s = VERSION;
  for (int i = 0; i < n; ++i)
    s += v[i] * (i + 1);
  return s;
}
