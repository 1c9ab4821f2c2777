#include <stdio.h>
static int is_even(int n);
static int is_odd(int n) { return n == 0 ? 0 : is_even(n - 1); }
static int is_even(int n) { return n == 0 ? 1 : is_odd(n - 1); }
static void greet(void) { puts("greet v2"); }
void (*handler)(void) = greet; /* A kept global holding a function pointer. */
void show(void) {
  static int calls = 0;
  ++calls;
  printf("app v2: calls %d, is_odd(9) %d, is_even(9) %d\n", calls, is_odd(9), is_even(9));
  handler();
}
void (*get_saved(void))(void) { return show; }
