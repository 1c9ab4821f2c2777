/* Module "sim" of the runtime example, in versions:
 *   v1: every step moves each particle by its speed.
 *   v2: steps also apply friction (speed * 0.5), a "live edit".
 *   broken: the world gains a field, so its size changes; the runtime
 *           refuses to reinterpret the kept state and keeps v1... running.
 */
#define HCR_ENABLED 1
#include "hcr/hcr.h"

#include <stddef.h>
#include <stdio.h>

struct world {
  long tick;
  double pos[3], speed[3];
#ifdef BROKEN
  double mass[3];
#endif
};

static struct world *world;
static int world_is_new;

static void step_actual(void) {
  ++world->tick;
  for (int i = 0; i < 3; ++i) {
#if VERSION >= 2
    world->speed[i] *= 0.5;
#endif
    world->pos[i] += world->speed[i];
  }
}

static void print_actual(void) {
  printf("sim v%d: tick %ld, positions %.2f %.2f %.2f\n", VERSION, world->tick,
         world->pos[0], world->pos[1], world->pos[2]);
}

static void before(void) {
  printf("sim v%d: before reload, world at tick %ld\n", VERSION, world->tick);
}
static void after(void) {
  printf("sim v%d: after reload, world kept at tick %ld\n", VERSION,
         world->tick);
}

static const char *const imports[] = {NULL};
HCR_MODULE_EXPORT unsigned hcr_module_abi_version(void) {
  return HCR_MODULE_ABI_VERSION;
}
HCR_MODULE_EXPORT const char *const *hcr_module_imports(void) {
  return imports;
}
HCR_MODULE_EXPORT const char *hcr_module_signature(void) { return "sim"; }
HCR_MODULE_EXPORT void hcr_module_register_symbols(void) {
  hcr_register_proc("sim", "step", (void *)step_actual);
  hcr_register_proc("sim", "print", (void *)print_actual);
  world_is_new = hcr_register_global("sim", "world", sizeof(struct world),
                                     _Alignof(struct world), (void **)&world);
  hcr_add_reload_handler("sim", HCR_BEFORE_RELOAD, before);
  hcr_add_reload_handler("sim", HCR_AFTER_RELOAD, after);
}
HCR_MODULE_EXPORT void hcr_module_link(void) {}
HCR_MODULE_EXPORT void hcr_module_init(void) {
  if (world_is_new) { /* Only at the first load: reloads keep the world. */
    struct world w = {0, {0, 10, 20}, {1, 2, 4}};
    *world = w;
  }
}
