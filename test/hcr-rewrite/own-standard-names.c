// Old C defines its own bool, NULL, offsetof and size_t. The rewritten file
// includes <hcr/hcr.h> ahead of the module's text, so the header must not
// bring in <stdbool.h> or <stddef.h>: `typedef int bool;` became
// `typedef int _Bool;` and the module no longer compiled.
// RUN: %hcr-rewrite %s -- -std=c11 > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c
// The same file, built as an ordinary program, compiles as well.
// RUN: %clang-check %s

typedef int bool;
enum { false, true };
typedef unsigned long size_t;
#define NULL ((void *)0)
#define offsetof(type, field) ((size_t) & ((type *)0)->field)

struct point {
  int x, y;
};
bool enabled = true;
// CHECK: static bool (*enabled) HCR_SLOT;
size_t y_offset(void) { return offsetof(struct point, y); }
// CHECK: static size_t (*y_offset)(void) HCR_SLOT; static size_t y_offset_actual(void) { return offsetof(struct point, y); }
void *nothing(void) { return enabled ? NULL : &enabled; }
