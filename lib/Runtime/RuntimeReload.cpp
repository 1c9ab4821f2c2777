//===- RuntimeReload.cpp - The all-or-nothing reload transaction
//-----------===//
//
// A reload runs in steps (docs/Runtime.md):
//   1. discover: walk the import tree from the host, loading a private copy
//      of every changed or new module; any failure ends the reload here,
//      before any handler or registration ran.
//   2. before-reload handlers of the old tree, leaves first.
//   3. register then link every module with new code; registrations are
//      staged, so a failure (conflict, unresolved lookup) is undone whole,
//      after which the old code's after-reload handlers run again.
//   4. commit: retarget trampolines, keep or drop symbols, swap the code.
//   5. init the modules with new code, then after-reload handlers of the new
//      tree, leaves first; replaced code is unloaded UnloadDelay reloads later.
//
//===----------------------------------------------------------------------===//

#include "Runtime.h"

#include <chrono>
#include <cstdlib>

namespace hcr {

bool Runtime::discover(ReloadTransaction &T, const std::string &Name,
                       const std::string &ImportedBy) {
  if (!T.InTree.insert(Name).second)
    return true;
  std::vector<std::string> Imports;
  auto New = T.NewCode.find(Name);
  auto Old = Modules.find(Name);
  if (New != T.NewCode.end()) {
    Imports = New->second->imports(); // The host, at start-up.
  } else if (Old != Modules.end() && !fileChanged(*Old->second)) {
    Imports = Old->second->Code->imports();
  } else {
    std::string Path = modulePath(Name);
    T.Attempted[Name] = FileIdentity::of(Path);
    std::string Copy =
        CopyDir + "/" + Name + "." + std::to_string(++LoadCount) + ".so";
    std::string Why;
    hcr_status Kind;
    std::unique_ptr<ModuleCode> Code = ModuleCode::load(Path, Copy, Kind, Why);
    if (!Code) {
      T.fail(Kind, "module '" + Name + "' (imported by '" + ImportedBy +
                       "'): " + Why);
      return false;
    }
    trace((Old == Modules.end() ? "load '" : "reload '") + Name + "' from '" +
          Path + "' as '" + Copy + "'");
    Imports = Code->imports();
    T.NewCode[Name] = std::move(Code);
  }
  for (const std::string &Import : Imports)
    if (!discover(T, Import, Name))
      return false;
  T.Order.push_back(Name);
  return true;
}

std::vector<std::string> Runtime::treeOrder() const {
  std::vector<std::string> Order;
  absl::flat_hash_set<std::string> Seen;
  // Iterative depth-first post-order: import chains may be long.
  std::vector<std::pair<const Module *, size_t>> Stack;
  auto Push = [&](const std::string &Name) {
    auto It = Modules.find(Name);
    if (It != Modules.end() && Seen.insert(Name).second)
      Stack.emplace_back(It->second.get(), 0);
  };
  Push(Root);
  while (!Stack.empty()) {
    auto &[M, Next] = Stack.back();
    const std::vector<std::string> &Imports = M->Code->imports();
    if (Next < Imports.size()) {
      Push(Imports[Next++]);
      continue;
    }
    Order.push_back(M->Name);
    Stack.pop_back();
  }
  return Order;
}

void Runtime::runHandlers(const std::vector<std::string> &Order,
                          hcr_handler_kind Kind) {
  for (const std::string &Name : Order) {
    auto It = Modules.find(Name);
    if (It == Modules.end())
      continue;
    // A handler may add handlers; run the ones present when we started.
    std::vector<Handler> Handlers = It->second->Handlers;
    for (const Handler &H : Handlers)
      if (H.Kind == Kind)
        H.Fn();
  }
}

bool Runtime::registerAndLink(ReloadTransaction &T) {
  Txn = &T;
  for (const std::string &Name : T.Order) {
    auto It = T.NewCode.find(Name);
    if (It == T.NewCode.end())
      continue;
    T.Current = Name;
    T.Handlers[Name];
    It->second->entries().register_symbols();
    if (T.Status != HCR_OK)
      break;
  }
  for (const std::string &Name : T.Order) {
    auto It = T.NewCode.find(Name);
    if (T.Status != HCR_OK || It == T.NewCode.end())
      continue;
    T.Current = Name;
    T.ProcUses[Name];
    T.GlobalUses[Name];
    It->second->entries().link();
  }
  T.Current.clear();
  Txn = nullptr;
  return T.Status == HCR_OK;
}

void Runtime::checkDroppedSymbols(ReloadTransaction &T) {
  // A module that keeps its old code keeps its old lookups: none of them may
  // be dropped, or it would call a dead stub or write freed memory.
  auto Check = [&](const absl::flat_hash_set<std::string> &Importers,
                   const std::string &Owner, const std::string &Name,
                   const char *What, bool Removed) {
    for (const std::string &User : Importers) {
      if (User == Owner || !T.InTree.contains(User) || T.NewCode.contains(User))
        continue;
      T.fail(HCR_ERROR_UNRESOLVED_SYMBOL,
             "module '" + User + "' uses " + What + " '" + Name +
                 "' of module '" + Owner + "', which " +
                 (Removed ? "is no longer imported by any module"
                          : "its new code no longer defines") +
                 "; rebuild '" + User + "' too");
      return;
    }
  };
  for (auto &[Name, M] : Modules) {
    bool Removed = !T.InTree.contains(Name);
    if (!Removed && !T.NewCode.contains(Name))
      continue;
    for (const std::string &Proc : M->Procs) {
      SymbolKey Key(Name, Proc);
      if (Removed || !T.ProcTargets.contains(Key))
        Check(Procs[Key].Importers, Name, Proc, "proc", Removed);
    }
    for (const std::string &Global : M->Globals) {
      SymbolKey Key(Name, Global);
      if (Removed || !T.KeptGlobals.contains(Key))
        Check(Globals[Key].Importers, Name, Global, "global", Removed);
    }
  }
}

void Runtime::discard(ReloadTransaction &T) {
  for (auto &[Key, G] : T.NewGlobals)
    std::free(G.Storage);
  for (void *Mem : T.Scratch)
    std::free(Mem);
  T.NewGlobals.clear();
  T.Scratch.clear();
  T.NewCode.clear(); // Unloads the new copies; old code was never touched.
  for (auto &[Name, Id] : T.Attempted)
    FailedBuilds[Name] = Id;
}

void Runtime::retire(std::unique_ptr<ModuleCode> Code, void *Storage) {
  Retired.push_back(RetiredItem{Generation, std::move(Code), Storage});
}

void Runtime::releaseRetired(bool All) {
  while (
      !Retired.empty() &&
      (All || Retired.front().Generation + Config.UnloadDelay <= Generation)) {
    std::free(Retired.front().Storage);
    Retired.pop_front();
  }
}

void Runtime::patchBoundSlots(ProcRecord &P, void *Fn) {
  // Other threads call through these slots: one aligned store each.
  for (auto &[Importer, Slots] : P.BoundSlots)
    for (void **Slot : Slots)
      __atomic_store_n(Slot, Fn, __ATOMIC_RELEASE);
}

void Runtime::dropProc(const SymbolKey &Key) {
  ProcRecord &P = Procs[Key];
  trace("drop proc '" + Key.first + "." + Key.second + "'");
  P.Live = false;
  Jumps.kill(P.Trampoline);
  // checkDroppedSymbols leaves no kept importer; should one remain, it
  // reaches the bad-call stub, never unloaded code.
  patchBoundSlots(P, Jumps.target(P.Trampoline));
}

void Runtime::dropGlobal(const SymbolKey &Key) {
  auto It = Globals.find(Key);
  trace("drop global '" + Key.first + "." + Key.second + "'");
  retire(nullptr, It->second.Storage);
  Globals.erase(It);
}

void Runtime::forgetUses(Module &M) {
  for (const SymbolKey &Key : M.ProcUses)
    if (auto It = Procs.find(Key); It != Procs.end())
      It->second.Importers.erase(M.Name);
  for (const SymbolKey &Key : M.GlobalUses)
    if (auto It = Globals.find(Key); It != Globals.end())
      It->second.Importers.erase(M.Name);
  for (const auto &[Key, Slot] : M.Bindings)
    if (auto It = Procs.find(Key); It != Procs.end())
      It->second.BoundSlots.erase(M.Name);
  M.ProcUses.clear();
  M.GlobalUses.clear();
  M.Bindings.clear();
}

void Runtime::commit(ReloadTransaction &T) {
  Generation = T.Generation;
  for (auto &[Key, Fn] : T.ProcTargets) {
    ProcRecord &P = Procs[Key];
    P.Live = true;
    P.Generation = Generation;
    Jumps.retarget(P.Trampoline, Fn);
  }
  for (const SymbolKey &Key : T.KeptGlobals)
    Globals[Key].Generation = Generation;

  // Old code of replaced and removed modules: drop what it alone defined.
  std::vector<std::string> Removed;
  for (auto &[Name, M] : Modules) {
    bool IsRemoved = !T.InTree.contains(Name);
    if (!IsRemoved && !T.NewCode.contains(Name))
      continue;
    forgetUses(*M);
    for (const std::string &Proc : M->Procs)
      if (IsRemoved || !T.ProcTargets.contains(SymbolKey(Name, Proc)))
        dropProc(SymbolKey(Name, Proc));
    for (const std::string &Global : M->Globals)
      if (IsRemoved || !T.KeptGlobals.contains(SymbolKey(Name, Global)))
        dropGlobal(SymbolKey(Name, Global));
    M->Procs.clear();
    M->Globals.clear();
    retire(std::move(M->Code), nullptr);
    if (IsRemoved) {
      trace("unload '" + Name + "'");
      Removed.push_back(Name);
    }
  }
  for (const std::string &Name : Removed)
    Modules.erase(Name);

  // New code: install it with what it registered and looked up.
  for (auto &[Name, Code] : T.NewCode) {
    std::unique_ptr<Module> &Slot = Modules[Name];
    if (!Slot) {
      Slot = std::make_unique<Module>();
      Slot->Name = Name;
      if (Name != Root)
        Slot->Path = modulePath(Name);
    }
    Slot->Code = std::move(Code);
    Slot->Generation = Generation;
    if (!Slot->Path.empty())
      Changes->watch(Name, Slot->Path);
    Slot->Handlers = std::move(T.Handlers[Name]);
    Slot->ProcUses = std::move(T.ProcUses[Name]);
    Slot->GlobalUses = std::move(T.GlobalUses[Name]);
    Slot->Bindings = std::move(T.Bindings[Name]);
    FailedBuilds.erase(Name);
  }
  for (auto &[Key, Fn] : T.ProcTargets)
    Modules[Key.first]->Procs.insert(Key.second);
  for (const SymbolKey &Key : T.KeptGlobals)
    Modules[Key.first]->Globals.insert(Key.second);
  for (auto &[Key, G] : T.NewGlobals) {
    G.Generation = Generation;
    Modules[Key.first]->Globals.insert(Key.second);
    Globals[Key] = std::move(G);
  }
  T.NewGlobals.clear();
  for (auto &[Name, Code] : T.NewCode) {
    Module &M = *Modules[Name];
    for (const SymbolKey &Key : M.ProcUses)
      Procs[Key].Importers.insert(Name);
    for (const SymbolKey &Key : M.GlobalUses)
      Globals[Key].Importers.insert(Name);
    for (const auto &[Key, Bound] : M.Bindings)
      Procs[Key].BoundSlots[Name].push_back(Bound);
  }
  // Slot patching: the kept modules' slots follow their procs' new code
  // (the new modules' slots got it at their link).
  for (auto &[Key, Fn] : T.ProcTargets)
    patchBoundSlots(Procs[Key], Fn);
}

hcr_status Runtime::runTransaction(ReloadTransaction &T, bool RunHandlers,
                                   std::string &Err) {
  Reloading = true;
  struct ResetFlag {
    bool &Flag;
    ~ResetFlag() { Flag = false; }
  } Reset{Reloading};
  // Timings of each step, published only if the reload succeeds.
  using Clock = std::chrono::steady_clock;
  Clock::time_point Start = Clock::now(), Mark = Start;
  auto Lap = [&](double &Into) {
    Clock::time_point Now = Clock::now();
    Into += std::chrono::duration<double, std::milli>(Now - Mark).count();
    Mark = Now;
  };
  hcr_reload_stats Stats = {};

  bool Found = discover(T, Root, Root);
  Lap(Stats.discover_ms);
  if (!Found) {
    discard(T);
    Err = T.Error;
    return T.Status;
  }
  if (T.NewCode.empty())
    return HCR_OK; // Nothing changed: no handler runs.
  for (const auto &[Name, Code] : T.NewCode) {
    Stats.copy_ms += Code->copyMs();
    Stats.dlopen_ms += Code->dlopenMs();
    Stats.modules_loaded += !Code->copyPath().empty();
  }

  std::vector<std::string> OldOrder = treeOrder();
  if (RunHandlers)
    runHandlers(OldOrder, HCR_BEFORE_RELOAD);
  Lap(Stats.handlers_ms);
  if (registerAndLink(T))
    checkDroppedSymbols(T);
  Lap(Stats.register_ms);
  if (T.Status != HCR_OK) {
    discard(T);
    if (RunHandlers) // The old code resumes as after a reload.
      runHandlers(OldOrder, HCR_AFTER_RELOAD);
    Err = T.Error;
    return T.Status;
  }
  Stats.procs_registered = T.ProcTargets.size();
  Stats.globals_registered = T.NewGlobals.size() + T.KeptGlobals.size();

  std::vector<std::string> Initialize;
  for (const std::string &Name : T.Order)
    if (T.NewCode.contains(Name))
      Initialize.push_back(Name);
  commit(T);
  Lap(Stats.commit_ms);
  for (const std::string &Name : Initialize) {
    trace("init '" + Name + "'");
    Modules[Name]->Code->entries().init();
  }
  Lap(Stats.init_ms);
  if (RunHandlers)
    runHandlers(treeOrder(), HCR_AFTER_RELOAD);
  Lap(Stats.handlers_ms);
  releaseRetired(/*All=*/false);
  Lap(Stats.cleanup_ms);
  Stats.generation = Generation;
  Stats.modules_in_tree = Modules.size();
  Stats.total_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - Start).count();
  LastStats = Stats;
  return HCR_OK;
}

hcr_status Runtime::performReload(std::string &Err) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (!Initialized) {
    Err = "hcr_perform_reload: the runtime is not initialized (call hcr_init)";
    return HCR_ERROR_NOT_INITIALIZED;
  }
  if (Reloading) {
    Err = "hcr_perform_reload: called during a reload (from a handler or an "
          "entry point)";
    return HCR_ERROR_BUSY;
  }
  ReloadTransaction T;
  T.Generation = Generation + 1;
  Changes->poll();
  hcr_status S = runTransaction(T, /*RunHandlers=*/true, Err);
  if (S != HCR_OK) {
    Err = "reload failed, the old code keeps running: " + Err;
    trace(Err);
  } else if (Generation == T.Generation) {
    trace("reload " + std::to_string(Generation) + " done");
  }
  return S;
}

} // namespace hcr
