// <hcr/hcr.h> declares the same names whether the program is built for
// reloading or not: built without HCR_ENABLED it used to include
// <stdlib.h> and <string.h>, so a program calling strcmp without including
// <string.h> compiled as an ordinary program and failed once built for
// reloading (found by hcr-rewrite-fuzzer, docs/Fuzzing.md).
// RUN: not clang-19 -fsyntax-only -std=c11 -I%hcr_include %s 2>&1 | FileCheck %s
// RUN: not clang-19 -fsyntax-only -std=c11 -DHCR_ENABLED=1 -I%hcr_include %s 2>&1 | FileCheck %s
// RUN: not gcc -fsyntax-only -std=c11 -Werror=implicit-function-declaration -I%hcr_include %s 2>&1 | FileCheck %s --check-prefix=GCC
// Without reloading, the header's own functions still work.
// RUN: clang-19 -std=c11 -Wall -Werror -DUSE_HEADER_ONLY -I%hcr_include %s -o %t && %t | FileCheck %s --check-prefix=OUT
// RUN: gcc -std=c11 -Wall -Werror -DUSE_HEADER_ONLY -I%hcr_include %s -o %t.gcc && %t.gcc | FileCheck %s --check-prefix=OUT
#include <hcr/hcr.h>

#ifndef USE_HEADER_ONLY
int same(const char *a, const char *b) { return strcmp(a, b) == 0; }
// CHECK: error: call to undeclared library function 'strcmp'
// GCC: error: implicit declaration of function 'strcmp'
#else
#include <stdio.h>
int main(void) {
  int *counter;
  if (!hcr_register_global("m", "counter", sizeof *counter, sizeof *counter,
                           (void **)&counter))
    return 1;
  hcr_reload_stats stats;
  stats.generation = 7;
  if (hcr_last_reload_stats(&stats, sizeof stats) != HCR_OK)
    return 1;
  printf("counter %d, generation %lu\n", *counter,
         (unsigned long)stats.generation);
  // OUT: counter 0, generation 0
  return 0;
}
#endif
