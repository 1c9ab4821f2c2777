#include <hcr/hcr.h>
#include <stdio.h>
/* The pair changes again, and this migration crashes: the reload is rolled
 * back and v2 goes on with its state. */
struct Pair {
  int sum;
  int count;
};
struct Pair pair = {0, 0};
HCR_MIGRATE(pair)(void *now, const void *before, const char *layout,
                  size_t size) {
  (void)now, (void)before, (void)layout, (void)size;
  volatile int *nowhere = 0;
  *nowhere = 1;
}
void show(void) { printf("app v3: sum=%d count=%d\n", pair.sum, pair.count); }
void (*get_saved(void))(void) { return show; }
