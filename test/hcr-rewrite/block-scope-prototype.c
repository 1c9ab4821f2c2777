// A prototype inside a function would declare a local that hides the
// module's slot: the slot is declared at file scope and the prototype
// dropped.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

int caller(void) {
  int callee(int);
  return callee(1);
}
int callee(int x) { return x + 1; }
// CHECK: static int (*caller)(void) HCR_SLOT; static int (*callee)(int) HCR_SLOT; static int (callee_actual)(int); static int caller_actual(void) {
// CHECK-NEXT: {{^  $}}
// CHECK-NEXT: return callee_actual(1);
// CHECK: static int callee_actual(int x) { return x + 1; }
