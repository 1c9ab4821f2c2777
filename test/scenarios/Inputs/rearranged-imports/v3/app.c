#include <hcr/hcr.h>
#include <stdio.h>
void c_hi(void);
int extra = 42; /* Removed by v2, re-added: initialized again. */
HCR_BEFORE_RELOAD(before) { puts("app v3: before reload"); }
HCR_AFTER_RELOAD(after) { puts("app v3: after reload"); }
void show(void) { printf("app v3: extra %d\n", extra++); c_hi(); }
void (*get_saved(void))(void) { return show; }
