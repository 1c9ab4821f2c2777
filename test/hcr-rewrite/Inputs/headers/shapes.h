// A project header: its declarations are rewritten into a copy that every
// includer shares.
#ifndef SHAPES_H
#define SHAPES_H
struct shape { int sides; };
extern struct shape square;
int perimeter(const struct shape *s, int side);
#define SQUARE_SIDES (square.sides)
static inline int doubled(int x) { return 2 * x; }
#endif
