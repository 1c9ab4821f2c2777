#include <hcr/hcr.h>
#include <stdio.h>
HCR_BEFORE_RELOAD(before) { puts("app v3: before reload"); }
HCR_AFTER_RELOAD(after) { puts("app v3: after reload"); }
void show(void) { puts("app v3: imports nothing"); }
void (*get_saved(void))(void) { return show; }
