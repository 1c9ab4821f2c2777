#include <stdio.h>
#include "greet.h"
#ifndef MAIN_FLAG
#error "main.c is compiled with its own flags: -DMAIN_FLAG"
#endif
int main(void) {
  printf("%s, %d\n", greeting(), MAIN_FLAG);
  return 0;
}
