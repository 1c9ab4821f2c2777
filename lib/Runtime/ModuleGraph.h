//===- ModuleGraph.h - Loaded modules and their import tree -----*- C++ -*-===//
//
// The modules whose code is installed, the host at the root of their import
// tree, and each module's handlers and what its code registered and looked
// up. Code that a reload replaced retires here, with the storage of dropped
// globals, and is unloaded once no thread runs in it or will return into it
// (StackScan.h): frames running old code finish in it safely.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_MODULEGRAPH_H
#define HCR_LIB_RUNTIME_MODULEGRAPH_H

#include "ModuleCode.h"
#include "SymbolTable.h"
#include "hcr/hcr.h"

#include "Containers.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace hcr {

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
  HashSet<std::string> Procs, Globals;         ///< Names it registers.
  std::vector<SymbolKey> ProcUses, GlobalUses; ///< What its link looked up.
  std::vector<std::pair<SymbolKey, void **>> Bindings; ///< hcr_bind_proc's.
  bool RetainsReplacedCode = false; ///< hcr_retain_replaced_code.
};

class ModuleGraph {
public:
  Module *find(const std::string &Name);
  bool contains(const std::string &Name) const {
    return Modules.contains(Name);
  }
  /// The module, created (empty) if it is not loaded yet.
  Module &getOrCreate(const std::string &Name);
  void erase(const std::string &Name) { Modules.erase(Name); }
  size_t size() const { return Modules.size(); }
  HashMap<std::string, std::unique_ptr<Module>> &modules() { return Modules; }

  const std::string &root() const { return Root; }
  void setRoot(std::string Name) { Root = std::move(Name); }

  /// The installed tree from the root, imports before importers.
  std::vector<std::string> postOrder() const;
  /// Calls one handler of a module; false stops the walk.
  using HandlerCall =
      std::function<bool(hcr_handler_fn Fn, const std::string &Module)>;
  /// Runs the handlers of Kind of each module in Order, through Call if
  /// given (a guarded call); false if a call stopped the walk.
  bool runHandlers(const std::vector<std::string> &Order, hcr_handler_kind Kind,
                   const HandlerCall &Call = nullptr);

  /// Keeps code of module Name that reload Generation replaced until no
  /// thread needs it.
  void retireCode(const std::string &Name, uint64_t Generation,
                  std::unique_ptr<ModuleCode> Code);
  /// Keeps a global that reload Generation dropped until no code that may
  /// use it is loaded.
  void retireGlobal(const SymbolKey &Key, uint64_t Generation,
                    GlobalRecord Record);
  /// What reload Generation retired, taken back to undo it.
  struct Reclaimed {
    HashMap<std::string, std::unique_ptr<ModuleCode>> Code;
    std::vector<std::pair<SymbolKey, GlobalRecord>> Globals;
  };
  Reclaimed reclaim(uint64_t Generation);
  /// Nothing that reload Generation retired is released (it may be rolled
  /// back); 0 for none.
  void holdGeneration(uint64_t Generation) { Held = Generation; }
  /// Keeps code of module Name that reload Generation replaced loaded until
  /// shutdown (hcr_retain_replaced_code).
  void retain(const std::string &Name, uint64_t Generation,
              std::unique_ptr<ModuleCode> Code) {
    Retained.push_back(RetainedItem{Name, Generation, std::move(Code)});
  }
  /// What stays after releaseUnused.
  struct StillRunning {
    unsigned Versions = 0; ///< Retired copies some thread still needs.
    std::string Which;     ///< Those copies, named for a report.
    std::string Unscanned; ///< Threads that could not be scanned (why).
    unsigned ThreadsScanned = 0;
  };
  /// Unloads the retired code that no thread runs in or returns into
  /// (scanStacks from StackFrom, with Signal and ReadWholeMap), and the
  /// dropped storage that only unloaded code could reach. The code of the
  /// held generation that no thread runs in is put to sleep instead.
  StillRunning releaseUnused(const void *StackFrom, int Signal,
                             bool ReadWholeMap);
  /// The code of every loaded copy (current, retired, retained), and the
  /// module of each range.
  std::vector<std::pair<CodeRange, std::string>> allCode() const;
  /// Retired copies still loaded (not asleep).
  unsigned retiredVersions() const;
  /// A retired or retained copy: its module, the reload that replaced it,
  /// its file, and whether it sleeps (kept for a rollback, not loaded).
  struct RetiredCopy {
    std::string Module;
    uint64_t Replaced;
    std::string Copy;
    bool Asleep;
  };
  /// Each retired copy kept (for a debugger's report).
  std::vector<RetiredCopy> retiredCopies() const;
  /// Unloads all retired code (shutdown).
  void releaseAll();
  /// Removes the private copies of current and retired code, unloading
  /// nothing (process exit).
  void removeCopies();
  /// Unloads every module (shutdown).
  void clear();

private:
  HashMap<std::string, std::unique_ptr<Module>> Modules;
  std::string Root;
  struct RetainedItem {
    std::string Name;
    uint64_t Generation;
    std::unique_ptr<ModuleCode> Code;
  };
  std::vector<RetainedItem> Retained;
  struct RetiredItem {
    std::string Name; ///< The module.
    uint64_t Generation;
    std::unique_ptr<ModuleCode> Code; ///< Or a global:
    SymbolKey GlobalKey;
    GlobalRecord Global;
  };
  uint64_t Held = 0;
  std::deque<RetiredItem> Retired;
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_MODULEGRAPH_H
