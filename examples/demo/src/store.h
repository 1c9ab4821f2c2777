#ifndef DEMO_STORE_H
#define DEMO_STORE_H
void store_add(const char *key, long delta);
long store_get(const char *key);
#endif
