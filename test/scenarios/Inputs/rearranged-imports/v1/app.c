#include <hcr/hcr.h>
#include <stdio.h>
void b_hi(void);
int extra = 5;
HCR_BEFORE_RELOAD(before) { puts("app v1: before reload"); }
HCR_AFTER_RELOAD(after) { puts("app v1: after reload"); }
void show(void) { printf("app v1: extra %d\n", extra++); b_hi(); }
void (*get_saved(void))(void) { return show; }
