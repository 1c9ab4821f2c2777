// A function used as a value is its pointer static, whose value is the
// trampoline: &f becomes f, so f and &f stay equal and stable across
// reloads. Only calls go straight to <name>_actual.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

typedef int (*handler)(int);
int on_event(int e) { return e + 1; }
int dispatch(handler h, int e) { return h(e); }
int run(void) {
  handler a = on_event, b = &on_event, c = &(on_event);
  return dispatch(a, 1) + (b == c) + (*on_event)(2) + on_event(3);
}
// CHECK: handler a = on_event, b = on_event, c = (on_event);
// CHECK-NEXT: return dispatch_actual(a, 1) + (b == c) + (*on_event)(2) + on_event_actual(3);
