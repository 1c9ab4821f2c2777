/* A program that runs until stopped (a minute at most), a frame every
 * 100 ms, as a server or a game does: the debugger attaches to it. */
#include <hcr/hcr.h>
#include <stdio.h>
#include <unistd.h>

#include "world.h"

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("ready\n");
  for (int frame = 0; frame < 600; ++frame) {
    if (hcr_reload_needed() && hcr_perform_reload() != HCR_OK)
      printf("reload failed: %s\n", hcr_last_error());
    world_step();
    usleep(100 * 1000);
  }
  return 0;
}
