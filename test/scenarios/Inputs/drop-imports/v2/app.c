#include <hcr/hcr.h>
#include <stdio.h>
HCR_BEFORE_RELOAD(before) { puts("app v2: before reload"); }
HCR_AFTER_RELOAD(after) { puts("app v2: after reload"); }
void show(void) { puts("app v2: imports nothing"); }
void (*get_saved(void))(void) { return show; }
