#include "value.h"
int value(void) { return VALUE; }
