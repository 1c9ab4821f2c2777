// Function-local statics move to file scope as slots named after their
// function, so they keep their value across reloads. Two locals of one
// name in one function get distinct names.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

int next_id(void) {
  static int id = 100;
  return id++;
}
// CHECK: static int (*next_id)(void) HCR_SLOT; static int *hcr_static_next_id_id HCR_SLOT; static int next_id_actual(void) {
// CHECK-NEXT: {{^  $}}
// CHECK-NEXT: return (*hcr_static_next_id_id)++;

int twice_counted(int pick) {
  if (pick) { static long n; return (int)++n; }
  else { static long n = 5; return (int)--n; }
}
// CHECK: static int (*twice_counted)(int) HCR_SLOT; static long *hcr_static_twice_counted_n HCR_SLOT; static long *hcr_static_twice_counted_n_2 HCR_SLOT; static int twice_counted_actual(int pick) {
// CHECK-NEXT: if (pick) {  return (int)++(*hcr_static_twice_counted_n); }
// CHECK-NEXT: else {  return (int)--(*hcr_static_twice_counted_n_2); }

// Constant locals stay: they are reloaded with the code.
const char *greeting(void) { static const char text[] = "hi"; return text; }
// CHECK: static const char *(*greeting)(void) HCR_SLOT; static const char *greeting_actual(void) { static const char text[] = "hi"; return text; }

// CHECK: hcr_is_new_hcr_static_next_id_id = hcr_register_global_layout("local-statics", "next_id.id", sizeof(*hcr_static_next_id_id), 4, "i4", (void **)&hcr_static_next_id_id);
// CHECK-NEXT: hcr_is_new_hcr_static_twice_counted_n = hcr_register_global_layout("local-statics", "twice_counted.n", sizeof(*hcr_static_twice_counted_n), 8, "i8", (void **)&hcr_static_twice_counted_n);
// CHECK-NEXT: hcr_is_new_hcr_static_twice_counted_n_2 = hcr_register_global_layout("local-statics", "twice_counted.n.2", sizeof(*hcr_static_twice_counted_n_2), 8, "i8", (void **)&hcr_static_twice_counted_n_2);
// Plain C's copies are unloaded as usual (no hcr_retain_replaced_code, see
// gnucobol-retain.c).
// CHECK-NEXT: }
// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_init(void) {
// CHECK-NEXT: if (hcr_is_new_hcr_static_next_id_id) {
// CHECK-NEXT: static __typeof__(*hcr_static_next_id_id) hcr_value = 100;
// CHECK: if (hcr_is_new_hcr_static_twice_counted_n_2) {
// CHECK-NEXT: static __typeof__(*hcr_static_twice_counted_n_2) hcr_value = 5;
