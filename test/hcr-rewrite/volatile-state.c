// Volatile globals and static locals keep their qualifier, and their moved
// initializers compile: the copy into the storage passed `volatile long *`
// where `const void *` is taken, an error with -Werror (found by
// hcr-rewrite-fuzzer, docs/Fuzzing.md).
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: grep -v "^// CHECK" %t.c | FileCheck %s
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

volatile int ticks = 3;
// CHECK: static volatile int (*ticks) HCR_SLOT;
int total(void) {
  static volatile long sum = 7;
  return (int)(sum += ticks);
}
// CHECK: static __typeof__(*ticks) hcr_value = 3;
// CHECK-NEXT: __builtin_memcpy((void *)ticks, (const void *)&hcr_value, sizeof hcr_value);
// CHECK: static __typeof__(*hcr_static_total_sum) hcr_value = 7;
// CHECK-NEXT: __builtin_memcpy((void *)hcr_static_total_sum, (const void *)&hcr_value, sizeof hcr_value);
