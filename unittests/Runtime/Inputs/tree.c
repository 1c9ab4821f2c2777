/* Modules "a", "b", "c" of an import tree, one source (MODULE=a|b|c).
 *   a v1 imports b; a v2 imports c instead; a v3 imports nothing.
 *   a.call() returns b.value() (v1), c.value() (v2) or -1 (v3).
 *   b and c: value() returns 'b' or 'c'; a global counts their inits.
 *   b v3 no longer defines value().
 * Every module logs its init and its handlers through host.log.
 * BIND=1: a binds its slot with hcr_bind_proc (slot patching). a exports
 * slot() and slot_address(): the slot's value and address. PLUS=1: value()
 * returns one more.
 */
#include "TestModule.h"
#include <stddef.h>

#define NAME HCR_TEST_STR(MODULE)
#define IS_a 1
#define IS_b 2
#define IS_c 3
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define THIS CAT(IS_, MODULE)

#if THIS == IS_a && VERSION == 1
static const char *const Imports[] = {"b", NULL};
#elif THIS == IS_a && VERSION == 2
static const char *const Imports[] = {"c", NULL};
#else
static const char *const Imports[] = {NULL};
#endif

static test_log_fn host_log;
static int *inits;
static int InitsIsNew;
#if THIS == IS_a
static int (*imported_value)(void);
static int call_actual(void) { return imported_value ? imported_value() : -1; }
static void *slot_actual(void) { return (void *)imported_value; }
static void *slot_address_actual(void) { return (void *)&imported_value; }
#elif !(THIS == IS_b && VERSION == 3)
#ifndef PLUS
#define PLUS 0
#endif
static int value_actual(void) { return NAME[0] + PLUS; }
#endif
static void before(void) { host_log(NAME ".before.v" HCR_TEST_STR(VERSION)); }
static void after(void) { host_log(NAME ".after.v" HCR_TEST_STR(VERSION)); }

HCR_TEST_MODULE_INFO(Imports, NAME "-v" HCR_TEST_STR(VERSION))

HCR_MODULE_EXPORT void hcr_module_register_symbols(void) {
#if THIS == IS_a
  hcr_register_proc(NAME, "call", (void *)call_actual);
  hcr_register_proc(NAME, "slot", (void *)slot_actual);
  hcr_register_proc(NAME, "slot_address", (void *)slot_address_actual);
#elif !(THIS == IS_b && VERSION == 3)
  hcr_register_proc(NAME, "value", (void *)value_actual);
#endif
  InitsIsNew = hcr_register_global(NAME, "inits", sizeof(int), _Alignof(int),
                                   (void **)&inits);
  hcr_add_reload_handler(NAME, HCR_BEFORE_RELOAD, before);
  hcr_add_reload_handler(NAME, HCR_AFTER_RELOAD, after);
}

HCR_MODULE_EXPORT void hcr_module_link(void) {
  host_log = (test_log_fn)hcr_get_proc("host", "log");
#if THIS == IS_a && VERSION == 1 && defined(BIND)
  hcr_bind_proc("b", "value", (void **)&imported_value);
#elif THIS == IS_a && VERSION == 1
  imported_value = (int (*)(void))hcr_get_proc("b", "value");
#elif THIS == IS_a && VERSION == 2
  imported_value = (int (*)(void))hcr_get_proc("c", "value");
#endif
}

HCR_MODULE_EXPORT void hcr_module_init(void) {
  if (InitsIsNew)
    *inits = 0;
  ++*inits;
  host_log(NAME ".init.v" HCR_TEST_STR(VERSION));
}
