/* Module "counter", in versions (VERSION=1..3) and faults (FAULT=...).
 *   v1: next() adds 1; count starts at 100; extra = 7, read by extra().
 *   v2: next() adds 10; count's initializer says 999 (must be ignored);
 *       extra and extra() are removed.
 *   v3: like v2, with extra re-added (initializer 8) and extra() back.
 * Faults on top of v2: conflict (count changes type), unresolved (looks up
 * a proc nobody registers), twice (registers next twice), no_init (lacks an
 * entry point), abi (wrong ABI version), undefined (dlopen cannot resolve).
 */
#include "TestModule.h"
#include <stddef.h>

#define FAULT_conflict 1
#define FAULT_unresolved 2
#define FAULT_twice 3
#define FAULT_no_init 4
#define FAULT_abi 5
#define FAULT_undefined 6
#ifndef FAULT
#define FAULT 0
#endif
#define IS_FAULT(name) (FAULT == FAULT_##name)

#if IS_FAULT(conflict)
typedef long long count_t;
#else
typedef int count_t;
#endif

static const char *const Imports[] = {NULL};
static count_t *count;
static int CountIsNew;
#if VERSION != 2
static int *extra;
static int ExtraIsNew;
#endif
static test_log_fn host_log;

#if IS_FAULT(undefined)
extern int hcr_test_function_that_nobody_defines(void);
#endif

static int next_actual(void) {
#if IS_FAULT(undefined)
  return hcr_test_function_that_nobody_defines();
#elif VERSION == 1
  return (int)++*count;
#else
  return (int)(*count += 10);
#endif
}
static int version_actual(void) { return VERSION; }
/* Constant data of this copy: a pointer to it outlives the copy only if the
 * module retains its replaced code (RETAIN). */
static const char *name_actual(void) {
  return "counter-v" HCR_TEST_STR(VERSION);
}
#if VERSION != 2
static int extra_actual(void) { return *extra; }
#endif
/* Visitors, as a collector's markers of the globals would be. */
static void visit_count(void) {
  host_log("counter.visit_count.v" HCR_TEST_STR(VERSION));
}
#if VERSION != 2
static void visit_extra(void) {
  host_log("counter.visit_extra.v" HCR_TEST_STR(VERSION));
}
#endif
static void before(void) { host_log("counter.before.v" HCR_TEST_STR(VERSION)); }
static void after(void) { host_log("counter.after.v" HCR_TEST_STR(VERSION)); }

#if IS_FAULT(abi)
HCR_MODULE_EXPORT unsigned hcr_module_abi_version(void) { return 99; }
HCR_MODULE_EXPORT const char *const *hcr_module_imports(void) {
  return Imports;
}
HCR_MODULE_EXPORT const char *hcr_module_signature(void) { return "bad"; }
#else
HCR_TEST_MODULE_INFO(Imports, "counter-v" HCR_TEST_STR(VERSION))
#endif

HCR_MODULE_EXPORT void hcr_module_register_symbols(void) {
  hcr_register_proc("counter", "next", (void *)next_actual);
#if IS_FAULT(twice)
  hcr_register_proc("counter", "next", (void *)next_actual);
#endif
  hcr_register_proc("counter", "version", (void *)version_actual);
  hcr_register_proc("counter", "name", (void *)name_actual);
#ifdef RETAIN
  hcr_retain_replaced_code("counter");
#endif
  CountIsNew = hcr_register_global("counter", "count", sizeof(count_t),
                                   _Alignof(count_t), (void **)&count);
  hcr_set_global_visitor("counter", "count", visit_count);
#if VERSION != 2
  hcr_register_proc("counter", "extra", (void *)extra_actual);
  ExtraIsNew = hcr_register_global("counter", "extra", sizeof(int),
                                   _Alignof(int), (void **)&extra);
  hcr_set_global_visitor("counter", "extra", visit_extra);
#endif
  hcr_add_reload_handler("counter", HCR_BEFORE_RELOAD, before);
  hcr_add_reload_handler("counter", HCR_AFTER_RELOAD, after);
}

HCR_MODULE_EXPORT void hcr_module_link(void) {
  host_log = (test_log_fn)hcr_get_proc("host", "log");
#if IS_FAULT(unresolved)
  hcr_get_proc("host", "missing");
#endif
}

#if !IS_FAULT(no_init)
HCR_MODULE_EXPORT void hcr_module_init(void) {
  if (CountIsNew)
    *count = VERSION == 1 ? 100 : 999;
#if VERSION != 2
  if (ExtraIsNew)
    *extra = VERSION == 1 ? 7 : 8;
#endif
  host_log("counter.init.v" HCR_TEST_STR(VERSION));
}
#endif
