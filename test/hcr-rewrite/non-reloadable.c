// Left alone: inline functions, functions marked HCR_NON_RELOADABLE, those
// named on the command line, and reload handlers (registered instead).
// RUN: %hcr-rewrite %s --non-reloadable=fast_path -- -I%hcr_include > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c
#include <hcr/hcr.h>

static inline int square(int x) { return x * x; }
// CHECK: static inline int square(int x) { return x * x; }
HCR_NON_RELOADABLE int pinned(void) { return 1; }
// CHECK: HCR_NON_RELOADABLE int pinned(void) { return 1; }
int fast_path(void) { return 2; }
// CHECK: int fast_path(void) { return 2; }
int state;
HCR_BEFORE_RELOAD(save) { state += 1; }
// CHECK: HCR_BEFORE_RELOAD(save) { (*state) += 1; }
HCR_AFTER_RELOAD(restore) { state -= 1; }
int all(void) { return square(2) + pinned() + fast_path(); }
// CHECK: static int (*all)(void) HCR_SLOT; static int all_actual(void) { return square(2) + pinned() + fast_path(); }

// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_register_symbols(void) {
// CHECK-NEXT: all = (__typeof__(all))hcr_register_proc("non-reloadable", "all", (void *)all_actual);
// CHECK-NEXT: hcr_is_new_state = hcr_register_global_layout("non-reloadable", "state", sizeof(*state), 4, "i4", (void **)&state);
// CHECK-NEXT: hcr_add_reload_handler("non-reloadable", HCR_BEFORE_RELOAD, save);
// CHECK-NEXT: hcr_add_reload_handler("non-reloadable", HCR_AFTER_RELOAD, restore);
// CHECK-NEXT: }
