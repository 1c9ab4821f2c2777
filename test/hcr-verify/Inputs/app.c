/* Module "app": a rewritten module with one fault chosen by FAULT:
 *   none        everything through the runtime (clean)
 *   call        a call left direct
 *   global      a global left direct
 *   export      a stray exported symbol
 *   unregistered  lookups that nobody registers
 *   twice       registers a (module, name) that lib registers too */
#include <hcr/hcr.h>
#include <stddef.h>

#define FAULT_none 0
#define FAULT_call 1
#define FAULT_global 2
#define FAULT_export 3
#define FAULT_unregistered 4
#define FAULT_twice 5
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define IS(f) (CAT(FAULT_, FAULT) == FAULT_##f)

int lib_value(void);
extern int lib_count;
static int (*value)(void);
static int *count;

#if IS(export)
__attribute__((visibility("default"))) int helper(void) { return 1; }
#endif

static int use_actual(void) {
#if IS(call)
  return lib_value();
#elif IS(global)
  return lib_count;
#else
  return value() + *count;
#endif
}

static const char *const imports[] = {"lib", NULL};
HCR_MODULE_EXPORT unsigned hcr_module_abi_version(void) { return HCR_MODULE_ABI_VERSION; }
HCR_MODULE_EXPORT const char *const *hcr_module_imports(void) { return imports; }
HCR_MODULE_EXPORT const char *hcr_module_signature(void) { return "app"; }
HCR_MODULE_EXPORT void hcr_module_register_symbols(void) {
  hcr_register_proc("app", "use", (void *)use_actual);
#if IS(twice)
  hcr_register_proc("lib", "value", (void *)use_actual);
#endif
}
HCR_MODULE_EXPORT void hcr_module_link(void) {
  value = (int (*)(void))hcr_get_proc("lib", "value");
  count = (int *)hcr_get_global("lib", "count");
#if IS(unregistered)
  hcr_get_proc("lib", "nope");
  hcr_get_global("gone", "state");
#endif
}
HCR_MODULE_EXPORT void hcr_module_init(void) {}
