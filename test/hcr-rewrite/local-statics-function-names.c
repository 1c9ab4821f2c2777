// A function-local static moves to file scope, where the names declared in
// its function are not visible, or name something else (the file's T and
// K here): in its type and its initializer, the function's typedefs become
// the types they name and its enumerators their values; a typedef that
// only the static used is marked unused, not warned about.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

typedef int T;
enum { K = 1 };
int total(void) {
  typedef long T;
  enum { K = 7 };
  static T sum = K * sizeof(T);
  return (int)sum;
}
// CHECK: static int (*total)(void) HCR_SLOT; static long *hcr_static_total_sum HCR_SLOT; static int total_actual(void) {
// CHECK-NEXT:   __attribute__((unused)) typedef long T;
// CHECK: static __typeof__(*hcr_static_total_sum) hcr_value = (7) * sizeof(__typeof__(long));
