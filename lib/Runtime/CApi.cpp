//===- CApi.cpp - The C ABI of libhcr -------------------------------------===//
//
// Thin wrappers over Runtime. Each failure's Status gets its context here,
// once (the call and its arguments, e.g. "hcr_register_global(counter,
// count): ..."), and is kept per thread for hcr_last_status() and
// hcr_last_error(). Only these hcr_* functions are exported (exports.map).
//
//===----------------------------------------------------------------------===//

#define HCR_ENABLED 1
#include "Runtime.h"
#include "hcr/hcr.h"

#include <cstdio>
#include <cstring>
#include <string>

using hcr::Runtime;
using hcr::Status;

namespace {
thread_local hcr_status LastStatus = HCR_OK;
thread_local std::string LastError;

std::string arg(const char *Text) { return Text ? Text : "(null)"; }

/// "Function(First, Second)": the context of a call about a symbol.
std::string call(const char *Function, const char *First,
                 const char *Second = nullptr) {
  std::string Out = std::string(Function) + "(" + arg(First);
  if (Second)
    Out += ", " + arg(Second);
  return Out + ")";
}

/// Keeps a failure as the thread's last one, explained by Context.
hcr_status report(const Status &S, const std::string &Context) {
  if (!S.ok()) {
    Status WithContext = S.withContext(Context);
    LastStatus = WithContext.code();
    LastError = WithContext.message();
  }
  return S.code();
}
} // namespace

extern "C" {

hcr_status hcr_init(const char *HostModule, const hcr_module_entry_points *Host,
                    const char *ModuleDir) {
  return report(Runtime::get().init(HostModule, Host, ModuleDir),
                call("hcr_init", HostModule));
}

int hcr_run_host(const char *HostModule, const hcr_module_entry_points *Host,
                 int (*MainFn)(int, char **, char **), int Argc, char **Argv,
                 char **Envp) {
  if (!MainFn) {
    std::fprintf(stderr, "hcr: hcr_run_host needs the program's main\n");
    return 127;
  }
  hcr_start_host(HostModule, Host);
  return MainFn(Argc, Argv, Envp);
}

void hcr_start_host(const char *HostModule,
                    const hcr_module_entry_points *Host) {
  if (hcr_init(HostModule, Host, nullptr) == HCR_OK)
    return;
  std::fprintf(stderr, "hcr: cannot start %s: %s\n",
               HostModule ? HostModule : "the program", hcr_last_error());
  std::exit(127);
}

void hcr_shutdown(void) { Runtime::get().shutdown(); }

void *hcr_register_proc(const char *Module, const char *Name, void *Fn) {
  void *Entry = nullptr;
  report(Runtime::get().registerProc(Module, Name, Fn, Entry),
         call("hcr_register_proc", Module, Name));
  return Entry;
}

void *hcr_get_proc(const char *Module, const char *Name) {
  void *Entry = nullptr;
  report(Runtime::get().getProc(Module, Name, Entry),
         call("hcr_get_proc", Module, Name));
  return Entry;
}

void *hcr_bind_proc(const char *Module, const char *Name, void **Slot) {
  void *Fn = nullptr;
  report(Runtime::get().bindProc(Module, Name, Slot, Fn),
         call("hcr_bind_proc", Module, Name));
  return Fn;
}

bool hcr_register_global(const char *Module, const char *Name, size_t Size,
                         size_t Align, void **Slot) {
  bool IsNew = false;
  report(Runtime::get().registerGlobal(Module, Name, Size, Align, nullptr, Slot,
                                       IsNew),
         call("hcr_register_global", Module, Name));
  return IsNew;
}

bool hcr_register_global_layout(const char *Module, const char *Name,
                                size_t Size, size_t Align, const char *Layout,
                                void **Slot) {
  bool IsNew = false;
  report(Runtime::get().registerGlobal(Module, Name, Size, Align, Layout, Slot,
                                       IsNew),
         call("hcr_register_global_layout", Module, Name));
  return IsNew;
}

void *hcr_get_global(const char *Module, const char *Name) {
  void *Storage = nullptr;
  report(Runtime::get().getGlobal(Module, Name, Storage),
         call("hcr_get_global", Module, Name));
  return Storage;
}

hcr_status hcr_add_reload_handler(const char *Module, hcr_handler_kind Kind,
                                  hcr_handler_fn Fn) {
  return report(Runtime::get().addHandler(Module, Kind, Fn),
                call("hcr_add_reload_handler", Module));
}

hcr_status hcr_set_global_visitor(const char *Module, const char *Name,
                                  hcr_handler_fn Visitor) {
  return report(Runtime::get().setGlobalVisitor(Module, Name, Visitor),
                call("hcr_set_global_visitor", Module, Name));
}

hcr_status hcr_set_global_migrator(const char *Module, const char *Name,
                                   hcr_migrate_fn Fn) {
  return report(Runtime::get().setGlobalMigrator(Module, Name, Fn),
                call("hcr_set_global_migrator", Module, Name));
}

void hcr_visit_globals(void) { Runtime::get().visitGlobals(); }

void hcr_debug_print_modules(void) {
  std::string Report;
  if (!Runtime::get().describeModules(Report))
    Report = "hcr: a reload is in progress (the runtime is busy)\n";
  std::fputs(Report.c_str(), stderr);
}

hcr_status hcr_retain_replaced_code(const char *Module) {
  return report(Runtime::get().retainReplacedCode(Module),
                call("hcr_retain_replaced_code", Module));
}

bool hcr_reload_needed(void) { return Runtime::get().reloadNeeded(); }

bool hcr_has_module_changed(const char *Module) {
  bool Changed = false;
  report(Runtime::get().hasModuleChanged(Module, Changed),
         call("hcr_has_module_changed", Module));
  return Changed;
}

hcr_status hcr_perform_reload(void) {
  // The scan of this thread's stack starts at the caller's frames.
  Status S = Runtime::get().performReload(__builtin_frame_address(0));
  // A reload that ran and failed is explained as the program sees it.
  bool Ran =
      S.code() != HCR_ERROR_NOT_INITIALIZED && S.code() != HCR_ERROR_BUSY;
  return report(S, Ran ? "reload failed, the old code keeps running"
                       : "hcr_perform_reload");
}

hcr_status hcr_run_guarded(void (*Fn)(void *), void *Arg) {
  return report(Runtime::get().runGuardedCall(Fn, Arg), "hcr_run_guarded");
}

unsigned long hcr_generation(void) { return Runtime::get().generation(); }

hcr_status hcr_last_reload_stats(hcr_reload_stats *Out, size_t Size) {
  if (!Out)
    return report(Status(HCR_ERROR_INVALID_ARGUMENT, "out must not be null"),
                  "hcr_last_reload_stats");
  // A caller built against an older struct passes a smaller size: it gets
  // the prefix it knows, and nothing past it is written.
  hcr_reload_stats Stats = Runtime::get().lastStats();
  std::memcpy(Out, &Stats, Size < sizeof(Stats) ? Size : sizeof(Stats));
  return HCR_OK;
}

const char *hcr_last_error(void) { return LastError.c_str(); }

hcr_status hcr_last_status(void) { return LastStatus; }

} // extern "C"
