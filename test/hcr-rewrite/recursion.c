// Calls to the module's own functions go straight to <name>_actual; a call
// that comes before the callee's definition gets a forward declaration of
// <name>_actual, so mutual recursion compiles.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }
// CHECK: static int (*fact)(int) HCR_SLOT; static int fact_actual(int n) { return n <= 1 ? 1 : n * fact_actual(n - 1); }

int is_odd(unsigned n);
// CHECK: static int (*is_odd)(unsigned n) HCR_SLOT;
int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
// CHECK: static int (*is_even)(unsigned int) HCR_SLOT; static int (is_odd_actual)(unsigned int); static int is_even_actual(unsigned n) { return n == 0 ? 1 : is_odd_actual(n - 1); }
int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
// CHECK: static int is_odd_actual(unsigned n) { return n == 0 ? 0 : is_even_actual(n - 1); }
