/* Host of the reload-latency program (experiments/programs/reload) for
 * entry patching. The modules m0..m(N-1) are the sources
 * generate.py writes, built as plain -fPIC -shared objects DIR/m<i>.so; this
 * host replaces generate.py's main.c (which needs libhcr) and speaks the
 * same stdin protocol, one JSON object per command:
 *   needed   mean time of the change check over 1000 calls (nothing changed)
 *   reload   the change check, then ep_reload of each changed module, with
 *            the phase timings and counters of entry_patch, and the resident
 *            size
 *   quit
 * The change check stats every module file and compares device, inode, size
 * and modification time with those recorded at the last load (as hcr's
 * hcr_reload_needed does): its cost grows with the number of modules.
 * A thread calls m0_f0(5) through the first version's address during
 * everything and counts wrong results.
 *   reload_host DIR N [--padding]
 */
#define _GNU_SOURCE
#include "entry_patch.h"
#include "host_util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef int (*entry_fn)(int);

/* One module file and what it was when last loaded. */
typedef struct module_file {
  char path[4096];
  struct stat loaded;
  ep_module *module;
  entry_fn f0;
} module_file;

static module_file *modules;
static int module_count;
static atomic_int stop;
static atomic_long calls, wrong;

static int same_file(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
         a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
         a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Marks changed modules in `changed` (may be NULL); returns their count. */
static int check_changes(char *changed) {
  int n = 0;
  for (int i = 0; i < module_count; ++i) {
    struct stat st;
    int c =
        stat(modules[i].path, &st) == 0 && !same_file(&st, &modules[i].loaded);
    if (changed)
      changed[i] = (char)c;
    n += c;
  }
  return n;
}

static void *caller(void *arg) {
  (void)arg;
  entry_fn f = modules[0].f0;
  while (!atomic_load(&stop)) {
    if (f(5) != 5)
      atomic_fetch_add(&wrong, 1);
    atomic_fetch_add(&calls, 1);
  }
  return 0;
}

static long touch_all(int x) {
  long s = 0;
  for (int i = 0; i < module_count; ++i)
    s += modules[i].f0(x);
  return s;
}

/* The error text as a JSON string body (quotes and control bytes out). */
static void print_json_text(const char *s) {
  for (; *s; ++s)
    putchar(*s == '"' || *s == '\\' || (unsigned char)*s < 0x20 ? '\'' : *s);
}

static void reload(void) {
  char *changed = calloc(module_count, 1);
  double t0 = now_ms();
  int needed = check_changes(changed);
  double t1 = now_ms();
  ep_reload_stats sum = {0};
  int status = 0, loaded = 0;
  unsigned version = 0;
  char error[512] = "";
  for (int i = 0; i < module_count; ++i) {
    if (!changed[i])
      continue;
    struct stat st;
    stat(modules[i].path, &st); /* Before the copy: a later change reloads. */
    int s = ep_reload(modules[i].module, modules[i].path);
    if (s != EP_OK && s != EP_ERROR_PROTECT_RESTORE) {
      status = s;
      snprintf(error, sizeof error, "%s", ep_last_error());
      continue;
    }
    modules[i].loaded = st;
    ++loaded;
    ep_reload_stats r;
    ep_last_stats(modules[i].module, &r);
    version = r.version;
    sum.copy_ms += r.copy_ms;
    sum.symbols_ms += r.symbols_ms;
    sum.dlopen_ms += r.dlopen_ms;
    sum.patch_ms += r.patch_ms;
    sum.functions += r.functions;
    sum.patched += r.patched;
    sum.atomic += r.atomic;
    sum.split_rel32 += r.split_rel32;
    sum.abs64 += r.abs64;
    sum.into_padding += r.into_padding;
    sum.refused_small += r.refused_small;
    sum.ambiguous += r.ambiguous;
    sum.new_functions += r.new_functions;
    sum.pages_made_writable += r.pages_made_writable;
  }
  double t2 = now_ms();
  long check = touch_all(2);
  printf("{\"needed\": %d, \"status\": %d, \"needed_ms\": %.4f, "
         "\"reload_ms\": %.4f, \"version\": %u, \"modules\": %d, "
         "\"loaded\": %d, \"copy_ms\": %.4f, \"symbols_ms\": %.4f, "
         "\"dlopen_ms\": %.4f, \"patch_ms\": %.4f, \"functions\": %u, "
         "\"patched\": %u, \"atomic\": %u, \"split_rel32\": %u, "
         "\"abs64\": %u, \"into_padding\": %u, \"refused_small\": %u, "
         "\"ambiguous\": %u, \"new_functions\": %u, \"pages\": %u, "
         "\"rss_kb\": %ld, \"calls\": %ld, \"wrong\": %ld, \"check\": %ld, "
         "\"error\": \"",
         needed, status, t1 - t0, t2 - t1, version, module_count, loaded,
         sum.copy_ms, sum.symbols_ms, sum.dlopen_ms, sum.patch_ms,
         sum.functions, sum.patched, sum.atomic, sum.split_rel32, sum.abs64,
         sum.into_padding, sum.refused_small, sum.ambiguous, sum.new_functions,
         sum.pages_made_writable, resident_kb(), atomic_load(&calls),
         atomic_load(&wrong), check);
  print_json_text(error);
  printf("\"}\n");
  free(changed);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s DIR N [--padding]\n", argv[0]);
    return 2;
  }
  module_count = atoi(argv[2]);
  unsigned flags =
      argc > 3 && strcmp(argv[3], "--padding") == 0 ? EP_USE_PADDING : 0;
  modules = calloc(module_count > 0 ? module_count : 1, sizeof *modules);
  if (module_count <= 0 || !modules)
    return 2;
  for (int i = 0; i < module_count; ++i) {
    module_file *m = &modules[i];
    snprintf(m->path, sizeof m->path, "%s/m%d.so", argv[1], i);
    char name[32];
    snprintf(name, sizeof name, "m%d_f0", i);
    if (stat(m->path, &m->loaded) != 0 ||
        ep_load(m->path, flags, &m->module) != EP_OK) {
      fprintf(stderr, "reload_host: %s: %s\n", m->path, ep_last_error());
      return 1;
    }
    m->f0 = (entry_fn)ep_symbol(m->module, name);
    if (!m->f0) {
      fprintf(stderr, "reload_host: %s has no %s\n", m->path, name);
      return 1;
    }
  }
  pthread_t thread;
  pthread_create(&thread, 0, caller, 0);
  long sum = touch_all(1);
  char line[64];
  while (fgets(line, sizeof line, stdin)) {
    if (strncmp(line, "needed", 6) == 0) {
      double t0 = now_ms();
      int n = 0;
      for (int k = 0; k < 1000; ++k)
        n += check_changes(NULL) > 0;
      printf("{\"needed_us\": %.3f, \"true\": %d, \"rss_kb\": %ld}\n",
             (now_ms() - t0) / 1000 * 1e3, n, resident_kb());
    } else if (strncmp(line, "reload", 6) == 0) {
      reload();
    } else if (strncmp(line, "quit", 4) == 0) {
      break;
    }
    fflush(stdout);
  }
  atomic_store(&stop, 1);
  pthread_join(thread, 0);
  fprintf(stderr, "sum %ld, calls %ld, wrong %ld\n", sum, atomic_load(&calls),
          atomic_load(&wrong));
  ep_shutdown();
  free(modules);
  return 0;
}
