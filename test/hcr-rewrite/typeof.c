// __typeof__ of a function is its function type, and the function becomes a
// pointer: the operand becomes (*f). Of &f, and of a call, the type is the
// same as before.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

int twice(int x) { return 2 * x; }
__typeof__(twice) *pick = twice;
// CHECK: static __typeof__((*twice)) *(*pick) HCR_SLOT;
__typeof__(&twice) other = &twice;
// CHECK: static __typeof__(twice) (*other) HCR_SLOT;
__typeof__(twice(1)) result;
// CHECK: static __typeof__(twice_actual(1)) (*result) HCR_SLOT;
int use(void) { return pick(1) + other(2) + result; }
