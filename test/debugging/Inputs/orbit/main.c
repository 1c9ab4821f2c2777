/* Three frames; before each, a reload if a module was rebuilt (the
 * debugger's session rebuilds render.c between the first two). */
#include <hcr/hcr.h>
#include <stdio.h>

#include "world.h"

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0); /* In order with the debugger's. */
  for (int frame = 0; frame < 3; ++frame) {
    if (hcr_reload_needed() && hcr_perform_reload() != HCR_OK)
      printf("reload failed: %s\n", hcr_last_error());
    world_step();
  }
  printf("done at tick %d\n", world.tick);
  return 0;
}
