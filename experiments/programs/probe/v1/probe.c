/* Module probe, version 1: f returns 1. It counts its calls in a global and
 * in a static local, the two kinds of state a reload may or may not keep. */
int probe_global;

int f(int *static_local, int *extra) {
  static int calls;
  ++probe_global;
  *static_local = ++calls;
  *extra = 0;
  return 1;
}
