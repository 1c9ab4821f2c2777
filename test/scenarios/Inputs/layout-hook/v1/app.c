#include <stdio.h>
struct Pair {
  int a;
  int b;
};
struct Pair pair = {1, 2};
void show(void) { printf("app v1: a=%d b=%d\n", pair.a, pair.b); }
void (*get_saved(void))(void) { return show; }
