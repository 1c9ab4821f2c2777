// A global pointer to an array (and a function pointer global) keeps its
// declarator; the slot wraps the name.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

int row[4] = {1, 2, 3, 4};
int (*current)[4] = &row;
// CHECK: static int (*(*current))[4] HCR_SLOT;
int last(void) { return (*current)[3]; }
// CHECK: static int (*last)(void) HCR_SLOT; static int last_actual(void) { return (*(*current))[3]; }

// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_init(void) {
// CHECK: if (hcr_is_new_current) {
// CHECK-NEXT: __typeof__(*current) hcr_value = &(*row);
