#include <stdarg.h>
#include "arith.h"
static int calls_here;
int add(int a, int b) { ++calls_here; return a + b; }
int sub(int a, int b) { return add(a, -b); }
int mul(int a, int b) { int r = 0; for (int i = 0; i < b; ++i) r = add(r, a); return r; }
static int even(int n);
static int odd(int n) { return n == 0 ? 0 : even(n - 1); }
static int even(int n) { return n == 0 ? 1 : odd(n - 1); }
int power(int base, int exp) {
  if (exp == 0) return 1;
  int half = power(base, exp / 2);
  return even(exp) ? mul(half, half) : mul(base, mul(half, half));
}
int sum_all(int count, ...) {
  va_list ap;
  va_start(ap, count);
  int total = 0;
  while (count--) total = add(total, va_arg(ap, int));
  va_end(ap);
  return total;
}
