#include <stdio.h>
static int is_even(int n);
static int is_odd(int n) { return n == 0 ? 0 : is_even(n - 1); }
static int is_even(int n) { return n == 0 ? 1 : is_odd(n - 1); }
static void greet(void) { puts("greet v1"); }
void (*handler)(void) = greet; /* A kept global holding a function pointer. */
void show(void) {
  static int calls = 0;
  ++calls;
  printf("app v1: calls %d, is_odd(7) %d, is_even(7) %d\n", calls, is_odd(7), is_even(7));
  handler();
}
void (*get_saved(void))(void) { return show; }
