/* Host of the limitations probe for whole-library reload:
 * probe.c (and, in version 2, extra.c) linked into one shared object,
 * LIBRARY, opened as a private copy; f and probe_global found with dlsym.
 * The swap is the one of experiments/hosts/whole_library_host.c:
 * save the state the host can name (probe_global; f's static local has no
 * dynamic symbol), dlclose the old copy, dlopen a copy of the new file,
 * dlsym again, restore.
 *
 *   whole_library_host LIBRARY */
#define _GNU_SOURCE
#include "library_copy.h"
#include "probe_check.h"

#include <dlfcn.h>

static void *handle;
static probe_fn f;
static int *probe_global;

static const char *open_library(const char *library, unsigned long generation) {
  char path[4096];
  struct stat copied;
  if (!library_copy(library, generation, path, sizeof path, &copied))
    return "cannot copy the library";
  handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  unlink(path);
  if (!handle)
    return dlerror();
  f = (probe_fn)dlsym(handle, "f");
  probe_global = (int *)dlsym(handle, "probe_global");
  return f && probe_global ? 0 : "f or probe_global not exported";
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s LIBRARY\n", argv[0]);
    return 2;
  }
  const char *error = open_library(argv[1], 0);
  if (error) {
    fprintf(stderr, "%s\n", error);
    return 1;
  }
  int local = 0, extra = 0;
  for (int i = 0; i < 3; ++i)
    f(&local, &extra);
  probe_fn before = f;
  probe_wait_for_swap();
  int saved = *probe_global;
  dlclose(handle);
  error = open_library(argv[1], 1);
  if (error) {
    probe_report(error, (uintptr_t)before, 0, 0, 0, 0, 0);
    return 1;
  }
  *probe_global = saved;
  int result = f(&local, &extra);
  probe_report("ok", (uintptr_t)before, (uintptr_t)f, result, local, extra,
               *probe_global);
  return 0;
}
