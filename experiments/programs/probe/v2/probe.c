/* Module probe, version 2: f returns 2 and calls into module extra, which
 * version 1 did not have. Same counters, same names. */
int extra_value(void);

int probe_global;

int f(int *static_local, int *extra) {
  static int calls;
  ++probe_global;
  *static_local = ++calls;
  *extra = extra_value();
  return 2;
}
