#include <stdio.h>
int count = 10;
void show(void) { printf("app v1: count %d\n", count++); }
void (*get_saved(void))(void) { return show; }
