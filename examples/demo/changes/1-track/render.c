/* Draws one frame. This is the module the demo edits while it runs. */
#include "render.h"
#include "store.h"
#include "world.h"
#include <stdio.h>
#include <string.h>

/* Edit 1: the particles drawn on a track. */
void render_frame(void) {
  char track[] = "|.....................|";
  for (int i = 0; i < PARTICLES; ++i) {
    int at = 1 + (int)(world.x[i] * 2);
    if (at >= 1 && at < (int)strlen(track) - 1)
      track[at] = "abc"[i];
  }
  printf("tick %3ld | %s | frames %ld\n", world.tick, track,
         store_get("frames"));
}
