#include <stdio.h>
/* Kept globals that point into the module's own constant data: string
 * literals and a static const table. */
const char *motto = "made by v2";
struct place {
  int x;
  const char *name;
} home = {2, "earth of v2"};
static const int table[3] = {20, 21, 22};
const int *numbers = table;
void show(void) {
  printf("app v2: %s, %s %d, %d\n", motto, home.name, home.x, numbers[2]);
}
void (*get_saved(void))(void) { return show; }
