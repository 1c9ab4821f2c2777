#include <hcr/hcr.h>
#include <stdio.h>
/* a and b become one field, sum, and a label: no rule of hcr's maps them,
 * so the module says how. */
struct Pair {
  long sum;
  const char *label;
};
struct Pair pair = {0, "new"};
HCR_MIGRATE(pair)(void *now, const void *before, const char *layout,
                  size_t size) {
  const struct { int a, b; } *old = before;
  struct Pair *p = now;
  p->sum = old->a + old->b;
  printf("app v2: migrating %zu bytes laid out as %s\n", size, layout);
}
void show(void) { printf("app v2: sum=%ld label=%s\n", pair.sum, pair.label); }
void (*get_saved(void))(void) { return show; }
