/*===- TestModule.h - Shared by the hand-written test modules ---*- C -*-===*\
|* The test modules write the module ABI (docs/ModuleABI.md) out by hand,   *|
|* the way hcr-rewrite emits it. The host (the test binary) registers the   *|
|* proc host.log, through which modules report what runs, in order.         *|
\*===----------------------------------------------------------------------===*/
#ifndef HCR_UNITTESTS_RUNTIME_INPUTS_TESTMODULE_H
#define HCR_UNITTESTS_RUNTIME_INPUTS_TESTMODULE_H

#define HCR_ENABLED 1
#include "hcr/hcr.h"

#define HCR_TEST_STR_(x) #x
#define HCR_TEST_STR(x) HCR_TEST_STR_(x)

typedef void (*test_log_fn)(const char *event);

/* Entry points every test module exports the same way. */
#define HCR_TEST_MODULE_INFO(imports, signature)                               \
  HCR_MODULE_EXPORT unsigned hcr_module_abi_version(void) {                    \
    return HCR_MODULE_ABI_VERSION;                                             \
  }                                                                            \
  HCR_MODULE_EXPORT const char *const *hcr_module_imports(void) {              \
    return imports;                                                            \
  }                                                                            \
  HCR_MODULE_EXPORT const char *hcr_module_signature(void) { return signature; }

#endif
