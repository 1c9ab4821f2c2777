/* A small in-memory key-value store, kept across reloads. */
#include "store.h"
#include <string.h>

struct entry {
  char key[16];
  long value;
};
static struct entry entries[16];
static int used;

static struct entry *find(const char *key) {
  for (int i = 0; i < used; ++i)
    if (strcmp(entries[i].key, key) == 0)
      return &entries[i];
  if (used == 16)
    return 0;
  strncpy(entries[used].key, key, sizeof entries[used].key - 1);
  return &entries[used++];
}

void store_add(const char *key, long delta) {
  struct entry *e = find(key);
  if (e)
    e->value += delta;
}

long store_get(const char *key) {
  struct entry *e = find(key);
  return e ? e->value : 0;
}
