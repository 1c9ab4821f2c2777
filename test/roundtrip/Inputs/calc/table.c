#include <string.h>
#include "table.h"
#include "arith.h"
unsigned long calls;
struct entry ops[] = {{"add", add}, {"sub", &sub}, {"mul", mul}, {"pow", power}};
int op_count = sizeof ops / sizeof ops[0];
binop lookup(const char *name) {
  for (int i = 0; i < op_count; ++i)
    if (strcmp(ops[i].name, name) == 0)
      return ops[i].fn;
  return 0;
}
int apply(const char *name, int a, int b) {
  binop f = lookup(name);
  COUNT_CALL();
  return f ? f(a, b) : -1;
}
