/* Limitations probe of strategy 5, entry patching: loads module "probe"
 * (probe_v1.so) and module "user", takes &f, calls f three times, loads a
 * brand-new module "added", reloads "probe" from probe_v2.so (f returns 2
 * instead of 1 and calls "added"), and reports what survived as one JSON
 * object. Every field comes from running the code, none from assumption.
 *   probe_host DIR [--padding] [--abs64]
 */
#define _GNU_SOURCE
#include "../entry_patch.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef int (*f_fn)(int *);
typedef void *(*address_fn)(void);
typedef int *(*global_address_fn)(void);
typedef int (*int_fn)(void);

static const char *yes(int b) { return b ? "true" : "false"; }

static int load(const char *dir, const char *name, unsigned flags,
                ep_module **out) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (ep_load(path, flags, out) == EP_OK)
    return 1;
  fprintf(stderr, "probe_host: %s\n", ep_last_error());
  return 0;
}

static int reload(ep_module *m, const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int status = ep_reload(m, path);
  if (status != EP_OK)
    fprintf(stderr, "probe_host: %s\n", ep_last_error());
  return status;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s DIR [--padding] [--abs64]\n", argv[0]);
    return 2;
  }
  const char *dir = argv[1];
  unsigned flags = 0;
  for (int i = 2; i < argc; ++i) {
    if (strcmp(argv[i], "--padding") == 0)
      flags |= EP_USE_PADDING;
    else if (strcmp(argv[i], "--abs64") == 0)
      flags |= EP_FORCE_ABS64;
  }
  ep_module *probe, *user, *added;
  if (!load(dir, "probe_v1.so", flags, &probe) ||
      !load(dir, "user.so", flags, &user))
    return 1;
  f_fn f_before = (f_fn)ep_symbol(probe, "f"); /* The host's &f. */
  f_fn user_call_f = (f_fn)ep_symbol(user, "user_call_f");
  f_fn call_f_inside = (f_fn)ep_symbol(probe, "call_f_inside");
  address_fn address_of_f = (address_fn)ep_symbol(probe, "address_of_f");
  address_fn address_of_helper =
      (address_fn)ep_symbol(probe, "address_of_helper");
  global_address_fn address_of_global =
      (global_address_fn)ep_symbol(probe, "address_of_global");
  int *global = (int *)ep_symbol(probe, "global_counter");
  if (!f_before || !user_call_f || !call_f_inside || !address_of_f ||
      !address_of_helper || !address_of_global || !global) {
    fprintf(stderr, "probe_host: probe_v1.so lacks a symbol\n");
    return 1;
  }
  void *helper_before = address_of_helper();
  int calls = 0, result_before = 0;
  for (int i = 0; i < 3; ++i)
    result_before = user_call_f(&calls);

  /* A module that did not exist at start, loaded the only way this strategy
   * can: into the global scope, before the code that needs it. */
  int module_loaded = load(dir, "added.so", flags, &added);
  int status = module_loaded ? reload(probe, dir, "probe_v2.so") : -1;
  ep_reload_stats stats = {0};
  ep_last_stats(probe, &stats);

  int static_calls = 0;
  int result_user = user_call_f(&static_calls); /* Cross-module, via PLT. */
  int global_after = *global;
  int result_old_pointer = f_before(NULL);
  int result_inside = call_f_inside(NULL);
  void *f_seen_by_new_code = address_of_f();
  void *f_from_dlsym = dlsym(RTLD_DEFAULT, "f");
  int *global_seen_by_new_code = address_of_global();
  void *v2 = ep_version_handle(probe, 2);
  int *global_of_new_copy = v2 ? (int *)dlsym(v2, "global_counter") : NULL;
  int *added_calls =
      module_loaded ? (int *)ep_symbol(added, "added_calls") : NULL;
  void *helper_after = address_of_helper();

  /* A global that version 2 introduced: state across a second reload. */
  int_fn bump = v2 ? (int_fn)dlsym(v2, "bump_new_global") : NULL;
  int new_global_before = bump ? (bump(), bump()) : 0;
  int second_status = reload(probe, dir, "probe_v2.so");
  int new_global_after = bump ? bump() : 0;

  int new_code_runs = status == EP_OK && result_before == 1 && result_user == 2;
  int global_kept = global_after == 4 && global_seen_by_new_code == global;
  int static_local_kept = static_calls == 4;
  int identity = (void *)f_before == f_seen_by_new_code &&
                 (void *)f_before == f_from_dlsym;
  int old_pointer_runs_new_code = result_old_pointer == 2;
  int module_added = added_calls && *added_calls > 0;
  int new_global_kept =
      second_status == EP_OK && new_global_before == 2 && new_global_after == 3;

  printf("{\"reload_status\": %d, \"new_code_runs\": %s, \"global_kept\": %s, "
         "\"static_local_kept\": %s, \"fn_pointer_identity\": %s, "
         "\"old_pointer_runs_new_code\": %s, \"module_added\": %s, "
         "\"static_fn_pointer_identity\": %s, "
         "\"global_added_by_reload_kept\": %s, "
         "\"call_inside_module_runs_new_code\": %s, "
         "\"static_local_after\": %d, \"global_after\": %d, "
         "\"new_copy_own_global_untouched\": %s, "
         "\"patched\": %u, \"atomic\": %u, \"split_rel32\": %u, "
         "\"abs64\": %u, \"into_padding\": %u, \"refused_small\": %u, "
         "\"new_functions\": %u, \"notes\": \"",
         status, yes(new_code_runs), yes(global_kept), yes(static_local_kept),
         yes(identity), yes(old_pointer_runs_new_code), yes(module_added),
         yes(helper_before == helper_after), yes(new_global_kept),
         yes(result_inside == 2), static_calls, global_after,
         yes(global_of_new_copy && global_of_new_copy != global &&
             *global_of_new_copy == 0),
         stats.patched, stats.atomic, stats.split_rel32, stats.abs64,
         stats.into_padding, stats.refused_small, stats.new_functions);
  printf("RTLD_LOCAL new copy: its GOT binds global_counter and f to the "
         "first version (global scope first), so the old storage is used "
         "and &f is the first entry; static locals and static functions are "
         "PC-relative, so the new copy has its own (the static local "
         "restarted at %d); a global first defined by a reload %s; a new "
         "module must be loaded (ep_load) before the reload that needs it",
         static_calls,
         new_global_kept ? "was kept by the next reload"
                         : "got fresh storage at the next reload (RTLD_LOCAL "
                           "keeps it out of the global scope)");
  printf("\"}\n");
  ep_shutdown();
  return 0;
}
