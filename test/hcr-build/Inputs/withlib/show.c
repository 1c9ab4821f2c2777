#include <stdio.h>
const char *greet_word(void);
void show(void) { puts(greet_word()); }
