#include <hcr/hcr.h>
#include <stdio.h>
struct state { int visits; };
struct state st = {1};
int hcr_scenario_function_nobody_defines(void);
HCR_BEFORE_RELOAD(before) { puts("app v3: before reload"); }
HCR_AFTER_RELOAD(after) { puts("app v3: after reload"); }
void show(void) { printf("app v3: %d\n", hcr_scenario_function_nobody_defines()); }
void (*get_saved(void))(void) { return show; }
