// A function-local static whose type is declared inside the function
// cannot be spelled at file scope, where its slot goes.
// RUN: not %hcr-rewrite %s -- 2>&1 | FileCheck %s --check-prefix=DIAG

int count(void) {
  struct tally { int n; };
  // DIAG: error-local-static-type.c:[[@LINE+1]]:23: error: hcr cannot spell the type of 't' at file scope; declare its type at file scope with a name
  static struct tally t;
  return ++t.n;
}
