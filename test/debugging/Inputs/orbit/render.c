#include <stdio.h>

#include "world.h"

int render_frame(int n) {
  int shown = n * 10;
  printf("render v1: frame %d of %s at tick %d\n", n, world.name, world.tick);
  return shown;
}
