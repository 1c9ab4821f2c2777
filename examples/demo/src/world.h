#ifndef DEMO_WORLD_H
#define DEMO_WORLD_H
#define PARTICLES 3
struct world {
  long tick;
  double x[PARTICLES], v[PARTICLES];
};
extern struct world world;
void world_step(void);
#endif
