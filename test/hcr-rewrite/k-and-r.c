// K&R definitions and declarations without prototypes are rewritten like
// any other: the pointer has no prototype either.
// RUN: %hcr-rewrite %s -- -std=c11 -Wno-deprecated-non-prototype > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check -Wno-deprecated-non-prototype %t.c
// RUN: %gcc-check %t.c

int old_style();
// CHECK: static int (*old_style)() HCR_SLOT;
int old_style(a, b)
  int a;
  int b;
{ return a + b; }
// CHECK: static int old_style_actual(a, b)
int use(void) { return old_style(1, 2); }
// CHECK: static int (*use)(void) HCR_SLOT; static int use_actual(void) { return old_style_actual(1, 2); }
