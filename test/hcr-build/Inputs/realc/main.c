#include "api.h"
#include <stdio.h>

static int apply(const char *name, int a, int b) {
  /* A table of functions local to a function, as Lua's loadlib.c has. */
  static const op_reg local[] = {{"sub", op_sub}, {"add", op_add}};
  for (int i = 0; i < 2; ++i)
    if (local[i].name[0] == name[0])
      return local[i].fn(a, b);
  return -1;
}

/* A static local whose type is defined in its own declaration. */
static int visits(void) {
  static struct {
    int n;
    const char *tag;
  } seen = {0, "seen"};
  return ++seen.n * (seen.tag[0] == 's');
}

int main(void) {
  const op_reg *t = op_table();
  for (int i = 0; t[i].name; ++i)
    printf("%s(6, 3) = %d\n", t[i].name, t[i].fn(6, 3));
  printf("same function: %d %d %d\n", t[0].fn == op_add, t[1].fn == &op_mul,
         t[2].fn == op_sub);
  printf("apply: %d %d\n", apply("sub", 9, 4), apply("add", 9, 4));
  int *const *c = counters();
  printf("counters: adds %d, muls %d, calls %d (op_calls %d)\n", *c[0],
         *c[1], *c[2], op_calls);
  printf("names: %s %s %s\n", op_names[0], op_names[1], op_names[2]);
  printf("weighted: %d %d %d\n", weighted(0), weighted(1), weighted(2));
  visits();
  printf("visits: %d\n", visits());
  return 0;
}
