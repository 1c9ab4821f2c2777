// --all-calls-indirect sends calls to the module's own functions through
// their trampolines too (Nim's strategy, for the experiments).
// RUN: %hcr-rewrite --all-calls-indirect %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
// CHECK: static int (*fib)(int) HCR_SLOT; static int fib_actual(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
