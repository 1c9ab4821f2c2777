/* The state of a small simulation, kept across reloads. */
struct world {
  int tick;
  double speed;
  const char *name;
};
extern struct world world;
void world_step(void);
int render_frame(int n);
