/* The host: a number on each line of stdin goes to the Fortran units
 * (stats.f, spread.f, translated to C by f2c); "reload" reloads changed
 * modules. C, because the Fortran program that f2c makes starts in
 * libf2c's main(), outside the program's sources. */
#include <hcr/hcr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <f2c.h>
int addval_(doublereal *x);
doublereal avg_(void);
integer count_(void);
doublereal spread_(void);
int main(void) {
  char line[256];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    if (strcmp(line, "reload") == 0)
      printf("reload: %d\n", (int)hcr_perform_reload());
    else {
      doublereal x = atof(line);
      addval_(&x);
      printf("%s: n=%d avg=%.3f spread=%.3f\n", line, (int)count_(), avg_(),
             spread_());
    }
    puts("ok");
    fflush(stdout);
  }
  return 0;
}
