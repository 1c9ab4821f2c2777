// Variadic functions become variadic pointers; va_list code is untouched.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c
#include <stdarg.h>

int sum(int count, ...);
// CHECK: static int (*sum)(int count, ...) HCR_SLOT;
int sum(int count, ...) {
  // CHECK: static int sum_actual(int count, ...) {
  va_list ap;
  va_start(ap, count);
  int total = 0;
  for (int i = 0; i < count; ++i)
    total += va_arg(ap, int);
  va_end(ap);
  return total;
}
int use(void) { return sum(3, 1, 2, 3); }
// CHECK: static int (*use)(void) HCR_SLOT; static int use_actual(void) { return sum_actual(3, 1, 2, 3); }
