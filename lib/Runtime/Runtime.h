//===- Runtime.h - The reload runtime behind the C API ------------*- C++
//-*-===//
//
// Owns the modules, the permanent proc and global storage and the reload
// transaction. One instance per process, reached through the C API; every
// public method takes the runtime's lock, which the reloading thread holds
// for the whole reload (module entry points call back in on that thread).
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_RUNTIME_H
#define HCR_LIB_RUNTIME_RUNTIME_H

#include "ChangeMonitor.h"
#include "JumpTable.h"
#include "ModuleCode.h"
#include "hcr/hcr.h"

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace hcr {

/// (module, name): how every proc and global is known.
using SymbolKey = std::pair<std::string, std::string>;

/// The runtime's configuration, from the environment (docs/Runtime.md).
struct Knobs {
  size_t JumpTableChunk = 4096; ///< HCR_JUMP_TABLE_CHUNK: trampolines per mmap.
  unsigned UnloadDelay =
      1;                  ///< HCR_UNLOAD_DELAY: reloads old code stays mapped.
  std::string CopyDir;    ///< HCR_COPY_DIR: parent of the private copies.
  std::string ModuleDir;  ///< HCR_MODULE_DIR: overrides hcr_init's.
  bool Trace = false;     ///< HCR_TRACE: log each step to stderr.
  bool NoInotify = false; ///< HCR_NO_INOTIFY: stat every module instead.
  /// HCR_TRAMPOLINE: slot (default), nim or nim-far.
  JumpEncoding Trampolines = JumpEncoding::Slot;
  static Knobs fromEnvironment();
  /// HCR_NO_INOTIFY alone, read again at each hcr_init.
  static bool noInotifyFromEnvironment();
};

struct ProcRecord {
  uint32_t Trampoline;
  bool Live = false;       ///< Registered by the module's current code.
  uint64_t Generation = 0; ///< Reload that last registered it.
  absl::flat_hash_set<std::string> Importers; ///< Modules that looked it up.
  /// Slots bound with hcr_bind_proc, by importing module: rewritten with
  /// the proc's code address whenever it changes.
  absl::flat_hash_map<std::string, std::vector<void **>> BoundSlots;
};

struct GlobalRecord {
  void *Storage = nullptr;
  size_t Size = 0, Align = 0;
  uint64_t Generation = 0;
  absl::flat_hash_set<std::string> Importers;
};

struct Handler {
  hcr_handler_kind Kind;
  hcr_handler_fn Fn;
};

struct Module {
  std::string Name;
  std::string Path; ///< Empty for the host, which is never reloaded.
  std::unique_ptr<ModuleCode> Code;
  uint64_t Generation = 0; ///< Reload that loaded the current code.
  std::vector<Handler> Handlers;
  absl::flat_hash_set<std::string> Procs, Globals; ///< Names it registers.
  std::vector<SymbolKey> ProcUses, GlobalUses;     ///< What its link looked up.
  std::vector<std::pair<SymbolKey, void **>> Bindings; ///< hcr_bind_proc's.
};

/// What a reload stages before it commits; discarded whole on failure.
struct ReloadTransaction {
  uint64_t Generation;
  /// New code per module being (re)loaded, and the new tree's post-order.
  absl::flat_hash_map<std::string, std::unique_ptr<ModuleCode>> NewCode;
  std::vector<std::string> Order;
  absl::flat_hash_set<std::string> InTree;
  /// The module whose entry point is running.
  std::string Current;
  /// Phase 1: registrations of the modules with new code.
  absl::flat_hash_map<SymbolKey, void *> ProcTargets;
  absl::flat_hash_map<SymbolKey, GlobalRecord> NewGlobals;
  absl::flat_hash_set<SymbolKey> KeptGlobals;
  absl::flat_hash_map<std::string, std::vector<Handler>> Handlers;
  /// Identity of each file this reload tried to load.
  absl::flat_hash_map<std::string, FileIdentity> Attempted;
  /// Phase 2: lookups per module.
  absl::flat_hash_map<std::string, std::vector<SymbolKey>> ProcUses, GlobalUses;
  absl::flat_hash_map<std::string, std::vector<std::pair<SymbolKey, void **>>>
      Bindings;
  std::vector<void *> Scratch;
  hcr_status Status = HCR_OK;
  std::string Error;

  void fail(hcr_status S, const std::string &Why);
};

class Runtime {
public:
  static Runtime &get();

  hcr_status init(const char *HostName, const hcr_module_entry_points *Host,
                  const char *ModuleDir, std::string &Err);
  void shutdown();
  /// Removes the private copies of the modules without unloading them.
  void shutdownFiles();
  void *registerProc(const char *Module, const char *Name, void *Fn,
                     std::string &Err);
  void *getProc(const char *Module, const char *Name, std::string &Err);
  void *bindProc(const char *Module, const char *Name, void **Slot,
                 std::string &Err);
  bool registerGlobal(const char *Module, const char *Name, size_t Size,
                      size_t Align, void **Slot, std::string &Err);
  void *getGlobal(const char *Module, const char *Name, std::string &Err);
  hcr_status addHandler(const char *Module, hcr_handler_kind Kind,
                        hcr_handler_fn Fn, std::string &Err);
  bool reloadNeeded();
  bool hasModuleChanged(const char *Module, std::string &Err);
  hcr_status performReload(std::string &Err);
  uint64_t generation();
  hcr_reload_stats lastStats();

  /// Reports a call through a dead trampoline and aborts.
  [[noreturn]] static void badCall(uint64_t Id);

private:
  Runtime();
  void trace(const std::string &Msg) const;
  std::string modulePath(const std::string &Name) const;
  bool fileChanged(const Module &M) const;

  // Reload steps (RuntimeReload.cpp).
  bool discover(ReloadTransaction &T, const std::string &Name,
                const std::string &ImportedBy);
  std::vector<std::string> treeOrder() const;
  void runHandlers(const std::vector<std::string> &Order,
                   hcr_handler_kind Kind);
  bool registerAndLink(ReloadTransaction &T);
  void checkDroppedSymbols(ReloadTransaction &T);
  void discard(ReloadTransaction &T);
  void commit(ReloadTransaction &T);
  void dropProc(const SymbolKey &Key);
  void dropGlobal(const SymbolKey &Key);
  void retire(std::unique_ptr<ModuleCode> Code, void *Storage);
  void releaseRetired(bool All);
  void forgetUses(Module &M);
  /// Stores Fn in every slot bound to the proc.
  static void patchBoundSlots(ProcRecord &P, void *Fn);
  hcr_status runTransaction(ReloadTransaction &T, bool RunHandlers,
                            std::string &Err);

  // Symbol registration outside and inside a transaction (RuntimeSymbols.cpp).
  ProcRecord *procRecord(const SymbolKey &Key, std::string &Err);
  bool visibleInTransaction(const std::string &Owner) const;
  static void *allocateGlobal(size_t Size, size_t Align);
  /// Records an error for the caller and, inside a reload, for the reload.
  void fail(std::string &Err, hcr_status S, const std::string &Why);

  std::recursive_mutex Lock;
  Knobs Config;
  JumpTable Jumps;
  std::vector<SymbolKey> TrampolineOwners; ///< By trampoline id.
  absl::flat_hash_map<SymbolKey, ProcRecord> Procs;
  absl::flat_hash_map<SymbolKey, GlobalRecord> Globals;
  absl::flat_hash_map<std::string, std::unique_ptr<Module>> Modules;
  /// Which module files may have changed; made by init.
  std::unique_ptr<ChangeMonitor> Changes;
  /// Builds that failed to load, so hcr_reload_needed does not repeat them.
  absl::flat_hash_map<std::string, FileIdentity> FailedBuilds;
  /// Replaced code and dropped storage, kept for UnloadDelay reloads so
  /// that threads still running old code finish safely.
  struct RetiredItem {
    uint64_t Generation;
    std::unique_ptr<ModuleCode> Code;
    void *Storage = nullptr;
  };
  std::deque<RetiredItem> Retired;
  /// Scratch storage handed out on conflicts outside a reload.
  std::vector<void *> Orphans;
  std::string Root, ModuleDir, CopyDir;
  uint64_t Generation = 0;
  uint64_t LoadCount = 0;
  bool Initialized = false;
  bool Reloading = false;
  ReloadTransaction *Txn = nullptr; ///< Set while phases 1 and 2 run.
  hcr_reload_stats LastStats = {};
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_RUNTIME_H
