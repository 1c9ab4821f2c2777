#include <stdio.h>

#include "world.h"

int render_frame(int n) {
  int shown = n * 100;
  printf("render v2: frame %d of %s, tick %d\n", n, world.name, world.tick);
  return shown;
}
