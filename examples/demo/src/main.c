/* The host: a game loop that checks for new code every frame, and runs
 * each frame guarded: if new code crashes, the reload that brought it in is
 * rolled back and the frame runs again on the old code.
 * usage: main [FRAMES] [MILLISECONDS PER FRAME] */
#include "render.h"
#include "store.h"
#include "world.h"
#include <hcr/hcr.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void frame(void *unused) {
  (void)unused;
  world_step();
  store_add("frames", 1);
  render_frame();
}

int main(int argc, char **argv) {
  int frames = argc > 1 ? atoi(argv[1]) : 20;
  long ms = argc > 2 ? atol(argv[2]) : 0;
  for (int i = 0; i < frames; ++i) {
    if (hcr_reload_needed()) {
      if (hcr_perform_reload() == HCR_OK)
        printf("reloaded new code (generation %lu), state kept\n",
               hcr_generation());
      else
        printf("reload refused, old code keeps running: %s\n",
               hcr_last_error());
    }
    if (hcr_run_guarded(frame, 0) == HCR_ERROR_CRASHED) {
      printf("new code crashed and was rolled back: %s\n", hcr_last_error());
      frame(0);
    }
    fflush(stdout);
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&pause, 0);
  }
  return 0;
}
