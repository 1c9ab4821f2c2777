/* Host of the per-call benchmark (experiments/programs/calls) for entry
 * patching: callee.so and caller.so are plain -O2 -fPIC -shared
 * objects loaded with entry_patch, and the four loops are called through the
 * addresses of the first version, as a program that keeps function pointers
 * does. Prints what experiments/programs/calls/main.c prints:
 *   calls_host --callee CALLEE.so --caller CALLER.so [--reload] [--padding]
 *              [CALLS PER RUN] [RUNS]
 * --reload reloads callee then caller once (copies of the same builds)
 * before measuring, so that every loop runs the second version: the
 * cross-module calls then go PLT -> first version's entry -> jump -> new
 * code, which is the steady-state cost of this strategy after a reload.
 * --padding (EP_USE_PADDING) is needed for that: at -O2 add1 is 4 bytes
 * (lea 1(%rdi),%eax; ret), too small for a jump, and would stay old. */
#define _POSIX_C_SOURCE 200809L
#include "entry_patch.h"
#include "measure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_reload(const char *what, const ep_module *m) {
  ep_reload_stats s;
  ep_last_stats(m, &s);
  fprintf(stderr,
          "%s: version %u, %u functions, patched %u (atomic %u, split %u, "
          "abs64 %u), refused %u, %.3f ms\n",
          what, s.version, s.functions, s.patched, s.atomic, s.split_rel32,
          s.abs64, s.refused_small,
          s.copy_ms + s.symbols_ms + s.dlopen_ms + s.patch_ms);
}

int main(int argc, char **argv) {
  const char *callee_path = NULL, *caller_path = NULL;
  int reload = 0, positional = 0;
  unsigned flags = 0;
  long n = 20000000;
  int runs = 5;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--callee") == 0 && i + 1 < argc)
      callee_path = argv[++i];
    else if (strcmp(argv[i], "--caller") == 0 && i + 1 < argc)
      caller_path = argv[++i];
    else if (strcmp(argv[i], "--reload") == 0)
      reload = 1;
    else if (strcmp(argv[i], "--padding") == 0)
      flags |= EP_USE_PADDING;
    else if (positional == 0 && ++positional)
      n = atol(argv[i]);
    else if (positional == 1 && ++positional)
      runs = atoi(argv[i]);
  }
  if (!callee_path || !caller_path || n <= 0 || runs <= 0) {
    fprintf(stderr,
            "usage: %s --callee CALLEE.so --caller CALLER.so "
            "[--reload] [--padding] [CALLS] [RUNS]\n",
            argv[0]);
    return 2;
  }
  /* The callee first: the caller's references to add1 and mix must resolve
   * in the global scope when it is opened with RTLD_NOW. */
  ep_module *callee, *caller;
  if (ep_load(callee_path, flags, &callee) != EP_OK ||
      ep_load(caller_path, flags, &caller) != EP_OK) {
    fprintf(stderr, "%s\n", ep_last_error());
    return 1;
  }
  loop_fn fns[4];
  for (int i = 0; i < 4; ++i) {
    char sym[32];
    snprintf(sym, sizeof sym, "run_%s", loop_names[i]);
    fns[i] = (loop_fn)ep_symbol(caller, sym);
    if (!fns[i]) {
      fprintf(stderr, "%s: no %s\n", caller_path, sym);
      return 1;
    }
  }
  if (reload) {
    if (ep_reload(callee, callee_path) != EP_OK ||
        ep_reload(caller, caller_path) != EP_OK) {
      fprintf(stderr, "%s\n", ep_last_error());
      return 1;
    }
    print_reload("reload callee", callee);
    print_reload("reload caller", caller);
  }
  fprintf(stderr, "checksum %ld\n", measure_loops(fns, n, runs));
  ep_shutdown();
  return 0;
}
