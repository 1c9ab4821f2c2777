#include <stdio.h>
struct Pair {
  int b;
  int a;
};
struct Pair pair = {20, 10};
void show(void) { printf("app v2: a=%d b=%d\n", pair.a, pair.b); }
void (*get_saved(void))(void) { return show; }
