// main stays the program's own function, untouched: falling off its end
// returns 0 as C says (C99 5.1.2.2.3), with no edit (hcr once renamed main
// and had to write the return out). The rewritten file compiles with
// -Wall -Werror.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: grep -v "^// CHECK" %t.c | FileCheck %s
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c
#include <stdio.h>

int main(void) {
  puts("hi");
}
// CHECK: int main(void) {
// CHECK-NEXT: puts("hi");
// CHECK-NEXT: }
// CHECK-NOT: main_actual
// CHECK: hcr_start_host(
