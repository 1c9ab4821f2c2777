/* Module extra: new in version 2 of the probe. */
int extra_value(void) { return 42; }
