// --slot-patching (slot patching, docs/experiments.md): the slot of an imported
// function that this module only calls is bound with hcr_bind_proc (the
// runtime stores the code address and rewrites it on reload); one whose
// address the module uses, even once, keeps its trampoline (hcr_get_proc),
// whose address never changes. Own functions are registered as always.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hcr-rewrite --index=%t/index.json --index-only %S/Inputs/store.c %s --
// RUN: %hcr-rewrite --slot-patching --index=%t/index.json %s -- > %t/out.c
// RUN: FileCheck %s --match-full-lines < %t/out.c
// RUN: %clang-check %t/out.c
// RUN: %gcc-check %t/out.c
// Without the option, every lookup is hcr_get_proc.
// RUN: %hcr-rewrite --index=%t/index.json %s -- | FileCheck %s --check-prefix=DEFAULT
extern int store_size;
int store_put(const char *key, int value);
int store_unused(void);

typedef int (*getter)(void);
static getter later;

int fill(void) {
  store_put("a", 1);
  later = store_unused;
  return store_put("b", 2) + later() + store_size;
}
// CHECK: store_put("a", 1);
// CHECK-NEXT: (*later) = store_unused;

// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_link(void) {
// CHECK-NEXT: hcr_bind_proc{{[(]}}"store", "store_put", (void **)&store_put);
// CHECK-NEXT: store_unused = (__typeof__(store_unused))hcr_get_proc("store", "store_unused");
// CHECK-NEXT: store_size = (__typeof__(store_size))hcr_get_global("store", "store_size");
// CHECK-NEXT: }

// DEFAULT-NOT: hcr_bind_{{proc[(]}}
// DEFAULT: {{^}}  store_put = (__typeof__(store_put))hcr_get_proc("store", "store_put");
// DEFAULT: {{^}}  store_unused = (__typeof__(store_unused))hcr_get_proc("store", "store_unused");
