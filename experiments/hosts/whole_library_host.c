/* Host of the reload-latency program for whole-library reload
 * (the classic game loop). Every module generate.py writes is linked into
 * ONE shared object, LIBRARY, which exports each module's first function
 * (the entry points: m<i>_f0) and its state (m<i>_state) and nothing else
 * (whole_library.map). The host opens a private copy and calls the entry
 * points through pointers dlsym found. Same stdin protocol as the hcr host:
 *   needed   mean time of the change check (a stat of LIBRARY), 1000 calls
 *   reload   change check, then copy, save the state, dlclose the old copy,
 *            dlopen the new one, dlsym the entry points, restore the state:
 *            each phase timed, plus the resident size
 *   quit
 * One JSON object per line.
 *
 *   whole_library_host LIBRARY MODULES [--locked] [--pin]
 *
 * State: the modules keep it in globals (int m<i>_state) that live in the
 * library and die with it. The host hands it over as a user with existing
 * globals must (cr.h does the same): before closing the old copy it copies
 * every m<i>_state into host memory, after opening the new copy it copies
 * the values back. A program written for this loop from the start keeps its
 * state in one block the host allocates and passes in; the handover is the
 * same copy, done by hand. The old copy is closed before the new one is
 * opened, as in the Handmade Hero loop (the state must be saved first
 * anyway, and two copies of the library's globals would be ambiguous).
 *
 * Threads: a thread calls m0_f0 through the host's pointer all along. By
 * default with no synchronization, as a naive user would write it: from
 * dlclose until the pointer is replaced it points at unmapped memory, or at
 * whatever the new copy mapped there. With --locked the thread holds a read
 * lock around each call and the reload holds the write lock, which is what
 * a careful user must do; the wait for it is the lock_ms phase.
 *
 * --pin puts main and the thread on two different CPUs. The race needs
 * them to run at the same time: left to the scheduler on a busy machine
 * both often share one core, where a reload (0.1 ms) fits in one time slice
 * and the thread never runs during the gap. */
#define _GNU_SOURCE
#include "host_util.h"
#include "library_copy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int (*entry_fn)(int);

static const char *library; /* The build's output, replaced by rename. */
static int modules;
static bool locked, pinned;

/* The open copy: its handle, and what dlsym found in it. entry[i] is
 * m<i>_f0, state[i] is &m<i>_state. Never reallocated, so the thread may
 * read entry[0] at any time. */
static void *handle;
static entry_fn *entry;
static int **state;
static int *saved; /* The state while no copy is open. */
static struct stat copied;
static unsigned long generation;

static pthread_rwlock_t lock;
static atomic_int stop;
static atomic_long calls, wrong;

static void fail(const char *what, const char *why) {
  printf("{\"status\": 1, \"error\": \"%s: %s\"}\n", what, why);
  fflush(stdout);
  exit(1);
}

static void *caller(void *arg) {
  (void)arg;
  while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
    int result;
    if (locked) {
      pthread_rwlock_rdlock(&lock);
      result = entry[0](5);
      pthread_rwlock_unlock(&lock);
    } else {
      result = entry[0](5); /* A data race on purpose: the naive host. */
    }
    if (result != 5)
      atomic_fetch_add(&wrong, 1);
    atomic_fetch_add(&calls, 1);
  }
  return 0;
}

/* dlopen of the copy at path; the file is unlinked at once (the mapping
 * keeps it), so no copy is left behind even if the program crashes. */
static void open_copy(const char *path) {
  handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  unlink(path);
  if (!handle)
    fail("dlopen", dlerror());
}

static void find_symbols(void) {
  char name[32];
  for (int i = 0; i < modules; ++i) {
    snprintf(name, sizeof name, "m%d_f0", i);
    entry[i] = (entry_fn)dlsym(handle, name);
    snprintf(name, sizeof name, "m%d_state", i);
    state[i] = (int *)dlsym(handle, name);
    if (!entry[i] || !state[i])
      fail("dlsym", name);
  }
}

/* Main on the first CPU this process may use, thread on the second. */
static bool pin(pthread_t thread) {
  cpu_set_t allowed, one;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 ||
      CPU_COUNT(&allowed) < 2)
    return false;
  int cpu[2], found = 0;
  for (int c = 0; c < CPU_SETSIZE && found < 2; ++c)
    if (CPU_ISSET(c, &allowed))
      cpu[found++] = c;
  CPU_ZERO(&one);
  CPU_SET(cpu[0], &one);
  if (pthread_setaffinity_np(pthread_self(), sizeof one, &one) != 0)
    return false;
  CPU_ZERO(&one);
  CPU_SET(cpu[1], &one);
  return pthread_setaffinity_np(thread, sizeof one, &one) == 0;
}

static long touch_all(int x) {
  long s = 0;
  for (int i = 0; i < modules; ++i)
    s += entry[i](x);
  return s;
}

static void measure_needed(void) {
  double t0 = now_ms();
  int n = 0;
  for (int k = 0; k < 1000; ++k)
    n += library_changed(library, &copied);
  printf("{\"needed_us\": %.3f, \"true\": %d, \"calls\": %ld, "
         "\"wrong\": %ld, \"pinned\": %d}\n",
         (now_ms() - t0) / 1000 * 1e3, n, atomic_load(&calls),
         atomic_load(&wrong), pinned);
}

static void reload(void) {
  /* Changes the state so that keeping it is visible: after reload k every
   * m<i>_state must read i + k (the library initializes it to i). */
  for (int i = 0; i < modules; ++i)
    ++*state[i];
  double t0 = now_ms();
  bool needed = library_changed(library, &copied);
  double t1 = now_ms();
  if (locked)
    pthread_rwlock_wrlock(&lock);
  double t2 = now_ms();
  char path[4096];
  if (!library_copy(library, generation + 1, path, sizeof path, &copied))
    fail("copy", library);
  double t3 = now_ms();
  for (int i = 0; i < modules; ++i)
    saved[i] = *state[i];
  double t4 = now_ms();
  dlclose(handle);
  double t5 = now_ms();
  open_copy(path);
  double t6 = now_ms();
  find_symbols();
  double t7 = now_ms();
  for (int i = 0; i < modules; ++i)
    *state[i] = saved[i];
  double t8 = now_ms();
  if (locked)
    pthread_rwlock_unlock(&lock);
  double t9 = now_ms();
  ++generation;
  bool kept = true;
  for (int i = 0; i < modules; ++i)
    kept = kept && *state[i] == i + (int)generation;
  long sum = touch_all(2);
  printf("{\"needed\": %d, \"status\": 0, \"needed_ms\": %.4f, "
         "\"reload_ms\": %.4f, \"lock_ms\": %.4f, \"copy_ms\": %.4f, "
         "\"save_ms\": %.4f, \"dlclose_ms\": %.4f, \"dlopen_ms\": %.4f, "
         "\"dlsym_ms\": %.4f, \"restore_ms\": %.4f, \"generation\": %lu, "
         "\"state_kept\": %d, \"sum\": %ld, \"rss_kb\": %ld, \"calls\": %ld, "
         "\"wrong\": %ld, \"pinned\": %d}\n",
         needed, t1 - t0, t9 - t1, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5,
         t7 - t6, t8 - t7, generation, kept, sum, resident_kb(),
         atomic_load(&calls), atomic_load(&wrong), pinned);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s LIBRARY MODULES [--locked] [--pin]\n", argv[0]);
    return 2;
  }
  library = argv[1];
  modules = atoi(argv[2]);
  bool want_pin = false;
  for (int i = 3; i < argc; ++i) {
    locked = locked || strcmp(argv[i], "--locked") == 0;
    want_pin = want_pin || strcmp(argv[i], "--pin") == 0;
  }
  entry = calloc(modules, sizeof *entry);
  state = calloc(modules, sizeof *state);
  saved = calloc(modules, sizeof *saved);
  /* Writers first: with glibc's default (readers first) a thread that
   * takes the read lock in a loop can keep the reload waiting. */
  pthread_rwlockattr_t attr;
  pthread_rwlockattr_init(&attr);
  pthread_rwlockattr_setkind_np(&attr,
                                PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  pthread_rwlock_init(&lock, &attr);

  char path[4096];
  if (!library_copy(library, 0, path, sizeof path, &copied))
    fail("copy", library);
  open_copy(path);
  find_symbols();
  long sum = touch_all(1);
  pthread_t thread;
  pthread_create(&thread, 0, caller, 0);
  pinned = want_pin && pin(thread);
  char line[64];
  while (fgets(line, sizeof line, stdin)) {
    if (strncmp(line, "needed", 6) == 0)
      measure_needed();
    else if (strncmp(line, "reload", 6) == 0)
      reload();
    else if (strncmp(line, "quit", 4) == 0)
      break;
    fflush(stdout);
  }
  atomic_store(&stop, 1);
  pthread_join(thread, 0);
  dlclose(handle);
  fprintf(stderr, "sum %ld\n", sum);
  return 0;
}
