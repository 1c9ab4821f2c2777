//===- ReloadTransaction.cpp - Staged changes, committed whole ------------===//

#include "ReloadTransaction.h"

#include <cstdlib>
#include <cstring>

namespace hcr {

ReloadTransaction::~ReloadTransaction() {
  if (!Done)
    discard();
}

void ReloadTransaction::fail(const Status &S) {
  if (!Failure.ok() || S.ok())
    return; // The first error explains the failure; later ones follow from it.
  Failure = inReload() && !Current.empty()
                ? S.withContext("module '" + Current + "'")
                : S;
}

Status ReloadTransaction::unresolved(const char *Kind, const SymbolKey &Key) {
  Status S(HCR_ERROR_UNRESOLVED_SYMBOL, "looks up " + describe(Kind, Key) +
                                            ", which no loaded module "
                                            "registers");
  fail(S);
  return S;
}

bool ReloadTransaction::visible(const std::string &Owner) const {
  // Symbols of modules whose code stays are visible; those of modules being
  // replaced only if the new code registered them (checked by the caller),
  // and those of modules leaving the tree not at all.
  if (!inReload())
    return true;
  if (NewCode.contains(Owner))
    return false;
  return InTree.contains(Owner) || !State.Modules.contains(Owner);
}

Status ReloadTransaction::stageProc(const SymbolKey &Key, void *Fn,
                                    void *&Entry) {
  Status S;
  ProcRecord *P = nullptr;
  if (inReload() && Key.first != Current)
    S = Status(HCR_ERROR_INVALID_ARGUMENT, "registers " +
                                               describe("proc", Key) +
                                               ", which it does not own");
  else if (ProcTargets.contains(Key))
    S = Status(HCR_ERROR_SYMBOL_CONFLICT,
               describe("proc", Key) + " is registered twice");
  else
    S = State.Symbols.procRecord(Key, State.Redirect, P);
  if (!S.ok()) {
    fail(S);
    return S;
  }
  ProcTargets[Key] = Fn;
  Entry = State.Redirect.entry(P->Trampoline);
  return S;
}

Status ReloadTransaction::stageGlobal(const SymbolKey &Key, size_t Size,
                                      size_t Align, const std::string &Layout,
                                      void **Slot, bool &IsNew) {
  IsNew = false;
  // On a conflict the caller still gets storage of the size it expects, so
  // the module's code cannot corrupt anything before the failure is handled.
  auto Refuse = [&](hcr_status Code, const std::string &Why) {
    Status S(Code, Why);
    fail(S);
    *Slot = SymbolTable::allocateGlobal(Size, Align);
    Scratch.push_back(*Slot);
    return S;
  };
  if (inReload() && Key.first != Current)
    return Refuse(HCR_ERROR_INVALID_ARGUMENT, "registers " +
                                                  describe("global", Key) +
                                                  ", which it does not own");
  if (NewGlobals.contains(Key) || KeptGlobals.contains(Key))
    return Refuse(HCR_ERROR_SYMBOL_CONFLICT,
                  describe("global", Key) + " is registered twice");

  if (GlobalRecord *Old = State.Symbols.findGlobal(Key)) {
    if (!Layout.empty() && !Old->Layout.empty() && Layout != Old->Layout) {
      // Its type changed: migrated by field name (LayoutMigration.h). A
      // rollback (NoLoads) takes the old layout back; its bytes are
      // restored whole.
      Relayout R;
      R.Migrate = !NoLoads;
      R.OldLayout = Old->Layout;
      if (auto Hook = Migrators.find(Key); Hook != Migrators.end())
        R.Hook = Hook->second;
      std::string Why;
      if (R.Migrate && !R.Hook &&
          !planMigration(Old->Layout, Layout, R.Plan, Why))
        return Refuse(HCR_ERROR_SYMBOL_CONFLICT,
                      describe("global", Key) +
                          " changed its type and cannot be migrated: " + Why +
                          "; the old code and its state go on (give the "
                          "global or the field a new name to start it "
                          "afresh, or restart the program)");
      R.Size = Size, R.Align = Align, R.Layout = Layout;
      R.Moves = Size > Old->Capacity ||
                reinterpret_cast<uintptr_t>(Old->Storage) % Align != 0;
      if (R.Moves) {
        // Modules that keep their code keep the old address: refuse.
        for (const std::string &User : Old->Importers)
          if (!NewCode.contains(User) && User != Key.first)
            return Refuse(HCR_ERROR_SYMBOL_CONFLICT,
                          describe("global", Key) +
                              " grew past its storage "
                              "and moves, but module '" +
                              User +
                              "', which is not reloaded, uses its address");
        R.Storage = SymbolTable::allocateGlobal(Size, Align, &R.Capacity);
        if (!R.Storage)
          return Refuse(HCR_ERROR_RESOURCE,
                        "out of memory for " + describe("global", Key));
      } else {
        R.Storage = Old->Storage;
        R.Capacity = Old->Capacity;
      }
      const char *Bytes = static_cast<const char *>(Old->Storage);
      R.OldBytes.assign(Bytes, Bytes + Old->Size);
      KeptGlobals.insert(Key);
      *Slot = R.Storage;
      IsNew = true; // The new code writes its initializer first.
      Relayouts[Key] = std::move(R);
      return Status::success();
    }
    if (Old->Size != Size || Old->Align != Align)
      return Refuse(HCR_ERROR_SYMBOL_CONFLICT,
                    describe("global", Key) + " was registered with size " +
                        std::to_string(Old->Size) + " and alignment " +
                        std::to_string(Old->Align) + ", now with size " +
                        std::to_string(Size) + " and alignment " +
                        std::to_string(Align) +
                        "; its state cannot be kept (rename the global or "
                        "restart the program)");
    KeptGlobals.insert(Key);
    *Slot = Old->Storage;
    return Status::success();
  }

  size_t Capacity = 0;
  void *Storage = SymbolTable::allocateGlobal(Size, Align, &Capacity);
  if (!Storage) {
    Status S(HCR_ERROR_RESOURCE,
             "out of memory for " + describe("global", Key));
    fail(S);
    *Slot = nullptr;
    return S;
  }
  GlobalRecord Record;
  Record.Storage = Storage;
  Record.Size = Size;
  Record.Align = Align;
  Record.Capacity = Capacity;
  Record.Layout = Layout;
  Record.Generation = Generation;
  NewGlobals[Key] = std::move(Record);
  *Slot = Storage;
  IsNew = true;
  return Status::success();
}

Status ReloadTransaction::checkSelf(const std::string &Module,
                                    const char *Does) {
  Status S;
  if (inReload() && Module != Current)
    S = Status(HCR_ERROR_INVALID_ARGUMENT, std::string(Does) + " module '" +
                                               Module +
                                               "', which is not itself");
  else if (!inReload() && !State.Modules.contains(Module))
    S = Status(HCR_ERROR_INVALID_ARGUMENT,
               "no module '" + Module + "' is loaded");
  if (!S.ok())
    fail(S);
  return S;
}

Status ReloadTransaction::stageHandler(const std::string &Module, Handler H) {
  Status S = checkSelf(Module, "adds a handler to");
  if (S.ok())
    Handlers[Module].push_back(H);
  return S;
}

Status ReloadTransaction::stageRetainCode(const std::string &Module) {
  Status S = checkSelf(Module, "retains the code of");
  if (S.ok())
    RetainCode.insert(Module);
  return S;
}

Status ReloadTransaction::stageMigrator(const SymbolKey &Key,
                                        hcr_migrate_fn Fn) {
  Status S;
  if (inReload() && Key.first != Current)
    S = Status(HCR_ERROR_INVALID_ARGUMENT, "sets the migration function of " +
                                               describe("global", Key) +
                                               ", which it does not own");
  else if (NewGlobals.contains(Key) || KeptGlobals.contains(Key))
    S = Status(HCR_ERROR_INVALID_ARGUMENT,
               "sets the migration function of " + describe("global", Key) +
                   " after registering it: set it before");
  if (!S.ok()) {
    fail(S);
    return S;
  }
  Migrators[Key] = Fn;
  return S;
}

Status ReloadTransaction::stageVisitor(const SymbolKey &Key, void (*Fn)(void)) {
  Status S;
  if (inReload() && Key.first != Current)
    S = Status(HCR_ERROR_INVALID_ARGUMENT, "sets the visitor of " +
                                               describe("global", Key) +
                                               ", which it does not own");
  else if (!NewGlobals.contains(Key) && !KeptGlobals.contains(Key) &&
           (inReload() || !State.Symbols.findGlobal(Key)))
    S = Status(HCR_ERROR_UNRESOLVED_SYMBOL, "sets the visitor of " +
                                                describe("global", Key) +
                                                ", which is not registered");
  if (!S.ok()) {
    fail(S);
    return S;
  }
  Visitors[Key] = Fn;
  return S;
}

Status ReloadTransaction::lookupProc(const SymbolKey &Key, void *&Entry) {
  ProcRecord *P = State.Symbols.findProc(Key);
  if (!P || !(ProcTargets.contains(Key) || (P->Live && visible(Key.first)))) {
    return unresolved("proc", Key);
  }
  ProcUses[Current].push_back(Key);
  Entry = State.Redirect.entry(P->Trampoline);
  return Status::success();
}

Status ReloadTransaction::lookupGlobal(const SymbolKey &Key, void *&Storage) {
  Storage = nullptr;
  if (auto New = NewGlobals.find(Key); New != NewGlobals.end())
    Storage = New->second.Storage;
  if (!Storage)
    if (GlobalRecord *G = State.Symbols.findGlobal(Key);
        G && (KeptGlobals.contains(Key) || visible(Key.first)))
      Storage = G->Storage;
  if (!Storage) {
    return unresolved("global", Key);
  }
  GlobalUses[Current].push_back(Key);
  return Status::success();
}

Status ReloadTransaction::bindProc(const SymbolKey &Key, void **Slot,
                                   void *&Fn) {
  void *Entry;
  if (Status S = lookupProc(Key, Entry); !S.ok())
    return S;
  auto Staged = ProcTargets.find(Key);
  Fn = Staged != ProcTargets.end()
           ? Staged->second
           : State.Redirect.target(State.Symbols.findProc(Key)->Trampoline);
  Redirections::store(Slot, Fn);
  Bindings[Current].emplace_back(Key, Slot);
  return Status::success();
}

void ReloadTransaction::checkDroppedSymbols() {
  // A module that keeps its old code keeps its old lookups: none of them may
  // be dropped, or it would call a dead stub or write freed memory.
  auto Check = [&](const HashSet<std::string> &Importers,
                   const std::string &Owner, const std::string &Name,
                   const char *What, bool Removed) {
    for (const std::string &User : Importers) {
      if (User == Owner || !InTree.contains(User) || NewCode.contains(User))
        continue;
      fail(Status(HCR_ERROR_UNRESOLVED_SYMBOL,
                  "module '" + User + "' uses " + What + " '" + Name +
                      "' of module '" + Owner + "', which " +
                      (Removed ? "is no longer imported by any module"
                               : "its new code no longer defines") +
                      "; rebuild '" + User + "' too"));
      return;
    }
  };
  for (auto &[Name, M] : State.Modules.modules()) {
    bool Removed = !InTree.contains(Name);
    if (!Removed && !NewCode.contains(Name))
      continue;
    for (const std::string &Proc : M->Procs) {
      SymbolKey Key(Name, Proc);
      if (Removed || !ProcTargets.contains(Key))
        Check(State.Symbols.procs()[Key].Importers, Name, Proc, "proc",
              Removed);
    }
    for (const std::string &Global : M->Globals) {
      SymbolKey Key(Name, Global);
      if (Removed || !KeptGlobals.contains(Key))
        Check(State.Symbols.globals()[Key].Importers, Name, Global, "global",
              Removed);
    }
  }
}

std::vector<ReloadTransaction::MigrationCall>
ReloadTransaction::migrateGlobals(const std::string &Module) {
  std::vector<MigrationCall> Calls;
  for (auto &[Key, R] : Relayouts) {
    if (Key.first != Module || !R.Migrate)
      continue;
    GlobalRecord *G = State.Symbols.findGlobal(Key);
    if (!G)
      continue;
    if (R.Hook) {
      State.Trace("migrate global '" + Key.first + "." + Key.second +
                  "' by its module's migration function" +
                  (R.Moves ? ", moved" : ", in place"));
      Calls.push_back({R.Hook, G->Storage, R.OldBytes.data(),
                       R.OldLayout.c_str(), R.OldBytes.size(), Key});
      continue;
    }
    applyMigration(R.Plan, R.OldBytes.data(), G->Storage);
    State.Trace("migrate global '" + Key.first + "." + Key.second +
                "': " + std::to_string(R.Plan.Kept) + " fields kept, " +
                std::to_string(R.Plan.Added) + " added, " +
                std::to_string(R.Plan.Dropped) + " dropped" +
                (R.Moves ? ", moved" : ", in place"));
  }
  return Calls;
}

void ReloadTransaction::discard() {
  Done = true;
  for (auto &[Key, G] : NewGlobals)
    std::free(G.Storage);
  NewGlobals.clear();
  for (auto &[Key, R] : Relayouts)
    if (R.Moves)
      std::free(R.Storage);
  Relayouts.clear();
  Migrators.clear();
  // Scratch of a reload belongs to code being unloaded; outside one the
  // caller keeps using it.
  for (void *Mem : Scratch)
    if (inReload())
      std::free(Mem);
    else
      State.Orphans.push_back(Mem);
  Scratch.clear();
  NewCode.clear(); // Unloads the new copies; old code was never touched.
}

void ReloadTransaction::dropProc(const SymbolKey &Key) {
  ProcRecord &P = State.Symbols.procs()[Key];
  State.Trace("drop proc '" + Key.first + "." + Key.second + "'");
  P.Live = false;
  // checkDroppedSymbols leaves no kept importer; should one remain, it
  // reaches the bad-call stub, never unloaded code.
  State.Redirect.kill(P.Trampoline);
}

void ReloadTransaction::dropGlobal(const SymbolKey &Key) {
  State.Trace("drop global '" + Key.first + "." + Key.second + "'");
  if (GlobalRecord *G = State.Symbols.findGlobal(Key))
    State.Modules.retireGlobal(Key, Generation, std::move(*G));
  State.Symbols.removeGlobal(Key);
}

void ReloadTransaction::forgetUses(Module &M) {
  for (const SymbolKey &Key : M.ProcUses)
    if (ProcRecord *P = State.Symbols.findProc(Key))
      P->Importers.erase(M.Name);
  for (const SymbolKey &Key : M.GlobalUses)
    if (GlobalRecord *G = State.Symbols.findGlobal(Key))
      G->Importers.erase(M.Name);
  for (const auto &[Key, Slot] : M.Bindings)
    if (ProcRecord *P = State.Symbols.findProc(Key))
      State.Redirect.forgetBindings(P->Trampoline, M.Name);
  M.ProcUses.clear();
  M.GlobalUses.clear();
  M.Bindings.clear();
}

void ReloadTransaction::replaceOldCode() {
  // Old code of replaced and removed modules: drop what it alone defined.
  std::vector<std::string> Removed;
  for (auto &[Name, M] : State.Modules.modules()) {
    bool IsRemoved = !InTree.contains(Name);
    if (!IsRemoved && !NewCode.contains(Name))
      continue;
    forgetUses(*M);
    for (const std::string &Proc : M->Procs)
      if (IsRemoved || !ProcTargets.contains(SymbolKey(Name, Proc)))
        dropProc(SymbolKey(Name, Proc));
    for (const std::string &Global : M->Globals)
      if (IsRemoved || !KeptGlobals.contains(SymbolKey(Name, Global)))
        dropGlobal(SymbolKey(Name, Global));
    M->Procs.clear();
    M->Globals.clear();
    if (M->RetainsReplacedCode)
      State.Modules.retain(Name, Generation, std::move(M->Code));
    else
      State.Modules.retireCode(Name, Generation, std::move(M->Code));
    if (IsRemoved) {
      State.Trace("unload '" + Name + "'");
      Removed.push_back(Name);
    }
  }
  for (const std::string &Name : Removed)
    State.Modules.erase(Name);
}

void ReloadTransaction::installNewCode() {
  for (auto &[Name, Code] : NewCode) {
    Module &M = State.Modules.getOrCreate(Name);
    if (auto Path = NewPaths.find(Name); Path != NewPaths.end())
      M.Path = Path->second;
    M.Code = std::move(Code);
    M.Generation = Generation;
    // New code registers its handlers again; they replace the old code's.
    M.Handlers = std::move(Handlers[Name]);
    Handlers.erase(Name);
    M.ProcUses = std::move(ProcUses[Name]);
    M.GlobalUses = std::move(GlobalUses[Name]);
    M.Bindings = std::move(Bindings[Name]);
    M.RetainsReplacedCode = RetainCode.contains(Name);
    Installed.push_back(Name);
  }
  NewCode.clear();
}

void ReloadTransaction::commit() {
  Done = true;
  if (inReload())
    replaceOldCode();
  installNewCode();

  // What was registered, in the symbol table and its modules.
  auto Owner = [&](const SymbolKey &Key) {
    return State.Modules.find(Key.first);
  };
  for (auto &[Key, Fn] : ProcTargets)
    if (Module *M = Owner(Key))
      M->Procs.insert(Key.second);
  for (const SymbolKey &Key : KeptGlobals) {
    GlobalRecord &G = State.Symbols.globals()[Key];
    // The visitor was the old code's; the new code's, if any, follows.
    G.Visitor = nullptr;
    G.Generation = Generation;
    if (Module *M = Owner(Key))
      M->Globals.insert(Key.second);
    auto R = Relayouts.find(Key);
    if (R == Relayouts.end())
      continue;
    if (R->second.Moves) {
      GlobalRecord Old = G;
      Old.Importers.clear();
      State.Modules.retireGlobal(Key, Generation, std::move(Old));
    }
    G.Storage = R->second.Storage;
    G.Size = R->second.Size;
    G.Align = R->second.Align;
    G.Capacity = R->second.Capacity;
    G.Layout = R->second.Layout;
    // Zero, as a new global's storage, for the initializer to fill.
    std::memset(G.Storage, 0, G.Capacity);
  }
  for (auto &[Key, G] : NewGlobals) {
    G.Generation = Generation;
    if (Module *M = Owner(Key))
      M->Globals.insert(Key.second);
    State.Symbols.addGlobal(Key, std::move(G));
  }
  NewGlobals.clear();
  for (auto &[Key, Fn] : Visitors)
    if (GlobalRecord *G = State.Symbols.findGlobal(Key))
      G->Visitor = Fn;
  Visitors.clear();
  Migrators.clear();
  // Asked outside a reload, for code already loaded.
  if (!inReload())
    for (const std::string &Name : RetainCode)
      if (Module *M = State.Modules.find(Name))
        M->RetainsReplacedCode = true;
  // Handlers added to modules whose code stays.
  for (auto &[Name, List] : Handlers)
    if (Module *M = State.Modules.find(Name))
      M->Handlers.insert(M->Handlers.end(), List.begin(), List.end());

  // What the new code looked up and bound.
  for (const std::string &Name : Installed) {
    Module &M = *State.Modules.find(Name);
    for (const SymbolKey &Key : M.ProcUses)
      State.Symbols.procs()[Key].Importers.insert(Name);
    for (const SymbolKey &Key : M.GlobalUses)
      State.Symbols.globals()[Key].Importers.insert(Name);
    for (const auto &[Key, Slot] : M.Bindings)
      State.Redirect.addBinding(State.Symbols.procs()[Key].Trampoline, Name,
                                Slot);
  }

  // Last, calls go to the new code: trampolines and bound slots alike.
  for (auto &[Key, Fn] : ProcTargets) {
    ProcRecord &P = State.Symbols.procs()[Key];
    P.Live = true;
    P.Generation = Generation;
    State.Redirect.redirect(P.Trampoline, Fn);
  }
}

} // namespace hcr
