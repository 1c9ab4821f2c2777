/* v5: a pointer whose pointee gains a field: the reload is refused. */
#include <stdio.h>

struct Pair {
  int b;
  int a;
  int c;
};
struct Pair pair = {20, 10, 99};

struct Body {
  const char *label;
  float x;
  long long hp;
  int tags[5];
  struct Pair inner;
  int flags : 6;
};
struct Body body = {"new", 0, 0, {9, 9, 9, 9, 9}, {8, 8, 8}, 0};

union Value {
  int i;
  float f;
};
union Value value = {42};

struct Node {
  int id;
  int rank;
};
struct Node first = {1};
struct Node *head = &first;

void show(void) {
  static struct {
    int calls;
    int resets;
  } stats = {0, 3};
  stats.calls++;
  printf("app v5: pair a=%d b=%d c=%d | body %s x=%.2f hp=%lld "
         "tags=%d,%d,%d,%d,%d inner=%d,%d,%d flags=%d | value %d | head %d | "
         "calls %d resets %d\n",
         pair.a, pair.b, pair.c, body.label, body.x, body.hp, body.tags[0],
         body.tags[1], body.tags[2], body.tags[3], body.tags[4], body.inner.a,
         body.inner.b, body.inner.c, body.flags, value.i, head->id, stats.calls,
         stats.resets);
  pair.a += 10;
  body.x += 1;
}
void (*get_saved(void))(void) { return show; }
