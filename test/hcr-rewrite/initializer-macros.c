// A moved initializer is read at the end of the file, where its macros may
// mean something else or nothing (generated C undefines its helpers): the
// rewrite restores around it each macro it uses, and each macro those use,
// as it was where the initializer was written (a project macro's body as
// rewritten).
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

int base = 5;
#define N 3
#define TWICE(x) (2 * (x))
#define NEXT (N + 1)
int table[N] = {N, TWICE(N), NEXT};
#define WHERE (&base)
int *first = WHERE;
static int *const refs[] = {WHERE};
#undef N
#define N 4
#undef TWICE
#undef WHERE
int sum(void) {
#define STEP 7
  static int step = STEP;
#undef STEP
  return table[0] + step + *first + *refs[0];
}
// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_link(void) {
// CHECK-NEXT:  {
// CHECK-NEXT: #pragma push_macro("WHERE")
// CHECK-NEXT: #undef WHERE
// CHECK-NEXT: #define WHERE (&(*base))
// CHECK-NEXT:    __typeof__(refs) hcr_value = {WHERE};
// CHECK-NEXT: #pragma pop_macro("WHERE")
// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_init(void) {
// NEXT is the same at the end; N, which it names, is restored.
// CHECK:       if (hcr_is_new_table) {
// CHECK-NEXT: #pragma push_macro("N")
// CHECK-NEXT: #undef N
// CHECK-NEXT: #define N 3
// CHECK-NEXT: #pragma push_macro("TWICE")
// CHECK-NEXT: #undef TWICE
// CHECK-NEXT: #define TWICE(x) (2 * (x))
// CHECK-NEXT:    static __typeof__(*table) hcr_value = {N, TWICE(N), NEXT};
// CHECK-NEXT: #pragma pop_macro("TWICE")
// CHECK-NEXT: #pragma pop_macro("N")
// CHECK:       if (hcr_is_new_first) {
// CHECK-NEXT: #pragma push_macro("WHERE")
// CHECK-NEXT: #undef WHERE
// CHECK-NEXT: #define WHERE (&(*base))
// CHECK-NEXT:    __typeof__(*first) hcr_value = WHERE;
// CHECK-NEXT: #pragma pop_macro("WHERE")
// CHECK:       if (hcr_is_new_hcr_static_sum_step) {
// CHECK-NEXT: #pragma push_macro("STEP")
// CHECK-NEXT: #undef STEP
// CHECK-NEXT: #define STEP 7
// CHECK-NEXT:    static __typeof__(*hcr_static_sum_step) hcr_value = STEP;
// CHECK-NEXT: #pragma pop_macro("STEP")
