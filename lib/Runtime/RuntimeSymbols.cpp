//===- RuntimeSymbols.cpp - Procs, globals and handlers
//--------------------===//
//
// Outside a reload a registration takes effect at once. Inside one (phases 1
// and 2 of a transaction) it is staged in the ReloadTransaction and only the
// commit makes it visible, so a failed reload leaves nothing behind.
//
//===----------------------------------------------------------------------===//

#include "Runtime.h"

#include <cstdlib>
#include <cstring>

namespace hcr {

static bool validSymbol(const char *Module, const char *Name) {
  return Module && *Module && Name && *Name;
}

static std::string describe(const char *What, const SymbolKey &Key) {
  return std::string(What) + " '" + Key.second + "' of module '" + Key.first +
         "'";
}

void Runtime::fail(std::string &Err, hcr_status S, const std::string &Why) {
  Err = Why;
  if (Txn)
    Txn->fail(S, "module '" + Txn->Current + "': " + Why);
}

ProcRecord *Runtime::procRecord(const SymbolKey &Key, std::string &Err) {
  auto It = Procs.find(Key);
  if (It != Procs.end())
    return &It->second;
  uint32_t Id;
  if (!Jumps.allocate(Id, Err))
    return nullptr;
  TrampolineOwners.push_back(Key);
  ProcRecord &P = Procs[Key];
  P.Trampoline = Id;
  return &P;
}

bool Runtime::visibleInTransaction(const std::string &Owner) const {
  // Symbols of modules whose code stays are visible; those of modules being
  // replaced only if the new code registered them (checked by the caller),
  // and those of modules leaving the tree not at all.
  if (Txn->NewCode.contains(Owner))
    return false;
  return Txn->InTree.contains(Owner) || !Modules.contains(Owner);
}

void *Runtime::allocateGlobal(size_t Size, size_t Align) {
  void *Mem = nullptr;
  if (posix_memalign(&Mem, Align < sizeof(void *) ? sizeof(void *) : Align,
                     Size ? Size : 1) != 0)
    return nullptr;
  std::memset(Mem, 0, Size ? Size : 1);
  return Mem;
}

void *Runtime::registerProc(const char *Module, const char *Name, void *Fn,
                            std::string &Err) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (!validSymbol(Module, Name) || !Fn) {
    fail(Err, HCR_ERROR_INVALID_ARGUMENT,
         "hcr_register_proc: module, name and function must not be null or "
         "empty");
    return nullptr;
  }
  SymbolKey Key(Module, Name);
  if (Txn && Key.first != Txn->Current) {
    fail(Err, HCR_ERROR_INVALID_ARGUMENT,
         "registers " + describe("proc", Key) + ", which it does not own");
    return nullptr;
  }
  if (Txn && Txn->ProcTargets.contains(Key)) {
    fail(Err, HCR_ERROR_SYMBOL_CONFLICT,
         describe("proc", Key) + " is registered twice");
    return nullptr;
  }
  ProcRecord *P = procRecord(Key, Err);
  if (!P) {
    fail(Err, HCR_ERROR_RESOURCE, Err);
    return nullptr;
  }
  if (Txn) {
    Txn->ProcTargets[Key] = Fn;
  } else {
    P->Live = true;
    P->Generation = Generation;
    Jumps.retarget(P->Trampoline, Fn);
    if (auto M = Modules.find(Key.first); M != Modules.end())
      M->second->Procs.insert(Key.second);
  }
  return Jumps.entry(P->Trampoline);
}

void *Runtime::getProc(const char *Module, const char *Name, std::string &Err) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (!validSymbol(Module, Name)) {
    fail(Err, HCR_ERROR_INVALID_ARGUMENT,
         "hcr_get_proc: module and name must not be null or empty");
    return nullptr;
  }
  SymbolKey Key(Module, Name);
  auto It = Procs.find(Key);
  bool Found = It != Procs.end() &&
               (Txn ? Txn->ProcTargets.contains(Key) ||
                          (It->second.Live && visibleInTransaction(Key.first))
                    : It->second.Live);
  if (!Found) {
    fail(Err, HCR_ERROR_UNRESOLVED_SYMBOL,
         "looks up " + describe("proc", Key) +
             ", which no loaded module "
             "registers");
    return nullptr;
  }
  if (Txn)
    Txn->ProcUses[Txn->Current].push_back(Key);
  return Jumps.entry(It->second.Trampoline);
}

void *Runtime::bindProc(const char *Module, const char *Name, void **Slot,
                        std::string &Err) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (!validSymbol(Module, Name) || !Slot) {
    fail(Err, HCR_ERROR_INVALID_ARGUMENT,
         "hcr_bind_proc: module, name and slot must not be null or empty");
    return nullptr;
  }
  if (!Txn) {
    // Outside a link no module owns the slot, so nothing could forget it
    // when its code is unloaded.
    fail(Err, HCR_ERROR_INVALID_ARGUMENT,
         "hcr_bind_proc: only a module's link entry point may bind a slot");
    return nullptr;
  }
  void *Trampoline = getProc(Module, Name, Err);
  if (!Trampoline)
    return nullptr;
  SymbolKey Key(Module, Name);
  auto Staged = Txn->ProcTargets.find(Key);
  void *Fn = Staged != Txn->ProcTargets.end()
                 ? Staged->second
                 : Jumps.target(Procs[Key].Trampoline);
  __atomic_store_n(Slot, Fn, __ATOMIC_RELEASE);
  Txn->Bindings[Txn->Current].emplace_back(Key, Slot);
  return Fn;
}

bool Runtime::registerGlobal(const char *Module, const char *Name, size_t Size,
                             size_t Align, void **Slot, std::string &Err) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (!validSymbol(Module, Name) || !Slot || Align == 0 ||
      (Align & (Align - 1)) != 0) {
    fail(Err, HCR_ERROR_INVALID_ARGUMENT,
         "hcr_register_global: module, name and slot must not be null or "
         "empty, and the alignment must be a power of two");
    if (Slot)
      *Slot = nullptr;
    return false;
  }
  SymbolKey Key(Module, Name);
  // On a conflict the caller still gets storage of the size it expects, so
  // the module's code cannot corrupt anything before the failure is handled.
  auto Refuse = [&](hcr_status S, const std::string &Why) {
    fail(Err, S, Why);
    *Slot = allocateGlobal(Size, Align);
    (Txn ? Txn->Scratch : Orphans).push_back(*Slot);
    return false;
  };
  if (Txn && Key.first != Txn->Current)
    return Refuse(HCR_ERROR_INVALID_ARGUMENT, "registers " +
                                                  describe("global", Key) +
                                                  ", which it does not own");
  if (Txn && (Txn->NewGlobals.contains(Key) || Txn->KeptGlobals.contains(Key)))
    return Refuse(HCR_ERROR_SYMBOL_CONFLICT,
                  describe("global", Key) + " is registered twice");

  if (auto It = Globals.find(Key); It != Globals.end()) {
    GlobalRecord &Old = It->second;
    if (Old.Size != Size || Old.Align != Align)
      return Refuse(HCR_ERROR_SYMBOL_CONFLICT,
                    describe("global", Key) + " was registered with size " +
                        std::to_string(Old.Size) + " and alignment " +
                        std::to_string(Old.Align) + ", now with size " +
                        std::to_string(Size) + " and alignment " +
                        std::to_string(Align) +
                        "; its state cannot be kept (rename the global or "
                        "restart the program)");
    if (Txn)
      Txn->KeptGlobals.insert(Key);
    else
      Old.Generation = Generation;
    *Slot = Old.Storage;
    return false;
  }

  void *Storage = allocateGlobal(Size, Align);
  if (!Storage) {
    fail(Err, HCR_ERROR_RESOURCE,
         "out of memory for " + describe("global", Key));
    *Slot = nullptr;
    return false;
  }
  GlobalRecord Record;
  Record.Storage = Storage;
  Record.Size = Size;
  Record.Align = Align;
  Record.Generation = Generation;
  if (Txn) {
    Txn->NewGlobals[Key] = std::move(Record);
  } else {
    Globals[Key] = std::move(Record);
    if (auto M = Modules.find(Key.first); M != Modules.end())
      M->second->Globals.insert(Key.second);
  }
  *Slot = Storage;
  return true;
}

void *Runtime::getGlobal(const char *Module, const char *Name,
                         std::string &Err) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (!validSymbol(Module, Name)) {
    fail(Err, HCR_ERROR_INVALID_ARGUMENT,
         "hcr_get_global: module and name must not be null or empty");
    return nullptr;
  }
  SymbolKey Key(Module, Name);
  void *Storage = nullptr;
  if (Txn) {
    if (auto New = Txn->NewGlobals.find(Key); New != Txn->NewGlobals.end())
      Storage = New->second.Storage;
  }
  if (!Storage) {
    auto It = Globals.find(Key);
    if (It != Globals.end() && (!Txn || Txn->KeptGlobals.contains(Key) ||
                                visibleInTransaction(Key.first)))
      Storage = It->second.Storage;
  }
  if (!Storage) {
    fail(Err, HCR_ERROR_UNRESOLVED_SYMBOL,
         "looks up " + describe("global", Key) +
             ", which no loaded module "
             "registers");
    return nullptr;
  }
  if (Txn)
    Txn->GlobalUses[Txn->Current].push_back(Key);
  return Storage;
}

hcr_status Runtime::addHandler(const char *Module, hcr_handler_kind Kind,
                               hcr_handler_fn Fn, std::string &Err) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (!Module || !Fn ||
      (Kind != HCR_BEFORE_RELOAD && Kind != HCR_AFTER_RELOAD)) {
    fail(Err, HCR_ERROR_INVALID_ARGUMENT,
         "hcr_add_reload_handler: a module, a kind and a function are "
         "required");
    return HCR_ERROR_INVALID_ARGUMENT;
  }
  if (Txn) {
    if (Module != Txn->Current) {
      fail(Err, HCR_ERROR_INVALID_ARGUMENT,
           std::string("adds a handler to module '") + Module +
               "', which is not itself");
      return HCR_ERROR_INVALID_ARGUMENT;
    }
    Txn->Handlers[Module].push_back(Handler{Kind, Fn});
    return HCR_OK;
  }
  auto It = Modules.find(Module);
  if (It == Modules.end()) {
    Err = std::string("hcr_add_reload_handler: no module '") + Module +
          "' is loaded";
    return HCR_ERROR_INVALID_ARGUMENT;
  }
  It->second->Handlers.push_back(Handler{Kind, Fn});
  return HCR_OK;
}

} // namespace hcr
