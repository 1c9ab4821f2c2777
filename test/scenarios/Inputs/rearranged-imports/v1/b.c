#include <hcr/hcr.h>
#include <stdio.h>
HCR_BEFORE_RELOAD(before) { puts("b: before reload"); }
HCR_AFTER_RELOAD(after) { puts("b: after reload"); }
void b_hi(void) { puts("b: hi"); }
