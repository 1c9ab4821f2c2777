//===- RuntimeSymbols.cpp - Registrations and lookups from the C API ------===//
//
// Checks the arguments, then hands each call to a transaction: inside a
// reload (phases 1 and 2) the reload's own, so that only its commit makes
// the change visible; outside one, a transaction of that one registration,
// committed at once through the same code. Lookups outside a reload only
// read.
//
//===----------------------------------------------------------------------===//

#include "Runtime.h"

namespace hcr {

static bool validSymbol(const char *Module, const char *Name) {
  return Module && *Module && Name && *Name;
}

Status Runtime::refuse(Status S) {
  if (Txn)
    Txn->fail(S);
  return S;
}

template <typename StageFn> Status Runtime::transact(StageFn Stage) {
  if (Txn)
    return Stage(*Txn);
  ReloadTransaction T(ReloadTransaction::Scope::Registration, Generation,
                      state());
  Status S = Stage(T);
  if (S.ok())
    T.commit();
  else
    T.discard();
  return S;
}

Status Runtime::registerProc(const char *Module, const char *Name, void *Fn,
                             void *&Entry) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  Entry = nullptr;
  if (!validSymbol(Module, Name) || !Fn)
    return refuse(Status(HCR_ERROR_INVALID_ARGUMENT,
                         "module, name and function must not be null or "
                         "empty"));
  SymbolKey Key(Module, Name);
  return transact(
      [&](ReloadTransaction &T) { return T.stageProc(Key, Fn, Entry); });
}

Status Runtime::getProc(const char *Module, const char *Name, void *&Entry) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  Entry = nullptr;
  if (!validSymbol(Module, Name))
    return refuse(Status(HCR_ERROR_INVALID_ARGUMENT,
                         "module and name must not be null or empty"));
  SymbolKey Key(Module, Name);
  if (Txn)
    return Txn->lookupProc(Key, Entry);
  const ProcRecord *P = Symbols.findProc(Key);
  if (!P || !P->Live)
    return Status(HCR_ERROR_UNRESOLVED_SYMBOL,
                  "looks up " + describe("proc", Key) +
                      ", which no loaded module registers");
  Entry = Redirect.entry(P->Trampoline);
  return Status::success();
}

Status Runtime::bindProc(const char *Module, const char *Name, void **Slot,
                         void *&Fn) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  Fn = nullptr;
  if (!validSymbol(Module, Name) || !Slot)
    return refuse(Status(HCR_ERROR_INVALID_ARGUMENT,
                         "module, name and slot must not be null or empty"));
  // Outside a link no module owns the slot, so nothing could forget it
  // when its code is unloaded.
  if (!Txn)
    return Status(HCR_ERROR_INVALID_ARGUMENT,
                  "only a module's link entry point may bind a slot");
  return Txn->bindProc(SymbolKey(Module, Name), Slot, Fn);
}

Status Runtime::registerGlobal(const char *Module, const char *Name,
                               size_t Size, size_t Align, const char *Layout,
                               void **Slot, bool &IsNew) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  IsNew = false;
  if (!validSymbol(Module, Name) || !Slot || Align == 0 ||
      (Align & (Align - 1)) != 0) {
    if (Slot)
      *Slot = nullptr;
    return refuse(Status(HCR_ERROR_INVALID_ARGUMENT,
                         "module, name and slot must not be null or empty, "
                         "and the alignment must be a power of two"));
  }
  SymbolKey Key(Module, Name);
  return transact([&](ReloadTransaction &T) {
    return T.stageGlobal(Key, Size, Align, Layout ? Layout : "", Slot, IsNew);
  });
}

Status Runtime::setGlobalVisitor(const char *Module, const char *Name,
                                 void (*Fn)(void)) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (!validSymbol(Module, Name) || !Fn)
    return refuse(Status(HCR_ERROR_INVALID_ARGUMENT,
                         "module, name and visitor must not be null or "
                         "empty"));
  SymbolKey Key(Module, Name);
  return transact(
      [&](ReloadTransaction &T) { return T.stageVisitor(Key, Fn); });
}

Status Runtime::setGlobalMigrator(const char *Module, const char *Name,
                                  hcr_migrate_fn Fn) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (!validSymbol(Module, Name) || !Fn)
    return refuse(Status(HCR_ERROR_INVALID_ARGUMENT,
                         "module, name and migration function must not be "
                         "null or empty"));
  SymbolKey Key(Module, Name);
  return transact(
      [&](ReloadTransaction &T) { return T.stageMigrator(Key, Fn); });
}

Status Runtime::retainReplacedCode(const char *Module) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (!Module || !*Module)
    return refuse(
        Status(HCR_ERROR_INVALID_ARGUMENT, "a module name is required"));
  return transact(
      [&](ReloadTransaction &T) { return T.stageRetainCode(Module); });
}

void Runtime::visitGlobals() {
  // A collector may run inside a reload (phase 3, handlers), on this
  // thread: the lock is recursive, and the table is not being changed then.
  std::lock_guard<std::recursive_mutex> G(Lock);
  for (auto &[Key, Global] : Symbols.globals())
    if (Global.Visitor)
      Global.Visitor();
}

Status Runtime::getGlobal(const char *Module, const char *Name,
                          void *&Storage) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  Storage = nullptr;
  if (!validSymbol(Module, Name))
    return refuse(Status(HCR_ERROR_INVALID_ARGUMENT,
                         "module and name must not be null or empty"));
  SymbolKey Key(Module, Name);
  if (Txn)
    return Txn->lookupGlobal(Key, Storage);
  const GlobalRecord *Gl = Symbols.findGlobal(Key);
  if (!Gl)
    return Status(HCR_ERROR_UNRESOLVED_SYMBOL,
                  "looks up " + describe("global", Key) +
                      ", which no loaded module registers");
  Storage = Gl->Storage;
  return Status::success();
}

Status Runtime::addHandler(const char *Module, hcr_handler_kind Kind,
                           hcr_handler_fn Fn) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (!Module || !Fn || (Kind != HCR_BEFORE_RELOAD && Kind != HCR_AFTER_RELOAD))
    return refuse(Status(HCR_ERROR_INVALID_ARGUMENT,
                         "a module, a kind and a function are required"));
  return transact([&](ReloadTransaction &T) {
    return T.stageHandler(Module, Handler{Kind, Fn});
  });
}

} // namespace hcr
