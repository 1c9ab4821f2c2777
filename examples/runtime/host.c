/* The host of the runtime example: the module ABI written by hand, the way
 * hcr-rewrite emits it (docs/ModuleABI.md). It loads module "sim" from the
 * directory given as its argument and obeys commands on stdin:
 *   step N    advance the simulation N steps and print its state
 *   reload    reload changed modules, saying what happened
 *   quit
 */
#define HCR_ENABLED 1
#include "hcr/hcr.h"

#include <stdio.h>
#include <string.h>

static void (*sim_step)(void);
static void (*sim_print)(void);

static const char *const host_imports_list[] = {"sim", NULL};
static const char *const *host_imports(void) { return host_imports_list; }
static const char *host_signature(void) { return "runtime-example-host"; }
static void host_register_symbols(void) {}
static void host_link(void) {
  sim_step = (void (*)(void))hcr_get_proc("sim", "step");
  sim_print = (void (*)(void))hcr_get_proc("sim", "print");
}
static void host_init(void) {}

int main(int argc, char **argv) {
  static const hcr_module_entry_points host = {host_imports, host_signature,
                                               host_register_symbols, host_link,
                                               host_init};
  if (hcr_init("host", &host, argc > 1 ? argv[1] : NULL) != HCR_OK) {
    fprintf(stderr, "host: %s\n", hcr_last_error());
    return 1;
  }
  char line[128];
  while (fgets(line, sizeof line, stdin)) {
    int n;
    if (sscanf(line, "step %d", &n) == 1) {
      while (n-- > 0)
        sim_step();
      sim_print();
    } else if (strncmp(line, "reload", 6) == 0) {
      if (!hcr_reload_needed())
        printf("host: no module changed\n");
      else if (hcr_perform_reload() == HCR_OK)
        printf("host: reload %lu done\n", hcr_generation());
      else
        printf("host: %s\n", hcr_last_error());
    } else if (strncmp(line, "quit", 4) == 0) {
      break;
    }
    fflush(stdout);
  }
  return 0;
}
