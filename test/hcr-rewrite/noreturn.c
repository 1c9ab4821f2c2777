// A function that does not return (_Noreturn, <stdnoreturn.h>'s noreturn,
// __attribute__((noreturn))) keeps saying so through its pointer and its
// early declaration: a caller that ends with the call is not warned that
// it falls off its end (-Wreturn-type). The _Noreturn specifier applies to
// functions only: on the pointer it becomes the attribute.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c
// Through the pointers too. (Not for gcc, whose "no return statement"
// warning for a static function looks at direct callees only: last_actual
// calling quit through its pointer is warned about, whatever the pointer
// says.)
// RUN: %hcr-rewrite --all-calls-indirect %s -- > %t2.c
// RUN: %clang-check %t2.c
#include <stdnoreturn.h>

_Noreturn void fail(void);
// CHECK: static __attribute__((__noreturn__)) void (*fail)(void) HCR_SLOT;
noreturn void stop(void);
// CHECK: static __attribute__((__noreturn__)) void (*stop)(void) HCR_SLOT;
int check(int x) {
  if (x > 0)
    return x;
  if (x < 0)
    stop();
  fail();
}
// CHECK: static int (*check)(int) HCR_SLOT; static void (stop_actual)(void) __attribute__((__noreturn__)); static void (fail_actual)(void) __attribute__((__noreturn__)); static int check_actual(int x) {
_Noreturn void fail(void) { for (;;) {} }
noreturn void stop(void) { for (;;) {} }
_Noreturn void quit(void) { for (;;) {} }
// CHECK: static void (*quit)(void) __attribute__((__noreturn__)) HCR_SLOT; static _Noreturn void quit_actual(void) { for (;;) {} }
int last(void) { quit(); }
