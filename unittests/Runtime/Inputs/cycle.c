/* Modules "x" and "y" import each other (MODULE=x|y). y.base is a global
 * that x's initializer reads through hcr_get_global, and x.value() calls
 * y.twice(): lookups across a cycle resolve because every module registers
 * before any links.
 */
#include "TestModule.h"
#include <stddef.h>

#define IS_x 1
#define IS_y 2
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define THIS CAT(IS_, MODULE)
#define NAME HCR_TEST_STR(MODULE)

#if THIS == IS_x
static const char *const Imports[] = {"y", NULL};
static int *y_base, *sum;
static int SumIsNew;
static int (*y_twice)(int);
static int value_actual(void) { return *sum + y_twice(*y_base); }
#else
static const char *const Imports[] = {"x", NULL};
static int *base;
static int BaseIsNew;
static int twice_actual(int v) { return 2 * v; }
#endif

HCR_TEST_MODULE_INFO(Imports, NAME)

HCR_MODULE_EXPORT void hcr_module_register_symbols(void) {
#if THIS == IS_x
  hcr_register_proc("x", "value", (void *)value_actual);
  SumIsNew = hcr_register_global("x", "sum", sizeof(int), _Alignof(int),
                                 (void **)&sum);
#else
  hcr_register_proc("y", "twice", (void *)twice_actual);
  BaseIsNew = hcr_register_global("y", "base", sizeof(int), _Alignof(int),
                                  (void **)&base);
#endif
}

HCR_MODULE_EXPORT void hcr_module_link(void) {
#if THIS == IS_x
  y_base = (int *)hcr_get_global("y", "base");
  y_twice = (int (*)(int))hcr_get_proc("y", "twice");
#endif
}

HCR_MODULE_EXPORT void hcr_module_init(void) {
#if THIS == IS_x
  if (SumIsNew)
    *sum = *y_base + 1; /* y was initialized first: it comes first in order. */
#else
  if (BaseIsNew)
    *base = 20;
#endif
}
