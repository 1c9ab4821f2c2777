// The module that defines main is the host: rewritten the same way, its
// main becomes main_actual, and a new main starts the runtime with the
// host's entry points (hidden, not exported) before calling it.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

int ticks;
int main(int argc, char **argv) {
  (void)argv;
  return ticks + argc - 1;
}
// CHECK: static int main_actual(int argc, char **argv) {
// CHECK-NOT: {{^HCR_MODULE_EXPORT}}
// CHECK: HCR_HOST_ENTRY void hcr_host_register_symbols(void) {
// CHECK: static const hcr_module_entry_points hcr_host_entry_points = {
// CHECK-NEXT: hcr_host_imports,
// CHECK-NEXT: hcr_host_signature,
// CHECK-NEXT: hcr_host_register_symbols,
// CHECK-NEXT: hcr_host_link,
// CHECK-NEXT: hcr_host_init};
// CHECK-NEXT: static int hcr_call_main(int argc, char **argv, char **envp) {
// CHECK-NEXT: (void)argc, (void)argv, (void)envp;
// CHECK-NEXT: return main_actual(argc, argv);
// CHECK-NEXT: }
// CHECK-NEXT: int main(int argc, char **argv, char **envp) {
// CHECK-NEXT: return hcr_run_host("host", &hcr_host_entry_points, hcr_call_main, argc, argv, envp);
// CHECK-NEXT: }
