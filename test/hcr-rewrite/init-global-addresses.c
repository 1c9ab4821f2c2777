// Initializers that take addresses of globals read the slots; they run
// after every global of every module is registered.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

int counter;
int *counter_ref = &counter;
struct node { struct node *next; int value; };
struct node tail = {0, 2};
struct node head = {&tail, 1};

// CHECK: static int (*counter) HCR_SLOT;
// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_init(void) {
// CHECK-NEXT: if (hcr_is_new_counter_ref) {
// CHECK-NEXT: __typeof__(*counter_ref) hcr_value = &(*counter);
// CHECK: if (hcr_is_new_tail) {
// CHECK-NEXT: static __typeof__(*tail) hcr_value = {0, 2};
// CHECK: if (hcr_is_new_head) {
// CHECK-NEXT: __typeof__(*head) hcr_value = {&(*tail), 1};
