#!/usr/bin/env python3
"""What the safety of a reload costs (docs/experiments.md, "What safety
costs"), each cost measured against its control in the same run, the two
interleaved reload after reload so that the machine's noise hits both:

  migration   a module keeps an array of N structs; reloads alternate
              between a build whose struct has the same layout (control:
              the bytes are kept) and one whose struct swapped two fields
              (every element migrated by field name), N = 1, 1000, 100000;
  stack scan  the same module reloaded while T other threads sit blocked in
              the kernel (nanosleep) and one spins, T = 0, 8, 64: the scan
              of every thread's stack is part of cleanup_ms;
  undo copy   the copy of every global a guarded reload takes for its
              rollback is part of commit_ms: the N = 100000 rows show it.

Medians over ROUNDS reloads of hcr_last_reload_stats() phases (ms).

usage: safety-costs.py HCR_BUILD_DIR SCRATCH_DIR [ROUNDS]
"""
import json
import os
import shutil
import statistics
import subprocess
import sys

HOST = r'''/* Reloads on command and prints the phases as JSON. */
#include <hcr/hcr.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long cell_sum(void);

static atomic_int stop;

static void *sleeper(void *arg) {
  (void)arg;
  while (!atomic_load(&stop)) {
    struct timespec t = {0, 50 * 1000 * 1000};
    nanosleep(&t, 0);
  }
  return 0;
}

static void *spinner(void *arg) {
  (void)arg;
  while (!atomic_load(&stop))
    (void)cell_sum;
  return 0;
}

int main(int argc, char **argv) {
  int sleepers = argc > 1 ? atoi(argv[1]) : 0;
  pthread_t threads[256];
  int started = 0;
  for (int i = 0; i < sleepers && started < 255; ++i)
    pthread_create(&threads[started++], 0, sleeper, 0);
  if (sleepers)
    pthread_create(&threads[started++], 0, spinner, 0);
  char line[64];
  while (fgets(line, sizeof line, stdin)) {
    if (strncmp(line, "reload", 6) != 0)
      break;
    int needed = hcr_reload_needed();
    int status = hcr_perform_reload();
    hcr_reload_stats s;
    hcr_last_reload_stats(&s, sizeof s);
    printf("{\"needed\": %d, \"status\": %d, \"total_ms\": %.4f, "
           "\"commit_ms\": %.4f, \"init_ms\": %.4f, \"cleanup_ms\": %.4f, "
           "\"register_ms\": %.4f, \"threads_scanned\": %u, "
           "\"sum\": %ld, \"error\": \"%s\"}\n",
           needed, status, s.total_ms, s.commit_ms, s.init_ms, s.cleanup_ms,
           s.register_ms, s.threads_scanned, cell_sum(),
           status ? hcr_last_error() : "");
    fflush(stdout);
  }
  atomic_store(&stop, 1);
  for (int i = 0; i < started; ++i)
    pthread_join(threads[i], 0);
  return 0;
}
'''

# The kept array; FIELDS is its struct's body, which the variants change.
CELLS = r'''/* The kept state: N cells. */
struct cell { %(fields)s };
struct cell cells[%(n)d] = {{1, 2, 3.0, 4}};
long cell_sum(void) {
  long s = 0;
  for (int i = 0; i < %(n)d; i += 97)
    s += cells[i].a + cells[i].b + (long)cells[i].c + cells[i].d + %(tag)d;
  return s;
}
'''
SAME = "int a; int b; double c; char d;"
SWAPPED = "int b; int a; double c; char d;"


def build(hcr_build, src_dir, out, cells_text):
    with open(os.path.join(src_dir, "cells.c"), "w") as f:
        f.write(cells_text)
    subprocess.run([hcr_build, "-q", "-o", out,
                    os.path.join(src_dir, "main.c"),
                    os.path.join(src_dir, "cells.c"), "--", "-O1",
                    "-pthread"], check=True)


def replace(src, dst):
    tmp = dst + ".new"
    shutil.copyfile(src, tmp)
    os.rename(tmp, dst)


def measure(hcr_build, scratch, n, sleepers, rounds):
    src = os.path.join(scratch, f"src-{n}")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "main.c"), "w") as f:
        f.write(HOST)
    variants = {}
    # Three builds of cells.c: the running one, a control with the same
    # layout (other code), and one with two fields swapped.
    for name, fields, tag in [("a", SAME, 0), ("a2", SAME, 1),
                              ("b", SWAPPED, 0)]:
        out = os.path.join(scratch, f"{name}-{n}")
        build(hcr_build, src, out, CELLS % {"fields": fields, "n": n,
                                            "tag": tag})
        variants[name] = os.path.join(out, "cells.so")
    run_dir = os.path.join(scratch, f"a-{n}")
    p = subprocess.Popen([os.path.join(run_dir, "main"), str(sleepers)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True)
    results = {"control": [], "migrate": []}

    def reload(to, kind):
        replace(variants[to], os.path.join(run_dir, "cells.so"))
        p.stdin.write("reload\n")
        p.stdin.flush()
        r = json.loads(p.stdout.readline())
        if r["status"] != 0:
            sys.exit(f"reload failed: {r['error']}")
        results[kind].append(r)

    # A -> A2 -> A (control, same layout) then A -> B -> A (migrated), so
    # each round has two reloads of each kind and ends where it started.
    for _ in range(rounds):
        reload("a2", "control")
        reload("a", "control")
        reload("b", "migrate")
        reload("a", "migrate")
    p.stdin.write("quit\n")
    p.stdin.flush()
    p.wait()
    return results


def median(rows, key):
    return statistics.median(r[key] for r in rows)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    build_dir, scratch = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    hcr_build = os.path.join(build_dir, "bin", "hcr-build")
    os.makedirs(scratch, exist_ok=True)
    keys = ["total_ms", "register_ms", "commit_ms", "init_ms", "cleanup_ms"]
    print("| cells | other threads | reload | " + " | ".join(keys) +
          " | threads scanned |")
    print("|---|---|---|" + "---|" * len(keys) + "---|")
    for n, sleepers in [(1, 0), (1000, 0), (100000, 0), (1000, 8),
                        (1000, 64)]:
        r = measure(hcr_build, os.path.join(scratch, f"t{sleepers}"), n,
                    sleepers, rounds)
        for kind in ["control", "migrate"]:
            rows = r[kind]
            cells = " | ".join(f"{median(rows, k):.3f}" for k in keys)
            print(f"| {n} | {sleepers + (1 if sleepers else 0)} | {kind} | "
                  f"{cells} | {median(rows, 'threads_scanned'):.0f} |",
                  flush=True)


if __name__ == "__main__":
    main()
