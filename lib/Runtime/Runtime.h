//===- Runtime.h - The reload runtime behind the C API ----------*- C++ -*-===//
//
// One instance per process, reached through the C API (CApi.cpp). It owns
// the symbol table, the module graph and the redirections, and changes them
// only through ReloadTransaction: a reload, hcr_init's start, or one
// registration made outside a reload. Every public method takes the
// runtime's lock, which the reloading thread holds for the whole reload
// (module entry points call back in on that thread). Failures are Status
// values; the C API adds each call's context.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_RUNTIME_H
#define HCR_LIB_RUNTIME_RUNTIME_H

#include "ChangeMonitor.h"
#include "CrashGuard.h"
#include "ModuleGraph.h"
#include "Redirections.h"
#include "ReloadTransaction.h"
#include "Status.h"
#include "SymbolTable.h"
#include "hcr/hcr.h"

#include "Containers.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hcr {

/// The runtime's configuration, from the environment (docs/Runtime.md).
struct Knobs {
  size_t JumpTableChunk = 4096; ///< HCR_JUMP_TABLE_CHUNK: trampolines per mmap.
  /// HCR_MAX_PINNED: replaced copies that threads may still run in before
  /// a reload is refused.
  unsigned MaxPinned = 64;
  int StackSignal; ///< HCR_STACK_SIGNAL: asks running threads for a scan.
  /// HCR_COPY_DIR: parent of the private copies' folder; empty: copies are
  /// memory files.
  std::string CopyDir;
  std::string ModuleDir;  ///< HCR_MODULE_DIR: overrides hcr_init's.
  bool Trace = false;     ///< HCR_TRACE: log each step to stderr.
  bool NoInotify = false; ///< HCR_NO_INOTIFY: stat every module instead.
  /// HCR_NO_MAP_QUERY: stack scans read the whole of /proc/self/maps, as
  /// on kernels before 6.11, instead of asking for one mapping per thread.
  bool NoMapQuery = false;
  /// HCR_NO_KEPT_DATA: an unloaded copy's data pages go with it (pointers
  /// into them dangle), instead of staying where they were (KeptData.h).
  bool NoKeptData = false;
  static Knobs fromEnvironment();
  /// Reads again the knobs that may change between two hcr_init calls
  /// (HCR_NO_INOTIFY, HCR_NO_MAP_QUERY, HCR_NO_KEPT_DATA, HCR_MAX_PINNED),
  /// so a test or a host can compare.
  void readAtInit();
};

class Runtime {
public:
  static Runtime &get();

  Status init(const char *HostName, const hcr_module_entry_points *Host,
              const char *ModuleDir);
  void shutdown();
  /// Removes the private copies of the modules without unloading them.
  void shutdownFiles();

  // Registrations and lookups (RuntimeSymbols.cpp): staged into the running
  // reload, or made a transaction of their own.
  Status registerProc(const char *Module, const char *Name, void *Fn,
                      void *&Entry);
  Status getProc(const char *Module, const char *Name, void *&Entry);
  Status bindProc(const char *Module, const char *Name, void **Slot, void *&Fn);
  Status registerGlobal(const char *Module, const char *Name, size_t Size,
                        size_t Align, const char *Layout, void **Slot,
                        bool &IsNew);
  Status getGlobal(const char *Module, const char *Name, void *&Storage);
  Status setGlobalVisitor(const char *Module, const char *Name,
                          void (*Fn)(void));
  Status setGlobalMigrator(const char *Module, const char *Name,
                           hcr_migrate_fn Fn);
  void visitGlobals();
  /// The modules and their copies as a debugger's user reads them
  /// (hcr_debug_print_modules); false if a reload holds the runtime.
  bool describeModules(std::string &Out);
  Status retainReplacedCode(const char *Module);
  Status addHandler(const char *Module, hcr_handler_kind Kind,
                    hcr_handler_fn Fn);

  /// hcr_run_guarded.
  Status runGuardedCall(void (*Fn)(void *), void *Arg);

  bool reloadNeeded();
  Status hasModuleChanged(const char *Module, bool &Changed);
  /// StackFrom: an address in the frame of the runtime's caller, where the
  /// scan of the calling thread's stack starts.
  Status performReload(const void *StackFrom);
  /// Under a debugger, names each trampoline after the code it now jumps
  /// to, for lldb's `step` (DebuggerStubs.h); called after each change of
  /// the code, and by reloadNeeded when a debugger has attached since.
  void describeToDebuggers();
  /// At most once a second: describeToDebuggers if a debugger attached.
  void lookForNewDebugger();
  uint64_t generation();
  hcr_reload_stats lastStats();

  /// Reports a call through a dead trampoline and aborts.
  [[noreturn]] static void badCall(uint64_t Id);

private:
  Runtime();
  void trace(const std::string &Msg) const;
  std::string modulePath(const std::string &Name) const;
  bool fileChanged(const Module &M) const;
  /// Removes this process's copy folder, if it made one (and it is empty).
  void removeCopyDir();
  /// What transactions stage into and commit to.
  RuntimeState state();
  /// Fails the running reload too, if any; returns S.
  Status refuse(Status S);
  /// Runs Stage on the running reload, or on a transaction of its own that
  /// is committed if Stage succeeds.
  template <typename StageFn> Status transact(StageFn Stage);

  // Reload steps (RuntimeReload.cpp).
  bool discover(ReloadTransaction &T, const std::string &Name,
                const std::string &ImportedBy);
  void registerAndLink(ReloadTransaction &T);
  Status runReload(ReloadTransaction &T, bool RunHandlers,
                   const void *StackFrom);
  /// Fails T if the code it replaces would keep more copies loaded than
  /// HCR_MAX_PINNED allows.
  void checkPinnedLimit(ReloadTransaction &T, const void *StackFrom);

  // Rollback of the latest reload (RuntimeRollback.cpp).
  /// Records what undoing T needs, before T commits.
  void prepareUndo(const ReloadTransaction &T);
  /// The module code now loaded, with the code of Guarded (or all if
  /// TakeAll) taken by a guard.
  CrashScope crashScope(const std::vector<std::string> &Guarded, bool TakeAll);
  /// Makes hcr_run_guarded take crashes in the code of Installed.
  void publishCrashScope(const std::vector<std::string> &Installed);
  /// Undoes the latest reload after crash C in What; returns the status to
  /// report (HCR_ERROR_CRASHED).
  Status rollBack(const Crash &C, const std::string &What,
                  const void *StackFrom);
  /// "SIGSEGV in function 'f' of module 'm'".
  std::string describeCrash(const Crash &C);

  std::recursive_mutex Lock;
  Knobs Config;
  Redirections Redirect;
  SymbolTable Symbols;
  ModuleGraph Modules;
  /// Scratch storage handed out on conflicts outside a reload.
  std::vector<void *> Orphans;
  /// Which module files may have changed; made by init.
  std::unique_ptr<ChangeMonitor> Changes;
  /// Builds that failed to load, so hcr_reload_needed does not repeat them.
  HashMap<std::string, FileIdentity> FailedBuilds;
  std::string ModuleDir;
  /// The folder of this process's copies; empty when they are memory files.
  std::string CopyDir;
  uint64_t Generation = 0;
  uint64_t LoadCount = 0;
  bool Initialized = false;
  bool Reloading = false;
  /// Whether the trampolines were last described with names for a
  /// debugger, and when hcr_reload_needed last looked for one (a debugger
  /// that attaches between reloads gets them named within a second).
  bool NamedForDebugger = false;
  int64_t LastDebuggerCheckMs = 0;
  ReloadTransaction *Txn = nullptr; ///< Set while phases 1 and 2 run.
  /// What undoing the latest reload needs; Generation 0 when there is
  /// nothing to undo.
  struct ReloadUndo {
    uint64_t Generation = 0;
    HashMap<SymbolKey, std::vector<char>> GlobalBytes;
    HashMap<std::string, FileIdentity> Builds; ///< Of the new code.
    std::vector<std::string> OldOrder;
  } Undo;
  /// The scope of hcr_run_guarded's guards: read by signal handlers, which
  /// count themselves in ScopeReaders; replaced under the lock.
  std::atomic<CrashScope *> GuardedScope{nullptr};
  std::atomic<int> ScopeReaders{0};
  static bool latestReloadFilter(Crash &C, uintptr_t Sp, uintptr_t StackEnd,
                                 void *);
  hcr_reload_stats LastStats = {};
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_RUNTIME_H
