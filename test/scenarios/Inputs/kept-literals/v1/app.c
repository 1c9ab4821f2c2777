#include <stdio.h>
/* Kept globals that point into the module's own constant data: string
 * literals and a static const table. */
const char *motto = "made by v1";
struct place {
  int x;
  const char *name;
} home = {1, "earth of v1"};
static const int table[3] = {10, 11, 12};
const int *numbers = table;
void show(void) {
  printf("app v1: %s, %s %d, %d\n", motto, home.name, home.x, numbers[2]);
}
void (*get_saved(void))(void) { return show; }
