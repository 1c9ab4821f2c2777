// main alone returns 0 when it falls off its end: renamed main_actual, it
// gets that return written out (on the closing brace's line), or the
// program's exit status would be garbage. The rewritten file compiles with
// -Wall -Werror (-Wreturn-type).
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: grep -v "^// CHECK" %t.c | FileCheck %s
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c
#include <stdio.h>

int main(void) {
  puts("hi");
}
// CHECK: static int main_actual(void) {
// CHECK-NEXT: puts("hi");
// CHECK-NEXT: return 0; }
