//===- ReloadTransaction.h - Staged changes, committed whole ----*- C++ -*-===//
//
// The runtime's only write path. Every change to procs, globals, handlers
// and modules is staged in a transaction and becomes visible at commit(), or
// not at all (discard()):
//   - a reload (Scope::Reload) stages the new code of every changed module
//     and everything those modules register and look up; a failure anywhere
//     discards it whole and the old code keeps running;
//   - a registration outside a reload (the host calling hcr_register_proc,
//     hcr_register_global or hcr_add_reload_handler itself) is a
//     transaction of one registration (Scope::Registration), staged and
//     committed through the same code.
// hcr_init's start is a reload of the tree from the host.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_RELOADTRANSACTION_H
#define HCR_LIB_RUNTIME_RELOADTRANSACTION_H

#include "LayoutMigration.h"
#include "ModuleCode.h"
#include "ModuleGraph.h"
#include "Redirections.h"
#include "Status.h"
#include "SymbolTable.h"

#include "Containers.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace hcr {

/// What a transaction changes: the state it stages into and commits to.
struct RuntimeState {
  SymbolTable &Symbols;
  ModuleGraph &Modules;
  Redirections &Redirect;
  /// Scratch storage handed out on conflicts outside a reload, kept until
  /// shutdown since the caller goes on using it.
  std::vector<void *> &Orphans;
  std::function<void(const std::string &)> Trace;
};

class ReloadTransaction {
public:
  enum class Scope { Reload, Registration };

  ReloadTransaction(Scope S, uint64_t Generation, RuntimeState State)
      : TheScope(S), Generation(Generation), State(std::move(State)) {}
  ~ReloadTransaction();
  ReloadTransaction(const ReloadTransaction &) = delete;
  ReloadTransaction &operator=(const ReloadTransaction &) = delete;

  // Staging, called by the runtime for each C API call. In a reload,
  // Current names the module whose entry point is running; a failure also
  // fails the transaction (fail()).

  /// hcr_register_proc: Entry gets the proc's trampoline.
  Status stageProc(const SymbolKey &Key, void *Fn, void *&Entry);
  /// hcr_register_global(_layout): *Slot gets storage; IsNew if it is new
  /// or migrated to a new Layout (empty: none given).
  Status stageGlobal(const SymbolKey &Key, size_t Size, size_t Align,
                     const std::string &Layout, void **Slot, bool &IsNew);
  /// A migration the module's code does itself (hcr_set_global_migrator).
  struct MigrationCall {
    hcr_migrate_fn Fn;
    void *Now;
    const void *Before;
    const char *BeforeLayout;
    size_t BeforeSize;
    SymbolKey Key;
  };
  /// Migrates the globals of Module whose layout changed, once its new code
  /// wrote their initializers (after its init entry point), by hcr's rules;
  /// returns the calls of the module's own migration functions, which the
  /// caller makes (guarded: they are new code). Before points into the
  /// transaction, valid until it ends.
  std::vector<MigrationCall> migrateGlobals(const std::string &Module);
  /// hcr_add_reload_handler.
  Status stageHandler(const std::string &Module, Handler H);
  /// hcr_retain_replaced_code.
  Status stageRetainCode(const std::string &Module);
  /// hcr_set_global_visitor.
  Status stageVisitor(const SymbolKey &Key, void (*Fn)(void));
  /// Before the global's registration: its migration function.
  Status stageMigrator(const SymbolKey &Key, hcr_migrate_fn Fn);
  /// hcr_get_proc in a module's link, recorded as a use.
  Status lookupProc(const SymbolKey &Key, void *&Entry);
  /// hcr_get_global in a module's link, recorded as a use.
  Status lookupGlobal(const SymbolKey &Key, void *&Storage);
  /// hcr_bind_proc in a module's link: stores the code address in *Slot.
  Status bindProc(const SymbolKey &Key, void **Slot, void *&Fn);

  /// Fails the transaction; the first failure is kept, explained by the
  /// module that caused it.
  void fail(const Status &S);
  /// Fails the transaction: a lookup of a Kind that no module registers.
  Status unresolved(const char *Kind, const SymbolKey &Key);
  const Status &status() const { return Failure; }
  bool failed() const { return !Failure.ok(); }

  /// Checks that no module that keeps its code loses a symbol it uses.
  void checkDroppedSymbols();
  /// Makes every staged change visible: retargets trampolines, keeps or
  /// drops symbols, swaps and retires code.
  void commit();
  /// Drops every staged change; new code is unloaded.
  void discard();
  /// The modules whose new code the commit installed.
  const std::vector<std::string> &installed() const { return Installed; }

  // The reload's plan, filled by the runtime's discovery.
  const Scope TheScope;
  const uint64_t Generation;
  /// New code per module being (re)loaded, its file, and the new tree's
  /// post-order.
  HashMap<std::string, std::unique_ptr<ModuleCode>> NewCode;
  HashMap<std::string, std::string> NewPaths;
  std::vector<std::string> Order;
  HashSet<std::string> InTree;
  /// The module whose entry point is running.
  std::string Current;
  /// Set for a rollback: no module is loaded from its file.
  bool NoLoads = false;
  /// Identity of each file this reload tried to load.
  HashMap<std::string, FileIdentity> Attempted;

  // What the commit applies.
  HashMap<SymbolKey, void *> ProcTargets;
  HashMap<SymbolKey, GlobalRecord> NewGlobals;
  HashSet<SymbolKey> KeptGlobals;
  /// Kept globals whose layout changes (a subset of KeptGlobals).
  struct Relayout {
    MigrationPlan Plan;
    std::vector<char> OldBytes; ///< Copied at registration.
    void *Storage;              ///< The old storage, or new if it moves.
    size_t Size, Align, Capacity;
    std::string Layout;
    bool Moves;   ///< Storage is new: the old one is retired.
    bool Migrate; ///< False in a rollback: its bytes are restored whole.
    hcr_migrate_fn Hook = nullptr; ///< The module's own, instead of Plan.
    std::string OldLayout;
  };
  HashMap<SymbolKey, Relayout> Relayouts;
  HashMap<std::string, std::vector<Handler>> Handlers;
  HashMap<SymbolKey, void (*)(void)> Visitors;
  HashMap<SymbolKey, hcr_migrate_fn> Migrators;
  HashSet<std::string> RetainCode;
  HashMap<std::string, std::vector<SymbolKey>> ProcUses, GlobalUses;
  HashMap<std::string, std::vector<std::pair<SymbolKey, void **>>> Bindings;

private:
  bool inReload() const { return TheScope == Scope::Reload; }
  /// In a reload, only the module whose entry point runs may change itself;
  /// outside one, the module must be loaded. Fails the transaction if not.
  Status checkSelf(const std::string &Module, const char *Does);
  /// Whether a symbol of Owner that the new code did not register is
  /// visible to the reload's lookups.
  bool visible(const std::string &Owner) const;
  void dropProc(const SymbolKey &Key);
  void dropGlobal(const SymbolKey &Key);
  void forgetUses(Module &M);
  void replaceOldCode();
  void installNewCode();

  RuntimeState State;
  std::vector<void *> Scratch; ///< Given out on conflicts.
  std::vector<std::string> Installed;
  Status Failure;
  bool Done = false;
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_RELOADTRANSACTION_H
