// Declarations in project headers are rewritten in a copy of the header in
// the output tree (mirroring the project), the same for every includer;
// system headers and static inline functions are left alone. A macro body
// that names a global is rewritten where it is defined.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hcr-rewrite --index=%t/index.json -o %t/out %S/Inputs/headers/shapes.c %S/Inputs/headers/main.c --
// RUN: FileCheck %s --check-prefix=HEADER --match-full-lines < %t/out/shapes.h
// RUN: FileCheck %s --check-prefix=MAIN --match-full-lines < %t/out/main.c
// RUN: %clang-check %t/out/main.c
// RUN: %gcc-check %t/out/shapes.c

// HEADER: struct shape { int sides; };
// HEADER-NEXT: static struct shape (*square) HCR_SLOT;
// HEADER-NEXT: static int (*perimeter)(const struct shape *s, int side) HCR_SLOT;
// HEADER-NEXT: #define SQUARE_SIDES ((*square).sides)
// HEADER-NEXT: static inline int doubled(int x) { return 2 * x; }

// MAIN: #include <stdio.h>
// MAIN-NEXT: #include "shapes.h"
// MAIN-NEXT: int main(void) {
// MAIN-NEXT:   printf("%d %d\n", perimeter(&(*square), 3), doubled(SQUARE_SIDES));
// MAIN: static const char *const hcr_imports[] = {"shapes", 0};
