//===- RecordingRuntime.cpp - A stand-in for libhcr that records
//-----------===//

#include "RecordingRuntime.h"
#include "hcr/hcr.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace llvm;
using namespace llvm::orc;

namespace hcr::verify {
namespace {

RecordingRuntime *Active = nullptr;
alignas(64) char ScratchGlobal[1 << 16];

/// What a looked-up proc points to: calling it from registration code
/// would be a bug in the module, reported instead of run.
[[noreturn]] void calledDuringVerification() {
  std::fprintf(stderr, "hcr-verify: a module called a looked-up proc "
                       "while registering\n");
  std::abort();
}

// The C API, as the module sees it.
void *recRegisterProc(const char *M, const char *N, void *Fn) {
  return Active->registerProc(M, N, Fn);
}
void *recGetProc(const char *M, const char *N) {
  return Active->lookup(true, M, N);
}
void *recBindProc(const char *M, const char *N, void **Slot) {
  void *P = Active->lookup(true, M, N);
  *Slot = P; // As the runtime: the link writes the module's slot.
  return P;
}
bool recRegisterGlobal(const char *M, const char *N, size_t Size, size_t,
                       void **Slot) {
  Active->registerGlobal(M, N, Size, Slot);
  return true;
}
bool recRegisterGlobalLayout(const char *M, const char *N, size_t Size,
                             size_t Align, const char *, void **Slot) {
  return recRegisterGlobal(M, N, Size, Align, Slot);
}
void *recGetGlobal(const char *M, const char *N) {
  return Active->lookup(false, M, N);
}
int addReloadHandler(const char *, int, void (*)(void)) { return 0; }
/// The visitor is the module's: its global must be registered, as a lookup
/// would check.
int recSetGlobalVisitor(const char *M, const char *N, void (*)(void)) {
  Active->lookup(false, M, N);
  return 0;
}
int returnZero() { return 0; }
const char *lastError() { return ""; }
/// As the runtime before any reload: zeroed stats, at most Size bytes.
int lastReloadStats(hcr_reload_stats *Out, size_t Size) {
  if (!Out)
    return HCR_ERROR_INVALID_ARGUMENT;
  std::memset(Out, 0, Size < sizeof(*Out) ? Size : sizeof(*Out));
  return HCR_OK;
}

} // namespace

RecordingRuntime::RecordingRuntime() { Active = this; }
RecordingRuntime::~RecordingRuntime() { Active = nullptr; }

SymbolMap RecordingRuntime::symbols(ExecutionSession &ES) {
  SymbolMap Map;
  auto Add = [&](const char *Name, auto *Fn) {
    Map[ES.intern(Name)] = {ExecutorAddr::fromPtr(reinterpret_cast<void *>(Fn)),
                            JITSymbolFlags::Exported};
  };
  Add("hcr_register_proc", &recRegisterProc);
  Add("hcr_get_proc", &recGetProc);
  Add("hcr_bind_proc", &recBindProc);
  Add("hcr_register_global", &recRegisterGlobal);
  Add("hcr_register_global_layout", &recRegisterGlobalLayout);
  Add("hcr_get_global", &recGetGlobal);
  Add("hcr_add_reload_handler", &addReloadHandler);
  Add("hcr_set_global_visitor", &recSetGlobalVisitor);
  Add("hcr_retain_replaced_code", &returnZero);
  Add("hcr_set_global_migrator", &returnZero);
  Add("hcr_last_error", &lastError);
  Add("hcr_last_status", &returnZero);
  Add("hcr_last_reload_stats", &lastReloadStats);
  // The rest of the API is called by programs, never by registration.
  for (const char *Name :
       {"hcr_init", "hcr_shutdown", "hcr_run_host", "hcr_start_host", "hcr_debug_print_modules",
        "hcr_reload_needed", "hcr_has_module_changed", "hcr_perform_reload",
        "hcr_generation", "hcr_visit_globals", "hcr_run_guarded"})
    Add(Name, &returnZero);
  return Map;
}

void *RecordingRuntime::registerProc(const char *M, const char *N, void *Fn) {
  Registration &R = Registered[{true, M, N}];
  R.IsProc = true, R.Module = M, R.Name = N;
  R.By += (R.Count++ ? "," : "") + Current;
  return Fn;
}

void *RecordingRuntime::registerGlobal(const char *M, const char *N,
                                       size_t Size, void **Slot) {
  Registration &R = Registered[{false, M, N}];
  R.IsProc = false, R.Module = M, R.Name = N;
  R.By += (R.Count++ ? "," : "") + Current;
  Storage.push_back(std::make_unique<char[]>(Size ? Size : 1));
  std::memset(Storage.back().get(), 0, Size ? Size : 1);
  *Slot = Storage.back().get();
  return *Slot;
}

void *RecordingRuntime::lookup(bool IsProc, const char *M, const char *N) {
  Lookups.push_back({IsProc, M, N, Current});
  return IsProc ? reinterpret_cast<void *>(&calledDuringVerification)
                : static_cast<void *>(ScratchGlobal);
}

std::vector<RecordingRuntime::Registration>
RecordingRuntime::registrations() const {
  std::vector<Registration> Out;
  for (const auto &[Key, R] : Registered)
    Out.push_back(R);
  return Out;
}

} // namespace hcr::verify
