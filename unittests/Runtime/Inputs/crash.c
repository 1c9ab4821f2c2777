/* Module "crash", in versions (VERSION=1, 2) and crashing builds (VERSION=3
 * with FAULT=...), for the rollback tests.
 *   count: kept global, 100 at first; next() adds VERSION to it.
 *   dropped: v1 only, 7 at first; added: the other builds only, 5.
 * Faults: init (the initializer sets count to 555, then crashes), after
 * (an after-reload handler crashes), work (work(x) crashes for x > 0),
 * libc (work(x) has strlen crash for x > 0), abort (work(x) aborts for
 * x > 0). */
#include "TestModule.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FAULT_init 1
#define FAULT_after 2
#define FAULT_work 3
#define FAULT_libc 4
#define FAULT_abort 5
#ifndef FAULT
#define FAULT 0
#endif
#define IS_FAULT(name) (FAULT == FAULT_##name)

static const char *const Imports[] = {NULL};
static int *count;
static int CountIsNew;
#if VERSION == 1
static int *dropped;
static int DroppedIsNew;
#else
static int *added;
static int AddedIsNew;
#endif
static test_log_fn host_log;

/* Not inlined: the tests expect the crash in a function of this name. */
__attribute__((noinline)) static void crash_here(int value) {
  *(volatile int *)(uintptr_t)(value - value) = value;
}

static int next_actual(void) { return *count += VERSION; }
static int version_actual(void) { return VERSION; }
static int work_actual(int x) {
#if IS_FAULT(work)
  if (x > 0)
    crash_here(x);
#elif IS_FAULT(libc)
  if (x > 0)
    return (int)strlen((const char *)(uintptr_t)(x - x));
#elif IS_FAULT(abort)
  if (x > 0)
    abort();
#endif
  return x * VERSION;
}
static void after(void) {
  host_log("crash.after.v" HCR_TEST_STR(VERSION));
#if IS_FAULT(after)
  crash_here(1);
#endif
}

HCR_TEST_MODULE_INFO(Imports, "crash-v" HCR_TEST_STR(VERSION))

HCR_MODULE_EXPORT void hcr_module_register_symbols(void) {
  hcr_register_proc("crash", "next", (void *)next_actual);
  hcr_register_proc("crash", "version", (void *)version_actual);
  hcr_register_proc("crash", "work", (void *)work_actual);
  CountIsNew = hcr_register_global("crash", "count", sizeof(int), _Alignof(int),
                                   (void **)&count);
#if VERSION == 1
  DroppedIsNew = hcr_register_global("crash", "dropped", sizeof(int),
                                     _Alignof(int), (void **)&dropped);
#else
  AddedIsNew = hcr_register_global("crash", "added", sizeof(int), _Alignof(int),
                                   (void **)&added);
#endif
  hcr_add_reload_handler("crash", HCR_AFTER_RELOAD, after);
}

HCR_MODULE_EXPORT void hcr_module_link(void) {
  host_log = (test_log_fn)hcr_get_proc("host", "log");
}

HCR_MODULE_EXPORT void hcr_module_init(void) {
  if (CountIsNew)
    *count = 100;
#if VERSION == 1
  if (DroppedIsNew)
    *dropped = 7;
#else
  if (AddedIsNew)
    *added = 5;
#endif
#if IS_FAULT(init)
  *count = 555;
  crash_here(2);
#endif
}
