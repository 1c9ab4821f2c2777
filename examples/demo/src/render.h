#ifndef DEMO_RENDER_H
#define DEMO_RENDER_H
void render_frame(void);
#endif
