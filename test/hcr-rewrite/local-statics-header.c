// Function-local statics written in a project header that the function's
// body includes (GnuCOBOL declares a program's storage in prog.c.l.h,
// included inside the program's function) move to file scope as those
// written in the function do: the header's copy loses them, the module
// registers them, and they keep their value across reloads. Automatic
// locals of the header stay.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hcr-rewrite -o %t/out %S/Inputs/local-statics-header/ledger.c --
// RUN: FileCheck %s --check-prefix=HEADER --match-full-lines < %t/out/ledger.l.h
// RUN: FileCheck %s --match-full-lines < %t/out/ledger.c
// RUN: %clang-check %t/out/ledger.c
// RUN: %gcc-check %t/out/ledger.c

// HEADER:      /* The function's storage, as GnuCOBOL writes it (prog.c.l.h): included
// HEADER-NEXT:    inside the function's body. */
// HEADER-EMPTY:
// HEADER-EMPTY:
// HEADER-EMPTY:
// HEADER-NEXT: int scratch;

// CHECK:      static int (*ledger)(int) HCR_SLOT; static int *hcr_static_ledger_initialized HCR_SLOT; static unsigned char (*hcr_static_ledger_total)[9] HCR_SLOT; static unsigned char **hcr_static_ledger_field HCR_SLOT; static int ledger_actual(int amount) {
// CHECK-NEXT: #include "ledger.l.h"
// CHECK-NEXT:   if (!(*hcr_static_ledger_initialized)) {
// CHECK-NEXT:     __builtin_memset((*hcr_static_ledger_total), 0, sizeof (*hcr_static_ledger_total));
// CHECK-NEXT:     (*hcr_static_ledger_initialized) = 1;
// CHECK-NEXT:   }
// CHECK-NEXT:   scratch = amount;
// CHECK-NEXT:   (*hcr_static_ledger_field)[0] += (unsigned char)scratch;
// CHECK-NEXT:   return (*hcr_static_ledger_total)[0];

// CHECK:      hcr_is_new_hcr_static_ledger_initialized = hcr_register_global_layout("ledger", "ledger.initialized", sizeof(*hcr_static_ledger_initialized), 4, "i4", (void **)&hcr_static_ledger_initialized);
// CHECK-NEXT: hcr_is_new_hcr_static_ledger_total = hcr_register_global_layout("ledger", "ledger.total", sizeof(*hcr_static_ledger_total), 1, "[9]u1", (void **)&hcr_static_ledger_total);
// CHECK-NEXT: hcr_is_new_hcr_static_ledger_field = hcr_register_global_layout("ledger", "ledger.field", sizeof(*hcr_static_ledger_field), 8, "pu1", (void **)&hcr_static_ledger_field);
// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_init(void) {
// CHECK:      if (hcr_is_new_hcr_static_ledger_field) {
// CHECK-NEXT: __typeof__(*hcr_static_ledger_field) hcr_value = (*hcr_static_ledger_total);
