// The rewritten file includes <hcr/hcr.h> before the module's text, so a
// declaration or a macro of the module named like one of its macros would
// change meaning: `double *HCR_SLOT;` became `double *__attribute__((unused))`
// (found by hcr-rewrite-fuzzer). It is an error, and nothing is written.
// RUN: not %hcr-rewrite %s -- 2>&1 | FileCheck %s
// CHECK-DAG: error-hcr-macros.c:[[@LINE+1]]:9: error: 'HCR_SLOT' is a name of hcr's generated code or of <hcr/hcr.h>; rename it
double *HCR_SLOT;
// CHECK-DAG: error-hcr-macros.c:[[@LINE+1]]:9: error: 'HCR_MODULE_EXPORT' is a name of hcr's generated code or of <hcr/hcr.h>; rename it
#define HCR_MODULE_EXPORT static
int use(void) {
  // CHECK-DAG: error-hcr-macros.c:[[@LINE+1]]:7: error: 'HCR_API' is a name of hcr's generated code or of <hcr/hcr.h>; rename it
  int HCR_API = 1;
  return HCR_API;
}
// CHECK-NOT: error:
// RUN: not %hcr-rewrite %s -- 2>&1 | grep -c "error:" | FileCheck %s --check-prefix=COUNT
// COUNT: 3
