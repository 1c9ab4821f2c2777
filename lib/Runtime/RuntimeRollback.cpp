//===- RuntimeRollback.cpp - Undoing a reload whose new code crashed ------===//
//
// Before a reload commits, the runtime copies the bytes of every global and
// keeps the code the reload replaces loaded until the next reload. When the
// new code crashes (while the reload runs it, or later in hcr_run_guarded),
// the rollback is one more transaction whose "new" code is that old code:
// its phases 1 and 2 run again (registrations that find their globals
// already there, lookups), nothing is loaded from a file and no init runs;
// the globals dropped by the crashed reload come back with their storage,
// every global gets its bytes back, and the old code's after-reload
// handlers run, as after any failed reload. The crashed builds are
// remembered as failed, so hcr_reload_needed() does not offer them again
// until their files change.
//
//===----------------------------------------------------------------------===//

#include "FunctionNames.h"
#include "Runtime.h"

#include <algorithm>
#include <cstring>
#include <sched.h>

namespace hcr {

void Runtime::prepareUndo(const ReloadTransaction &T) {
  Undo = ReloadUndo();
  Undo.Generation = T.Generation;
  for (auto &[Key, G] : Symbols.globals()) {
    const char *Bytes = static_cast<const char *>(G.Storage);
    Undo.GlobalBytes[Key].assign(Bytes, Bytes + G.Size);
  }
  for (const auto &[Name, Code] : T.NewCode)
    if (!Code->copyPath().empty())
      Undo.Builds[Name] = Code->identity();
  Undo.OldOrder = Modules.postOrder();
}

CrashScope Runtime::crashScope(const std::vector<std::string> &Guarded,
                               bool TakeAll) {
  CrashScope S;
  S.TakeAll = TakeAll;
  S.Generation = Generation;
  for (auto &[Range, Name] : Modules.allCode())
    S.Modules.push_back(Range);
  for (const std::string &Name : Guarded)
    if (const Module *M = Modules.find(Name); M && M->Code)
      for (const CodeRange &R : M->Code->codeRanges())
        S.Guarded.push_back(R);
  S.sort();
  return S;
}

void Runtime::publishCrashScope(const std::vector<std::string> &Installed) {
  CrashScope *New = nullptr;
  if (!Installed.empty())
    New = new CrashScope(crashScope(Installed, /*TakeAll=*/false));
  CrashScope *Old = GuardedScope.exchange(New);
  // A handler that read Old may still be using it.
  while (ScopeReaders.load() != 0)
    sched_yield();
  delete Old;
}

bool Runtime::latestReloadFilter(Crash &C, uintptr_t Sp, uintptr_t StackEnd,
                                 void *) {
  Runtime &R = get();
  R.ScopeReaders.fetch_add(1);
  CrashScope *S = R.GuardedScope.load();
  bool Take = S && blameModuleCode(C, Sp, StackEnd, S);
  R.ScopeReaders.fetch_sub(1);
  return Take;
}

std::string Runtime::describeCrash(const Crash &C) {
  // A return address follows its call, which may be a function's last
  // instruction (a call to abort): look up the call itself.
  uintptr_t At = C.Blamed == C.Pc ? C.Pc : C.Blamed - 1;
  std::string Module;
  for (auto &[Range, Name] : Modules.allCode())
    if (At >= Range.Begin && At < Range.End)
      Module = Name;
  std::string Function = functionNameAt(At);
  std::string Text = signalName(C.Signal);
  if (!Function.empty())
    Text += " in function '" + Function + "'";
  if (!Module.empty())
    Text += std::string(Function.empty() ? " in" : " of") + " module '" +
            Module + "'";
  if (C.Blamed != C.Pc)
    Text += " (in a function it called)";
  return Text;
}

Status Runtime::rollBack(const Crash &C, const std::string &What,
                         const void *StackFrom) {
  std::string Cause = describeCrash(C);
  uint64_t Crashed = Undo.Generation;
  trace("crash: " + Cause + ", in " + What + "; rolling back reload " +
        std::to_string(Crashed));
  ReloadTransaction T(ReloadTransaction::Scope::Reload, Generation + 1,
                      state());
  T.NoLoads = true;
  ModuleGraph::Reclaimed Old = Modules.reclaim(Crashed);
  // Replaced code that no frame ran in was unloaded (ModuleCode::sleep):
  // loaded again, it registers and links afresh below.
  std::string WakeError;
  for (auto &[Name, Code] : Old.Code) {
    std::string Err;
    if (!Code->wake(Err) && WakeError.empty())
      WakeError = "cannot load the code of module '" + Name + "' again: " + Err;
    T.NewCode[Name] = std::move(Code);
  }
  // Globals the crashed reload dropped come back with their storage, so
  // pointers to them stay good; the old code finds them registered.
  for (auto &[Key, Record] : Old.Globals) {
    // A global the crashed reload moved (its layout grew): the new storage
    // retires, the old one comes back.
    if (GlobalRecord *Current = Symbols.findGlobal(Key)) {
      GlobalRecord Moved = *Current;
      Moved.Importers.clear();
      Modules.retireGlobal(Key, T.Generation, std::move(Moved));
    }
    Symbols.addGlobal(Key, std::move(Record));
  }
  bool Linked = WakeError.empty();
  if (!Linked)
    T.fail(Status(HCR_ERROR_MODULE_LOAD, WakeError));
  Linked = Linked && discover(T, Modules.root(), Modules.root());
  if (Linked) {
    registerAndLink(T);
    Linked = !T.failed();
  }
  if (!Linked) {
    // Cannot happen unless the old code changed its mind; the crashed code
    // stays, and so does its state.
    Status Why = T.status();
    T.discard();
    return Status(HCR_ERROR_CRASHED,
                  Cause + ", in " + What +
                      "; the rollback failed: " + Why.message());
  }
  Generation = T.Generation;
  T.commit();
  for (const std::string &Name : T.installed())
    if (const Module *M = Modules.find(Name); M && !M->Path.empty())
      Changes->watch(Name, M->Path);
  for (auto &[Key, Bytes] : Undo.GlobalBytes)
    if (GlobalRecord *G = Symbols.findGlobal(Key))
      std::memcpy(G->Storage, Bytes.data(), std::min(G->Size, Bytes.size()));
  for (auto &[Name, Id] : Undo.Builds)
    FailedBuilds[Name] = Id;
  Undo = ReloadUndo();
  Modules.holdGeneration(0);
  publishCrashScope({});
  Modules.runHandlers(Modules.postOrder(), HCR_AFTER_RELOAD);
  Modules.releaseUnused(StackFrom, Config.StackSignal, Config.NoMapQuery);
  return Status(HCR_ERROR_CRASHED,
                Cause + ", in " + What + ": reload " + std::to_string(Crashed) +
                    " was rolled back, the code before it runs with every "
                    "global as it was before it");
}

Status Runtime::runGuardedCall(void (*Fn)(void *), void *Arg) {
  if (!Fn)
    return Status(HCR_ERROR_INVALID_ARGUMENT, "fn must not be null");
  Crash C;
  if (runGuarded(Fn, Arg, latestReloadFilter, nullptr, C))
    return Status::success();
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (C.Generation != Undo.Generation || Reloading)
    return Status(HCR_ERROR_CRASHED,
                  describeCrash(C) +
                      ", in a guarded call, in the code of "
                      "reload " +
                      std::to_string(C.Generation) +
                      ", which a later reload replaced: nothing was rolled "
                      "back");
  Reloading = true;
  Status S = rollBack(C, "a guarded call", __builtin_frame_address(0));
  Reloading = false;
  describeToDebuggers();
  return S;
}

} // namespace hcr
