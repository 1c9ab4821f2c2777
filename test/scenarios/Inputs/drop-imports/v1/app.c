#include <hcr/hcr.h>
#include <stdio.h>
void b_hi(void);
HCR_BEFORE_RELOAD(before) { puts("app v1: before reload"); }
HCR_AFTER_RELOAD(after) { puts("app v1: after reload"); }
void show(void) { puts("app v1: calls b"); b_hi(); }
void (*get_saved(void))(void) { return b_hi; } /* b's trampoline */
