// A thread-local variable cannot live behind one runtime slot: an error
// names it and says what to do, and nothing is written.
// RUN: not %hcr-rewrite %s -- 2>&1 | FileCheck %s --check-prefix=DIAG

// DIAG: error-thread-local.c:[[@LINE+1]]:19: error: thread-local variable 'per_thread' cannot be made reloadable: the runtime keeps one copy of each global; make it an ordinary global, or keep it in a file that hcr does not rewrite
_Thread_local int per_thread;
int get(void) { return per_thread; }
// DIAG-NOT: #include <hcr/hcr.h>
