#include <hcr/hcr.h>
#include <stdio.h>
struct state { int visits; long long total; }; /* Grew: cannot be kept. */
struct state st = {1, 0};
HCR_BEFORE_RELOAD(before) { puts("app v4: before reload"); }
HCR_AFTER_RELOAD(after) { puts("app v4: after reload"); }
void show(void) { printf("app v4: visits %d\n", st.visits++); }
void (*get_saved(void))(void) { return show; }
