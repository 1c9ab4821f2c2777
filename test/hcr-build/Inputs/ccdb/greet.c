#include "greet.h"
#ifndef GREET_WORD
#error "greet.c is compiled with its own flags: -DGREET_WORD"
#endif
const char *greeting(void) { return GREET_WORD; }
