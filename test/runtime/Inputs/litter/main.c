/* Waits for a line on stdin, calling into a module, so that the test can
 * look at the running program and kill it. */
#include <stdio.h>
int twice(int);
int main(void) {
  char line[64];
  printf("ready %d\n", twice(21));
  fflush(stdout);
  while (fgets(line, sizeof line, stdin))
    printf("%d\n", twice(1));
  return 0;
}
