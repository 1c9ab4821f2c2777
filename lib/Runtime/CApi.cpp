//===- CApi.cpp - The C ABI of libhcr
//--------------------------------------===//
//
// Thin wrappers: each records its error text for hcr_last_error() on the
// calling thread. Only these hcr_* functions are exported (see
// exports.map).
//
//===----------------------------------------------------------------------===//

#define HCR_ENABLED 1
#include "Runtime.h"
#include "hcr/hcr.h"

#include <cstdio>
#include <string>

using hcr::Runtime;

namespace {
thread_local std::string LastError;

/// Runs F with an error string, keeping it as the thread's last error when
/// it is set.
template <typename Fn> auto withError(Fn F) {
  std::string Err;
  auto Result = F(Err);
  if (!Err.empty())
    LastError = std::move(Err);
  return Result;
}
} // namespace

extern "C" {

hcr_status hcr_init(const char *HostModule, const hcr_module_entry_points *Host,
                    const char *ModuleDir) {
  return withError([&](std::string &E) {
    return Runtime::get().init(HostModule, Host, ModuleDir, E);
  });
}

int hcr_run_host(const char *HostModule, const hcr_module_entry_points *Host,
                 int (*MainFn)(int, char **, char **), int Argc, char **Argv,
                 char **Envp) {
  if (!MainFn) {
    std::fprintf(stderr, "hcr: hcr_run_host needs the program's main\n");
    return 127;
  }
  if (hcr_init(HostModule, Host, nullptr) != HCR_OK) {
    std::fprintf(stderr, "hcr: cannot start %s: %s\n",
                 HostModule ? HostModule : "the program", hcr_last_error());
    return 127;
  }
  return MainFn(Argc, Argv, Envp);
}

void hcr_shutdown(void) { Runtime::get().shutdown(); }

void *hcr_register_proc(const char *Module, const char *Name, void *Fn) {
  return withError([&](std::string &E) {
    return Runtime::get().registerProc(Module, Name, Fn, E);
  });
}

void *hcr_get_proc(const char *Module, const char *Name) {
  return withError(
      [&](std::string &E) { return Runtime::get().getProc(Module, Name, E); });
}

void *hcr_bind_proc(const char *Module, const char *Name, void **Slot) {
  return withError([&](std::string &E) {
    return Runtime::get().bindProc(Module, Name, Slot, E);
  });
}

bool hcr_register_global(const char *Module, const char *Name, size_t Size,
                         size_t Align, void **Slot) {
  return withError([&](std::string &E) {
    return Runtime::get().registerGlobal(Module, Name, Size, Align, Slot, E);
  });
}

void *hcr_get_global(const char *Module, const char *Name) {
  return withError([&](std::string &E) {
    return Runtime::get().getGlobal(Module, Name, E);
  });
}

hcr_status hcr_add_reload_handler(const char *Module, hcr_handler_kind Kind,
                                  hcr_handler_fn Fn) {
  return withError([&](std::string &E) {
    return Runtime::get().addHandler(Module, Kind, Fn, E);
  });
}

bool hcr_reload_needed(void) { return Runtime::get().reloadNeeded(); }

bool hcr_has_module_changed(const char *Module) {
  return withError([&](std::string &E) {
    return Runtime::get().hasModuleChanged(Module, E);
  });
}

hcr_status hcr_perform_reload(void) {
  return withError(
      [&](std::string &E) { return Runtime::get().performReload(E); });
}

unsigned long hcr_generation(void) { return Runtime::get().generation(); }

void hcr_last_reload_stats(hcr_reload_stats *Out) {
  if (Out)
    *Out = Runtime::get().lastStats();
}

const char *hcr_last_error(void) { return LastError.c_str(); }

} // extern "C"
