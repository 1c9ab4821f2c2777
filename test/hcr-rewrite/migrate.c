// HCR_MIGRATE(g) defines the module's own migration of global g: the
// function stays static (not reloadable through a slot, like a reload
// handler) and is registered before the global, under the global's key.
// Naming something that is not a kept global of the module is an error.
// RUN: %hcr-rewrite %s -- -I%hcr_include > %t.c
// RUN: grep -v "^// CHECK" %t.c | FileCheck %s
// RUN: %clang-check %t.c
// RUN: not %hcr-rewrite %s -- -I%hcr_include -DWRONG 2>&1 | FileCheck %s --check-prefix=WRONG
#include <hcr/hcr.h>
#include <stddef.h> /* size_t: <hcr/hcr.h> includes nothing */

struct counter { long total; };
struct counter counter = {5};

HCR_MIGRATE(counter)(void *now, const void *before, const char *layout,
                     size_t size) {
  (void)layout, (void)size;
  ((struct counter *)now)->total = *(const int *)before;
}
#ifdef WRONG
int local_only(void) {
  static int seen;
  return ++seen;
}
HCR_MIGRATE(seen)(void *now, const void *before, const char *layout,
                  size_t size) {}
#endif

// CHECK: HCR_MIGRATE(counter)(void *now, const void *before, const char *layout,
// CHECK-NOT: hcr_migrate_counter_actual
// CHECK: void hcr_module_register_symbols(void) {
// CHECK-NEXT: hcr_set_global_migrator("migrate", "counter", hcr_migrate_counter);
// CHECK-NEXT: hcr_is_new_counter = hcr_register_global_layout("migrate", "counter",

// WRONG: migrate.c:25:1: error: HCR_MIGRATE(seen) names no global of this module that hcr keeps
