#include "world.h"

struct world world = {0, 1.5, "earth"};

void world_step(void) {
  static int calls;
  calls++;
  world.tick += render_frame(calls);
}
