/* Module "lib", written as hcr-rewrite would (compiled with
 * -fvisibility=hidden, so only the entry points are exported). Its
 * functions are hidden globals rather than statics, so a module that calls
 * one directly still links inside a single object file: hcr-verify must
 * catch it. */
#include <hcr/hcr.h>
#include <stddef.h>

int lib_count;
int lib_value(void) { return 42; }

static const char *const imports[] = {NULL};
HCR_MODULE_EXPORT unsigned hcr_module_abi_version(void) { return HCR_MODULE_ABI_VERSION; }
HCR_MODULE_EXPORT const char *const *hcr_module_imports(void) { return imports; }
HCR_MODULE_EXPORT const char *hcr_module_signature(void) { return "lib"; }
HCR_MODULE_EXPORT void hcr_module_register_symbols(void) {
  void *slot;
  hcr_register_proc("lib", "value", (void *)lib_value);
  hcr_register_global("lib", "count", sizeof(int), _Alignof(int), &slot);
}
HCR_MODULE_EXPORT void hcr_module_link(void) {}
HCR_MODULE_EXPORT void hcr_module_init(void) {}
