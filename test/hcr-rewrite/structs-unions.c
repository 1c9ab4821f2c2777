// Struct and union globals: member access, designated initializers,
// address-of and assignment all go through the slot.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

struct vec { float x, y; };
union word { unsigned u; float f; };
struct vec origin = {.x = 1, .y = 2};
// CHECK: static struct vec (*origin) HCR_SLOT;
union word w;
// CHECK: static union word (*w) HCR_SLOT;
struct { int a, b; } anonymous_is_fine_in_place = {1, 2};
// CHECK: static struct { int a, b; } (*anonymous_is_fine_in_place) HCR_SLOT;

float len2(void) { return origin.x * origin.x + origin.y * origin.y; }
// CHECK: static float (*len2)(void) HCR_SLOT; static float len2_actual(void) { return (*origin).x * (*origin).x + (*origin).y * (*origin).y; }
struct vec *where(void) { w.f = 1.0f; origin = (struct vec){3, 4}; return &origin; }
// CHECK: static struct vec *(*where)(void) HCR_SLOT; static struct vec *where_actual(void) { (*w).f = 1.0f; (*origin) = (struct vec){3, 4}; return &(*origin); }
int sum(void) { return anonymous_is_fine_in_place.a + anonymous_is_fine_in_place.b; }

// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_init(void) {
// CHECK-NEXT: if (hcr_is_new_origin) {
// CHECK-NEXT: static __typeof__(*origin) hcr_value = {.x = 1, .y = 2};
// CHECK: if (hcr_is_new_anonymous_is_fine_in_place) {
// CHECK-NEXT: static __typeof__(*anonymous_is_fine_in_place) hcr_value = {1, 2};
