#!/usr/bin/env python3
"""Writes the reload-latency program: N modules m0..m(N-1), module m0 with
BIG functions and the others with F each, and a host (main.c) that calls
every module and, on commands from stdin, measures the runtime:
  needed      mean time of hcr_reload_needed() over 1000 calls (nothing changed)
  reload      hcr_reload_needed() then hcr_perform_reload(), with the phase
              timings of hcr_last_reload_stats(), and the resident size
  quit
A thread keeps calling m0's first function during everything and counts
wrong results. One JSON object per line.

usage: generate.py DIR MODULES FUNCTIONS BIG
"""
import os
import sys


def module(i, count):
    lines = [f"/* Module m{i}: {count} functions. */"]
    for j in range(count):
        lines.append(f"int m{i}_f{j}(int x) {{ return x * {j % 7 + 1} + {j}; }}")
    lines.append(f"int m{i}_state = {i};")
    return "\n".join(lines) + "\n"


def host(n):
    decls = "\n".join(f"int m{i}_f0(int x);" for i in range(n))
    calls = "\n".join(f"  s += m{i}_f0(i);" for i in range(n))
    return f'''/* Host of the reload-latency program ({n} modules). */
#include <hcr/hcr.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
{decls}

static atomic_int stop;
static atomic_long calls, wrong;

static double now_ms(void) {{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}}

static long resident_kb(void) {{
  long pages = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f) {{
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
      resident = 0;
    fclose(f);
  }}
  return resident * 4;
}}

static void *caller(void *arg) {{
  (void)arg;
  while (!atomic_load(&stop)) {{
    if (m0_f0(5) != 5)
      atomic_fetch_add(&wrong, 1);
    atomic_fetch_add(&calls, 1);
  }}
  return 0;
}}

static long touch_all(int i) {{
  long s = 0;
{calls}
  return s;
}}

int main(void) {{
  pthread_t thread;
  pthread_create(&thread, 0, caller, 0);
  char line[64];
  long sum = touch_all(1);
  while (fgets(line, sizeof line, stdin)) {{
    if (strncmp(line, "needed", 6) == 0) {{
      double t0 = now_ms();
      int n = 0;
      for (int k = 0; k < 1000; ++k)
        n += hcr_reload_needed();
      printf("{{\\"needed_us\\": %.3f, \\"true\\": %d}}\\n",
             (now_ms() - t0) / 1000 * 1e3, n);
    }} else if (strncmp(line, "reload", 6) == 0) {{
      double t0 = now_ms();
      int needed = hcr_reload_needed();
      double t1 = now_ms();
      int status = hcr_perform_reload();
      double t2 = now_ms();
      hcr_reload_stats s;
      hcr_last_reload_stats(&s, sizeof s);
      sum += touch_all(2);
      printf("{{\\"needed\\": %d, \\"status\\": %d, \\"needed_ms\\": %.4f, "
             "\\"reload_ms\\": %.4f, \\"generation\\": %lu, \\"modules\\": %u, "
             "\\"loaded\\": %u, \\"procs\\": %u, \\"copy_ms\\": %.4f, "
             "\\"dlopen_ms\\": %.4f, \\"discover_ms\\": %.4f, "
             "\\"handlers_ms\\": %.4f, \\"register_ms\\": %.4f, "
             "\\"commit_ms\\": %.4f, \\"init_ms\\": %.4f, \\"cleanup_ms\\": %.4f, "
             "\\"rss_kb\\": %ld, \\"calls\\": %ld, \\"wrong\\": %ld}}\\n",
             needed, status, t1 - t0, t2 - t1, s.generation, s.modules_in_tree,
             s.modules_loaded, s.procs_registered, s.copy_ms, s.dlopen_ms,
             s.discover_ms, s.handlers_ms, s.register_ms, s.commit_ms,
             s.init_ms, s.cleanup_ms, resident_kb(), atomic_load(&calls),
             atomic_load(&wrong));
    }} else if (strncmp(line, "quit", 4) == 0) {{
      break;
    }}
    fflush(stdout);
  }}
  atomic_store(&stop, 1);
  pthread_join(thread, 0);
  fprintf(stderr, "sum %ld\\n", sum);
  return 0;
}}
'''


def main():
    out, n, f, big = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    os.makedirs(out, exist_ok=True)
    for i in range(n):
        with open(os.path.join(out, f"m{i}.c"), "w") as fh:
            fh.write(module(i, big if i == 0 else f))
    with open(os.path.join(out, "main.c"), "w") as fh:
        fh.write(host(n))


if __name__ == "__main__":
    main()
