/* Host of the reload-latency program for restart: built by CMake into a
 * static library whose main() is linked, at run time, with generate.py's
 * modules and a table naming them (restart_modules, below) into one native
 * executable, which "reloads" by saving its state to a file and starting
 * again from its own (rebuilt) file. Same stdin protocol as the hcr host:
 *   needed   mean time of the change check (a stat of the executable's
 *            path), 1000 calls
 *   reload   change check, stop the thread, save every m<i>_state to
 *            STATE_FILE, execv of the executable's path; the new process
 *            restores the state, answers a first call of m0_f0 and prints
 *            the phases
 *   quit
 * One JSON object per line.
 *
 *   restart_host STATE_FILE   (run by an absolute path: it is what is
 *                              stat-ed and started again)
 *
 * The restart is an execv by the program itself: a fresh process image
 * (new address space, no thread but main, every global initialized again)
 * that keeps the PID and the stdin/stdout pipes, so the driver talks to
 * the same child. A supervisor that forks a new process would add the
 * fork. Times cross the execv as arguments: CLOCK_MONOTONIC is system-wide.
 *
 * Threads: the thread calling m0_f0 does not survive a restart. The host
 * stops it before saving, as a program must for its saved state to be
 * consistent, and the new process starts a new one; its call counts are
 * host state and go through the file. (Left running, execv kills it
 * wherever it is, and waits for it to be scheduled to die: on a busy
 * machine that added 1-8 ms to half of the restarts.) */
#define _GNU_SOURCE
#include "host_util.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The program's modules, from the table the driver generates with them:
 * restart_entry[i] is m<i>_f0, restart_state[i] is &m<i>_state. */
extern int (*const restart_entry[])(int);
extern int *const restart_state[];
extern const int restart_modules;

/* What the file holds: the host's counters, then every m<i>_state. */
typedef struct saved_header {
  unsigned long generation;
  long calls, wrong;
  int modules;
} saved_header;

static const char *self, *state_file;
static pthread_t thread;
static struct stat started; /* The executable as this process found it. */
static unsigned long generation;
static atomic_int stop;
static atomic_long calls, wrong;

static bool executable_changed(void) {
  struct stat now;
  if (stat(self, &now) != 0)
    return false;
  return now.st_ino != started.st_ino || now.st_dev != started.st_dev ||
         now.st_size != started.st_size ||
         now.st_mtim.tv_sec != started.st_mtim.tv_sec ||
         now.st_mtim.tv_nsec != started.st_mtim.tv_nsec;
}

static void *caller(void *arg) {
  (void)arg;
  while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
    if (restart_entry[0](5) != 5)
      atomic_fetch_add(&wrong, 1);
    atomic_fetch_add(&calls, 1);
  }
  return 0;
}

static void start_thread(void) {
  atomic_store(&stop, 0);
  pthread_create(&thread, 0, caller, 0);
}

static bool save(void) {
  saved_header h = {generation + 1, atomic_load(&calls), atomic_load(&wrong),
                    restart_modules};
  int values[restart_modules > 0 ? restart_modules : 1];
  for (int i = 0; i < restart_modules; ++i)
    values[i] = *restart_state[i];
  FILE *f = fopen(state_file, "wb");
  if (!f)
    return false;
  bool ok = fwrite(&h, sizeof h, 1, f) == 1 &&
            fwrite(values, sizeof values, 1, f) == 1;
  return fclose(f) == 0 && ok;
}

static bool restore(void) {
  saved_header h;
  int values[restart_modules > 0 ? restart_modules : 1];
  FILE *f = fopen(state_file, "rb");
  if (!f)
    return false;
  bool ok = fread(&h, sizeof h, 1, f) == 1 && h.modules == restart_modules &&
            fread(values, sizeof values, 1, f) == 1;
  fclose(f);
  /* Consumed: the next save then creates the file instead of truncating
   * it, which ext4 (auto_da_alloc) answers by flushing it on close, a few
   * milliseconds that are the file system's, not the strategy's. */
  unlink(state_file);
  if (!ok)
    return false;
  generation = h.generation;
  atomic_store(&calls, h.calls);
  atomic_store(&wrong, h.wrong);
  for (int i = 0; i < restart_modules; ++i)
    *restart_state[i] = values[i];
  return true;
}

static void measure_needed(void) {
  double t0 = now_ms();
  int n = 0;
  for (int k = 0; k < 1000; ++k)
    n += executable_changed();
  printf("{\"needed_us\": %.3f, \"true\": %d, \"calls\": %ld, "
         "\"wrong\": %ld}\n",
         (now_ms() - t0) / 1000 * 1e3, n, atomic_load(&calls),
         atomic_load(&wrong));
}

/* Does not return unless the save or the execv fails; then the thread
 * runs again and the old code goes on. */
static void restart(void) {
  /* Changes the state so that keeping it is visible: after restart k every
   * m<i>_state must read i + k (the program initializes it to i). */
  for (int i = 0; i < restart_modules; ++i)
    ++*restart_state[i];
  double t0 = now_ms();
  bool needed = executable_changed();
  double t1 = now_ms();
  atomic_store(&stop, 1);
  pthread_join(thread, 0);
  double stopped = now_ms();
  if (!save()) {
    printf("{\"status\": 1, \"error\": \"cannot write the state file\"}\n");
    start_thread();
    return;
  }
  double t2 = now_ms();
  char a[4][32];
  snprintf(a[0], sizeof a[0], "%.6f", t1 - t0);
  snprintf(a[1], sizeof a[1], "%.6f", t1);
  snprintf(a[2], sizeof a[2], "%.6f", stopped);
  snprintf(a[3], sizeof a[3], "%.6f", t2);
  char needed_flag[2] = {needed ? '1' : '0', 0};
  fflush(stdout);
  execv(self, (char *[]){(char *)self, (char *)state_file, "--restored",
                         needed_flag, a[0], a[1], a[2], a[3], 0});
  printf("{\"status\": 1, \"error\": \"execv failed\"}\n");
  start_thread();
}

/* The first lines of a restarted process: restore, first call, report. */
static void report_restart(char **argv, double at_main) {
  int needed = atoi(argv[3]);
  double needed_ms = atof(argv[4]), stopping = atof(argv[5]),
         saving = atof(argv[6]), exec_at = atof(argv[7]);
  bool ok = restore();
  double restored = now_ms();
  int first = restart_entry[0](5);
  double answered = now_ms();
  bool kept = ok;
  for (int i = 0; i < restart_modules; ++i)
    kept = kept && *restart_state[i] == i + (int)generation;
  printf("{\"needed\": %d, \"status\": %d, \"needed_ms\": %.4f, "
         "\"reload_ms\": %.4f, \"stop_thread_ms\": %.4f, \"save_ms\": %.4f, "
         "\"exec_to_main_ms\": %.4f, "
         "\"restore_ms\": %.4f, \"first_call_ms\": %.4f, \"first_result\": %d, "
         "\"generation\": %lu, \"state_kept\": %d, \"rss_kb\": %ld, "
         "\"calls\": %ld, \"wrong\": %ld}\n",
         needed, ok ? 0 : 1, needed_ms, answered - stopping, saving - stopping,
         exec_at - saving, at_main - exec_at, restored - at_main,
         answered - restored, first, generation, kept, resident_kb(),
         atomic_load(&calls), atomic_load(&wrong));
  fflush(stdout);
}

int main(int argc, char **argv) {
  double at_main = now_ms();
  if (argc < 2) {
    fprintf(stderr, "usage: %s STATE_FILE\n", argv[0]);
    return 2;
  }
  /* Unbuffered, so that no command read ahead is lost at the execv. */
  setvbuf(stdin, 0, _IONBF, 0);
  self = argv[0];
  state_file = argv[1];
  stat(self, &started);
  if (argc == 8 && strcmp(argv[2], "--restored") == 0)
    report_restart(argv, at_main);
  long sum = 0;
  for (int i = 0; i < restart_modules; ++i)
    sum += restart_entry[i](1);
  start_thread();
  char line[64];
  while (fgets(line, sizeof line, stdin)) {
    if (strncmp(line, "needed", 6) == 0)
      measure_needed();
    else if (strncmp(line, "reload", 6) == 0)
      restart();
    else if (strncmp(line, "quit", 4) == 0)
      break;
    fflush(stdout);
  }
  atomic_store(&stop, 1);
  pthread_join(thread, 0);
  fprintf(stderr, "sum %ld\n", sum);
  return 0;
}
