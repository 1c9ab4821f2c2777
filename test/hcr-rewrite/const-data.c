// Constant data: static const objects stay in the module and are reloaded
// with its code (like string literals), so edits to them take effect.
// const objects with external linkage become slots whose value is copied
// again at every load (as Nim does), so edits take effect there too while
// their address stays.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

static const int limits[] = {10, 20};
// CHECK: static const int limits[] = {10, 20};
const double ratio = 1.5;
// CHECK: static const double (*ratio) HCR_SLOT;
int limit(int i) { return limits[i] * (int)ratio; }
// CHECK: static int (*limit)(int) HCR_SLOT; static int limit_actual(int i) { return limits[i] * (int)(*ratio); }

// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_init(void) {
// CHECK-NEXT: {
// CHECK-NEXT: static __typeof__(*ratio) hcr_value = 1.5;
