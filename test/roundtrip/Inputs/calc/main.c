#include <stdio.h>
#include "table.h"
#include "arith.h"
struct history { int values[8]; int n; };
static struct history log_ = {{0}, 0};
static int remember(int v) { log_.values[log_.n++ % 8] = v; return v; }
int main(int argc, char **argv) {
  static int runs = 0;
  ++runs;
  const char *names[] = {"add", "sub", "mul", "pow", "nope"};
  for (int i = 0; i < 5; ++i)
    printf("%s(7, 3) = %d\n", names[i], remember(apply(names[i], 7, 3)));
  printf("sum_all = %d, argc = %d, first arg = %s\n", sum_all(4, 1, 2, 3, 4), argc, argv[1]);
  printf("ops = %d, calls = %lu, history = %d, runs = %d\n", op_count, calls, log_.n, runs);
  binop f = lookup("mul");
  printf("mul through pointer: %d, same pointer: %d\n", f(6, 7), f == lookup("mul"));
  return log_.values[3] == 2401 ? 3 : 4;
}
