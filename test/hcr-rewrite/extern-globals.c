// Another module's functions and globals, known from the project index,
// become slots filled by hcr_get_proc/hcr_get_global in hcr_module_link;
// that module is imported. A library's declarations stay as they are.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hcr-rewrite --index=%t/index.json --index-only %S/Inputs/store.c %s --
// RUN: %hcr-rewrite --index=%t/index.json %s -- > %t/out.c
// RUN: FileCheck %s --match-full-lines < %t/out.c
// RUN: %clang-check %t/out.c
// RUN: %gcc-check %t/out.c
#include <stdio.h>

extern int store_size;
// CHECK: static int (*store_size) HCR_SLOT;
extern const char *store_names[];
// CHECK: static const char *(*store_names)[] HCR_SLOT;
int store_put(const char *key, int value);
// CHECK: static int (*store_put)(const char *key, int value) HCR_SLOT;
int store_unused(void);
// CHECK: static int (*store_unused)(void) HCR_SLOT;

int fill(void) {
  store_put("a", 1);
  printf("%d %s\n", store_size, store_names[0]);
  return store_size;
}
// CHECK: store_put("a", 1);
// CHECK-NEXT: printf("%d %s\n", (*store_size), (*store_names)[0]);

// CHECK: static const char *const hcr_imports[] = {"store", 0};
// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_link(void) {
// CHECK-NEXT: store_put = (__typeof__(store_put))hcr_get_proc("store", "store_put");
// CHECK-NEXT: store_names = (__typeof__(store_names))hcr_get_global("store", "store_names");
// CHECK-NEXT: store_size = (__typeof__(store_size))hcr_get_global("store", "store_size");
// CHECK-NEXT: }
