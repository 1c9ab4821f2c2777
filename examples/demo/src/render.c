/* Draws one frame. This is the module the demo edits while it runs. */
#include "render.h"
#include "store.h"
#include "world.h"
#include <stdio.h>

void render_frame(void) {
  printf("tick %3ld | positions %5.2f %5.2f %5.2f | frames %ld\n", world.tick,
         world.x[0], world.x[1], world.x[2], store_get("frames"));
}
