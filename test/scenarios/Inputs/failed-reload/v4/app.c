#include <hcr/hcr.h>
#include <stdio.h>
union state {
  int visits;
  long long total;
}; /* Cannot be migrated. */
union state st = {1};
HCR_BEFORE_RELOAD(before) { puts("app v4: before reload"); }
HCR_AFTER_RELOAD(after) { puts("app v4: after reload"); }
void show(void) { printf("app v4: visits %d\n", st.visits++); }
void (*get_saved(void))(void) { return show; }
