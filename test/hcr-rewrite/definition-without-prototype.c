// A definition with no earlier declaration gets its pointer declared just
// before it, on the same line, so line numbers stay the same.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

long square(long v) { return v * v; }
// CHECK: static long (*square)(long) HCR_SLOT; static long square_actual(long v) { return v * v; }
void reset(void) {}
// CHECK: static void (*reset)(void) HCR_SLOT; static void reset_actual(void) {}
