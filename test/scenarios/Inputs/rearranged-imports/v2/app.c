#include <hcr/hcr.h>
#include <stdio.h>
void c_hi(void);
HCR_BEFORE_RELOAD(before) { puts("app v2: before reload"); }
HCR_AFTER_RELOAD(after) { puts("app v2: after reload"); }
void show(void) { puts("app v2: no extra"); c_hi(); }
void (*get_saved(void))(void) { return show; }
