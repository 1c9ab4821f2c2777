#include <hcr/hcr.h>
#include <stdio.h>
HCR_BEFORE_RELOAD(before) { puts("app v1: before reload"); }
HCR_AFTER_RELOAD(after) { puts("app v1: after reload"); }
void show(void) { puts("app v1: alone"); }
void (*get_saved(void))(void) { return show; }
