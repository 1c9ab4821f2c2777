#include <hcr/hcr.h>
#include <stdio.h>
HCR_BEFORE_RELOAD(before) { puts("c: before reload"); }
HCR_AFTER_RELOAD(after) { puts("c: after reload"); }
void c_hi(void) { puts("c: hi"); }
