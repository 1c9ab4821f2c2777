/* The host: lines on stdin, each parsed by the parser module; "reload"
 * reloads changed modules. */
#include <hcr/hcr.h>
#include <stdio.h>
#include <string.h>
int parse_line(const char *line);
extern int results;
int main(void) {
  char line[256];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    if (strcmp(line, "reload") == 0)
      printf("reload: %d\n", (int)hcr_perform_reload());
    else {
      int value = parse_line(line);
      printf("%s = %d (%d parsed)\n", line, value, results);
    }
    puts("ok");
    fflush(stdout);
  }
  return 0;
}
