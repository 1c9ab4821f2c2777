#include <hcr/hcr.h>
#include <stdio.h>
void b_greet(void);
HCR_BEFORE_RELOAD(before) { puts("app v3: before reload"); }
HCR_AFTER_RELOAD(after) { puts("app v3: after reload"); }
void show(void) { puts("app v3: calls b"); b_greet(); }
void (*get_saved(void))(void) { return show; }
