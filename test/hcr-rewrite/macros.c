// Uses inside macros: a macro argument is rewritten where it is written;
// a macro body defined in the project is rewritten in the #define, once
// for all its expansions.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

int level;
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define LEVEL_UP() (++level)
#define CALL_TWICE(f) ((f)() + (f)())
int bump(void) { return LEVEL_UP(); }

int use(void) {
  return MAX(level, 3) + CALL_TWICE(bump);
}
// The argument of CALL_TWICE is called: it is an own call, made directly.
// CHECK: #define LEVEL_UP() (++(*level))
// CHECK: return MAX((*level), 3) + CALL_TWICE(bump_actual);
