/* The simulation: particles bouncing between 0 and 10. Its state is a
 * global, kept across reloads. */
#include "world.h"

struct world world = {0, {1.0, 4.0, 8.0}, {0.7, -0.4, 0.25}};

void world_step(void) {
  ++world.tick;
  for (int i = 0; i < PARTICLES; ++i) {
    world.x[i] += world.v[i];
    if (world.x[i] < 0 || world.x[i] > 10)
      world.v[i] = -world.v[i];
  }
}
