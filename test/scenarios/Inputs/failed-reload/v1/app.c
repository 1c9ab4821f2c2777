#include <hcr/hcr.h>
#include <stdio.h>
struct state { int visits; };
struct state st = {1};
HCR_BEFORE_RELOAD(before) { puts("app v1: before reload"); }
HCR_AFTER_RELOAD(after) { puts("app v1: after reload"); }
void show(void) { printf("app v1: visits %d\n", st.visits++); }
void (*get_saved(void))(void) { return show; }
