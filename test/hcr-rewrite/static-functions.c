// Static functions are reloadable too, registered under the module's name,
// so equal static names in two modules never clash.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

static int helper(int);
// CHECK: static int (*helper)(int) HCR_SLOT;
static int helper(int x) { return x + 1; }
// CHECK: static int helper_actual(int x) { return x + 1; }
int api(void) { return helper(1); }
// CHECK: helper = (__typeof__(helper))hcr_register_proc("static-functions", "helper", (void *)helper_actual);
