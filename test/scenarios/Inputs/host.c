/* The host of every reload scenario (copied in as main.c). It obeys
 * commands on stdin, one per line, and acknowledges each with "ok":
 *   show         calls show() of module app
 *   reload       reloads if a module changed, saying what happened
 *   save         keeps the function pointer app's get_saved() returns
 *   call-saved   calls that pointer
 *   quit
 * Module app must define show() and get_saved(). */
#include <hcr/hcr.h>
#include <stdio.h>
#include <string.h>

void show(void);
void (*get_saved(void))(void);

static void (*saved)(void);

HCR_BEFORE_RELOAD(host_before) { puts("host: before reload"); }
HCR_AFTER_RELOAD(host_after) { puts("host: after reload"); }

int main(void) {
  char line[128];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    if (strcmp(line, "quit") == 0)
      break;
    if (strcmp(line, "show") == 0) {
      show();
    } else if (strcmp(line, "reload") == 0) {
      if (!hcr_reload_needed())
        puts("host: no reload needed");
      else if (hcr_perform_reload() == HCR_OK)
        printf("host: reloaded, generation %lu\n", hcr_generation());
      else
        printf("host: reload failed: %s\n", hcr_last_error());
    } else if (strcmp(line, "save") == 0) {
      saved = get_saved();
    } else if (strcmp(line, "call-saved") == 0) {
      fflush(stdout);
      saved();
    } else {
      printf("host: unknown command '%s'\n", line);
    }
    puts("ok");
    fflush(stdout);
  }
  return 0;
}
