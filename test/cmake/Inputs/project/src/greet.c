#include "greet.h"
static int calls;
const char *greet(void) { return ++calls > 1 ? GREETING " again" PUNCTUATION : GREETING PUNCTUATION; }
