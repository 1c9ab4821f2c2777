// A prototype of a project function becomes a pointer static with the same
// name; the definition becomes static <name>_actual.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

// CHECK: #include <hcr/hcr.h>
// CHECK-NEXT: #line 1

int twice(int x);
// CHECK: static int (*twice)(int x) HCR_SLOT;

int twice(int x) { return 2 * x; }
// CHECK: static int twice_actual(int x) { return 2 * x; }

int use(void) { return twice(21); }
// CHECK: static int (*use)(void) HCR_SLOT; static int use_actual(void) { return twice_actual(21); }

// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_register_symbols(void) {
// CHECK-NEXT:   twice = (__typeof__(twice))hcr_register_proc("prototype", "twice", (void *)twice_actual);
// CHECK-NEXT:   use = (__typeof__(use))hcr_register_proc("prototype", "use", (void *)use_actual);
