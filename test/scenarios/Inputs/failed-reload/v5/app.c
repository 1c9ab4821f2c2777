#include <hcr/hcr.h>
#include <stdio.h>
struct state { int visits; };
struct state st = {1};
HCR_BEFORE_RELOAD(before) { puts("app v5: before reload"); }
HCR_AFTER_RELOAD(after) { puts("app v5: after reload"); }
void show(void) { printf("app v5: visits %d\n", st.visits++); }
void (*get_saved(void))(void) { return show; }
