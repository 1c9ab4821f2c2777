/* v1 of the layout-migration scenario: kept globals and a static local
 * whose types the next versions change. */
#include <stdio.h>

struct Pair {
  int a;
  int b;
};
struct Pair pair = {1, 2};

struct Body {
  double x;
  short hp;
  int unused;
  int tags[3];
  struct Pair inner;
  unsigned flags : 3;
};
struct Body body = {1.5, -7, 11, {1, 2, 3}, {4, 5}, 5};

union Value {
  int i;
  float f;
};
union Value value = {42};

struct Node {
  int id;
};
struct Node first = {1};
struct Node *head = &first;

void show(void) {
  static struct { int calls; } stats;
  stats.calls++;
  printf("app v1: pair a=%d b=%d | body x=%.2f hp=%d tags=%d,%d,%d "
         "inner=%d,%d flags=%u | value %d | head %d | calls %d\n",
         pair.a, pair.b, body.x, body.hp, body.tags[0], body.tags[1],
         body.tags[2], body.inner.a, body.inner.b, body.flags, value.i,
         head->id, stats.calls);
  pair.a += 10;
  body.x += 1;
}
void (*get_saved(void))(void) { return show; }
