// The generated code names f_actual for each function f, hcr_is_new_<g>
// for each global, the entry points and <hcr/hcr.h>'s functions: a
// declaration (at any scope) or a macro of the module with one of those
// names would change what the rewritten code means, so it is an error, and
// nothing is written.
// RUN: not %hcr-rewrite %s -- 2>&1 | FileCheck %s --check-prefix=DIAG

int twice(int x) { return 2 * x; }
int counter;
int use(void) {
  // DIAG: error-generated-names.c:[[@LINE+1]]:7: error: 'twice_actual' is the name hcr gives to the code of function 'twice'; rename one of them
  int twice_actual = 1;
  return twice(twice_actual) + counter;
}
// DIAG: error-generated-names.c:[[@LINE+1]]:6: error: 'hcr_module_init' is a name of hcr's generated code or of <hcr/hcr.h>; rename it
void hcr_module_init(void) {}
// DIAG: error-generated-names.c:[[@LINE+1]]:9: error: 'hcr_is_new_counter' is a name of hcr's generated code or of <hcr/hcr.h>; rename it
#define hcr_is_new_counter 0
// DIAG-NOT: #include <hcr/hcr.h>
