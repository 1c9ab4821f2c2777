#include <stdio.h>
int count = 500; /* A new initializer: the kept global ignores it. */
void show(void) { printf("app v2: count %d\n", count++); }
void (*get_saved(void))(void) { return show; }
