/* Host of the limitations probe for restart: this host and probe.c (and,
 * in version 2, extra.c) built natively into one executable, both versions
 * by CMake.
 * The swap saves what the host can name (probe_global, and &f as a number
 * to compare; f's static local is out of its reach) to STATE_FILE and
 * execv's the executable's path, where the driver has put version 2; the
 * new process restores and reports.
 *
 *   restart_host STATE_FILE   (run by an absolute path) */
#define _GNU_SOURCE
#include "probe_check.h"

int f(int *static_local, int *extra);
extern int probe_global;

typedef struct saved_state {
  int global;
  uintptr_t f_before;
} saved_state;

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s STATE_FILE\n", argv[0]);
    return 2;
  }
  /* Unbuffered, so that no line read ahead is lost at the execv. */
  setvbuf(stdin, 0, _IONBF, 0);
  int local = 0, extra = 0;
  saved_state s;
  if (argc == 3 && strcmp(argv[2], "--restored") == 0) {
    FILE *in = fopen(argv[1], "rb");
    if (!in || fread(&s, sizeof s, 1, in) != 1) {
      probe_report("cannot read the state file", 0, 0, 0, 0, 0, 0);
      return 1;
    }
    fclose(in);
    probe_global = s.global;
    int result = f(&local, &extra);
    probe_report("ok", s.f_before, (uintptr_t)f, result, local, extra,
                 probe_global);
    return 0;
  }
  for (int i = 0; i < 3; ++i)
    f(&local, &extra);
  s.f_before = (uintptr_t)f;
  probe_wait_for_swap();
  s.global = probe_global;
  FILE *out = fopen(argv[1], "wb");
  if (!out || fwrite(&s, sizeof s, 1, out) != 1 || fclose(out) != 0) {
    probe_report("cannot write the state file", s.f_before, 0, 0, 0, 0, 0);
    return 1;
  }
  execv(argv[0], (char *[]){argv[0], argv[1], "--restored", 0});
  probe_report("execv failed", s.f_before, 0, 0, 0, 0, 0);
  return 1;
}
