#include <hcr/hcr.h>
#include <stdio.h>
int b_calls = 100; /* Initialized once, when b is first loaded. */
HCR_BEFORE_RELOAD(before) { puts("b: before reload"); }
HCR_AFTER_RELOAD(after) { puts("b: after reload"); }
void b_greet(void) { printf("b: greet %d\n", b_calls++); }
