// The module that defines main is the host: rewritten the same way, except
// main, which stays the program's (a debugger's `break main`, backtraces);
// a constructor starts the runtime with the host's entry points (hidden,
// not exported) before main and the program's own constructors run.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

int ticks;
int main(int argc, char **argv) {
  (void)argv;
  return ticks + argc - 1;
}
// CHECK: int main(int argc, char **argv) {
// CHECK-NEXT: (void)argv;
// CHECK-NOT: {{^HCR_MODULE_EXPORT}}
// CHECK: HCR_HOST_ENTRY void hcr_host_register_symbols(void) {
// CHECK: static const hcr_module_entry_points hcr_host_entry_points = {
// CHECK-NEXT: hcr_host_imports,
// CHECK-NEXT: hcr_host_signature,
// CHECK-NEXT: hcr_host_register_symbols,
// CHECK-NEXT: hcr_host_link,
// CHECK-NEXT: hcr_host_init};
// CHECK-NEXT: __attribute__((constructor(101))) static void hcr_start(void) {
// CHECK-NEXT: hcr_start_host("host", &hcr_host_entry_points);
// CHECK-NEXT: }
