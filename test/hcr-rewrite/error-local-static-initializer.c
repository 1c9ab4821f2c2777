// The initializer of a function-local static moves to file scope; one that
// names something else declared in the function (a static const, which
// stays in the function) cannot.
// RUN: not %hcr-rewrite %s -- 2>&1 | FileCheck %s --check-prefix=DIAG

int next(void) {
  static const int step = 2;
  // DIAG: error-local-static-initializer.c:[[@LINE+1]]:27: error: hcr cannot move the initializer of 'at' to file scope: it names 'step', which is declared in the function; declare it at file scope
  static const int *at = &step;
  return *at;
}
