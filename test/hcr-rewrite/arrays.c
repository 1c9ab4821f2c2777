// Array globals become pointers to arrays: uses index through (*a), sizeof
// still sees the array, and an array sized by its initializer keeps the
// size in its slot's type. Initializers move into hcr_module_init.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

int primes[] = {2, 3, 5, 7};
// CHECK: static int (*primes)[4] HCR_SLOT;
static char name[16] = "hcr";
// CHECK: static char (*name)[16] HCR_SLOT;
double grid[2][3];
// CHECK: static double (*grid)[2][3] HCR_SLOT;

unsigned long count(void) { return sizeof primes / sizeof primes[0]; }
// CHECK: static unsigned long (*count)(void) HCR_SLOT; static unsigned long count_actual(void) { return sizeof (*primes) / sizeof (*primes)[0]; }
double *cell(int r, int c) { return &grid[r][c]; }
// CHECK: static double *(*cell)(int, int) HCR_SLOT; static double *cell_actual(int r, int c) { return &(*grid)[r][c]; }
char first(void) { return name[0]; }
// CHECK: static char (*first)(void) HCR_SLOT; static char first_actual(void) { return (*name)[0]; }

// Alignment is the global's own (x86-64 aligns arrays of 16 bytes or more
// to 16), not its element type's.
// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_register_symbols(void) {
// CHECK: hcr_is_new_primes = hcr_register_global_layout("arrays", "primes", sizeof(*primes), 16, "[4]i4", (void **)&primes);
// CHECK-NEXT: hcr_is_new_name = hcr_register_global_layout("arrays", "name", sizeof(*name), 16, "[16]i1", (void **)&name);
// CHECK-NEXT: hcr_is_new_grid = hcr_register_global_layout("arrays", "grid", sizeof(*grid), 16, "[2][3]f8", (void **)&grid);
// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_init(void) {
// CHECK-NEXT: if (hcr_is_new_primes) {
// CHECK-NEXT: static __typeof__(*primes) hcr_value = {2, 3, 5, 7};
// CHECK-NEXT: __builtin_memcpy((void *)primes, (const void *)&hcr_value, sizeof hcr_value);
// CHECK-NEXT: }
// CHECK-NEXT: if (hcr_is_new_name) {
// CHECK-NEXT: static __typeof__(*name) hcr_value = "hcr";
// CHECK-NEXT: __builtin_memcpy((void *)name, (const void *)&hcr_value, sizeof hcr_value);
// CHECK-NEXT: }
// CHECK-NEXT: }
