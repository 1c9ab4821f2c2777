#include <stdio.h>
#include "shapes.h"
int main(void) {
  printf("%d %d\n", perimeter(&square, 3), doubled(SQUARE_SIDES));
  return 0;
}
