#include "shapes.h"
struct shape square = {4};
int perimeter(const struct shape *s, int side) { return s->sides * side; }
