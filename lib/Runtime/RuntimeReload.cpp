//===- RuntimeReload.cpp - The steps of a reload --------------------------===//
//
// A reload runs in steps (docs/Runtime.md, docs/ModuleABI.md), all on one
// ReloadTransaction:
//   1. discover: walk the import tree from the host, loading a private copy
//      of every changed or new module; any failure ends the reload here,
//      before any handler or registration ran.
//   2. before-reload handlers of the old tree, leaves first.
//   3. register then link every module with new code; registrations are
//      staged, so a failure (conflict, unresolved lookup) is undone whole,
//      after which the old code's after-reload handlers run again.
//   4. commit: retarget trampolines, keep or drop symbols, swap the code.
//   5. init the modules with new code, then after-reload handlers of the new
//      tree, leaves first; replaced code is unloaded once no thread has a
//      frame in it (ModuleGraph::releaseUnused), at this or a later reload.
// hcr_init's start is the same transaction from an empty tree, without
// handlers.
//
//===----------------------------------------------------------------------===//

#include "Runtime.h"

#include "DebuggerStubs.h"
#include "FunctionNames.h"

#include <chrono>

namespace hcr {

bool Runtime::discover(ReloadTransaction &T, const std::string &Name,
                       const std::string &ImportedBy) {
  if (!T.InTree.insert(Name).second)
    return true;
  std::vector<std::string> Imports;
  auto New = T.NewCode.find(Name);
  const Module *Old = Modules.find(Name);
  if (New != T.NewCode.end()) {
    Imports = New->second->imports(); // The host, at start-up.
  } else if (Old && (T.NoLoads || !fileChanged(*Old))) {
    Imports = Old->Code->imports();
  } else if (T.NoLoads) {
    T.fail(Status(HCR_ERROR_MODULE_LOAD, "module '" + Name +
                                             "' (imported by '" + ImportedBy +
                                             "') has no code to go back to"));
    return false;
  } else {
    std::string Path = modulePath(Name);
    T.Attempted[Name] = FileIdentity::of(Path);
    CopyPlace Place{CopyDir, Name + "." + std::to_string(++LoadCount),
                    /*KeepData=*/!Config.NoKeptData};
    std::string Why;
    hcr_status Kind;
    std::unique_ptr<ModuleCode> Code = ModuleCode::load(Path, Place, Kind, Why);
    if (!Code) {
      T.fail(Status(Kind, "module '" + Name + "' (imported by '" + ImportedBy +
                              "'): " + Why));
      return false;
    }
    trace((Old ? "reload '" : "load '") + Name + "' from '" + Path + "' as '" +
          Code->copyPath() + "'");
    Imports = Code->imports();
    T.NewCode[Name] = std::move(Code);
    T.NewPaths[Name] = Path;
  }
  for (const std::string &Import : Imports)
    if (!discover(T, Import, Name))
      return false;
  T.Order.push_back(Name);
  return true;
}

void Runtime::registerAndLink(ReloadTransaction &T) {
  Txn = &T;
  for (const std::string &Name : T.Order) {
    auto It = T.NewCode.find(Name);
    if (It == T.NewCode.end())
      continue;
    T.Current = Name;
    T.Handlers[Name];
    It->second->entries().register_symbols();
    if (T.failed())
      break;
  }
  for (const std::string &Name : T.Order) {
    auto It = T.NewCode.find(Name);
    if (T.failed() || It == T.NewCode.end())
      continue;
    T.Current = Name;
    T.ProcUses[Name];
    T.GlobalUses[Name];
    It->second->entries().link();
  }
  T.Current.clear();
  Txn = nullptr;
}

void Runtime::checkPinnedLimit(ReloadTransaction &T, const void *StackFrom) {
  unsigned Replacing = 0;
  for (const auto &[Name, Code] : T.NewCode)
    if (const Module *M = Modules.find(Name))
      Replacing += M->Code && !M->Path.empty() && !M->RetainsReplacedCode;
  if (Modules.retiredVersions() + Replacing <= Config.MaxPinned)
    return;
  ModuleGraph::StillRunning Left =
      Modules.releaseUnused(StackFrom, Config.StackSignal, Config.NoMapQuery);
  if (Left.Versions + Replacing <= Config.MaxPinned)
    return;
  T.fail(Status(
      HCR_ERROR_RESOURCE,
      std::to_string(Left.Versions) +
          " copies of replaced code still run on a thread's stack (" +
          Left.Which +
          (Left.Unscanned.empty() ? "" : "; not scanned: " + Left.Unscanned) +
          "), and this reload would add " + std::to_string(Replacing) +
          ": the limit is HCR_MAX_PINNED=" + std::to_string(Config.MaxPinned) +
          "; let those frames return first"));
}

Status Runtime::runReload(ReloadTransaction &T, bool RunHandlers,
                          const void *StackFrom) {
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
  auto Discard = [&] {
    T.discard();
    for (auto &[Name, Id] : T.Attempted)
      FailedBuilds[Name] = Id;
    return T.status();
  };

  bool Found = discover(T, Modules.root(), Modules.root());
  Lap(Stats.discover_ms);
  if (!Found)
    return Discard();
  if (T.NewCode.empty())
    return Status::success(); // Nothing changed: no handler runs.
  checkPinnedLimit(T, StackFrom);
  if (T.failed())
    return Discard();
  for (const auto &[Name, Code] : T.NewCode) {
    Stats.copy_ms += Code->copyMs();
    Stats.dlopen_ms += Code->dlopenMs();
    Stats.modules_loaded += !Code->copyPath().empty();
  }

  std::vector<std::string> OldOrder = Modules.postOrder();
  if (RunHandlers)
    Modules.runHandlers(OldOrder, HCR_BEFORE_RELOAD);
  Lap(Stats.handlers_ms);
  registerAndLink(T);
  if (!T.failed())
    T.checkDroppedSymbols();
  Lap(Stats.register_ms);
  if (T.failed()) {
    Status S = Discard();
    if (RunHandlers) // The old code resumes as after a reload.
      Modules.runHandlers(OldOrder, HCR_AFTER_RELOAD);
    return S;
  }
  Stats.procs_registered = T.ProcTargets.size();
  Stats.globals_registered = T.NewGlobals.size() + T.KeptGlobals.size();

  std::vector<std::string> Initialize;
  for (const std::string &Name : T.Order)
    if (T.NewCode.contains(Name))
      Initialize.push_back(Name);
  // What a rollback of this reload needs: the globals as they are now, and
  // the code it replaces, which stays loaded until the next reload.
  bool Guarded = RunHandlers;
  if (Guarded)
    prepareUndo(T);
  Generation = T.Generation;
  T.commit();
  for (const std::string &Name : T.installed()) {
    const Module &M = *Modules.find(Name);
    if (!M.Path.empty())
      Changes->watch(Name, M.Path);
    FailedBuilds.erase(Name);
  }
  if (Guarded) {
    Modules.holdGeneration(Generation);
    publishCrashScope(T.installed());
  }
  Lap(Stats.commit_ms);
  // The new code runs: a crash in it rolls the reload back.
  CrashScope Everything = crashScope({}, /*TakeAll=*/true);
  Status CrashStatus;
  auto RunCall = [&](void (*Fn)(void *), void *Arg, const std::string &What) {
    if (!Guarded) {
      Fn(Arg);
      return true;
    }
    Crash C;
    if (runGuarded(Fn, Arg, blameModuleCode, &Everything, C))
      return true;
    CrashStatus = rollBack(C, What, StackFrom);
    return false;
  };
  auto Run = [&](void (*Fn)(void), const std::string &What) {
    return RunCall(callVoidFunction, reinterpret_cast<void *>(Fn), What);
  };
  for (const std::string &Name : Initialize) {
    trace("init '" + Name + "'");
    if (!Run(Modules.find(Name)->Code->entries().init,
             "the initialization of module '" + Name + "'"))
      return CrashStatus;
    // The module's own migrations are new code too.
    for (ReloadTransaction::MigrationCall &M : T.migrateGlobals(Name))
      if (!RunCall(
              [](void *Arg) {
                auto *M = static_cast<ReloadTransaction::MigrationCall *>(Arg);
                M->Fn(M->Now, M->Before, M->BeforeLayout, M->BeforeSize);
              },
              &M,
              "the migration function of global '" + M.Key.first + "." +
                  M.Key.second + "'"))
        return CrashStatus;
  }
  Lap(Stats.init_ms);
  if (RunHandlers &&
      !Modules.runHandlers(Modules.postOrder(), HCR_AFTER_RELOAD,
                           [&](hcr_handler_fn Fn, const std::string &Name) {
                             return Run(Fn, "an after-reload handler of "
                                            "module '" +
                                                Name + "'");
                           }))
    return CrashStatus;
  Lap(Stats.handlers_ms);
  ModuleGraph::StillRunning Left =
      Modules.releaseUnused(StackFrom, Config.StackSignal, Config.NoMapQuery);
  if (Left.Versions)
    trace("still running, kept loaded: " + Left.Which);
  if (!Left.Unscanned.empty())
    trace("not scanned, replaced code kept loaded: " + Left.Unscanned);
  Stats.versions_still_running = Left.Versions;
  Stats.threads_scanned = Left.ThreadsScanned;
  Lap(Stats.cleanup_ms);
  Stats.generation = Generation;
  Stats.modules_in_tree = Modules.size();
  Stats.total_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - Start).count();
  LastStats = Stats;
  return Status::success();
}

void Runtime::describeToDebuggers() {
  NamedForDebugger = debuggerAttached();
  if (!NamedForDebugger)
    return;
  CodeSymbolIndex Symbols;
  Redirect.nameForDebuggers([&](const void *Target) {
    return Symbols.symbolAt(reinterpret_cast<uintptr_t>(Target));
  });
}

void Runtime::lookForNewDebugger() {
  int64_t Now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now().time_since_epoch())
                    .count();
  if (Now - LastDebuggerCheckMs < 1000)
    return;
  LastDebuggerCheckMs = Now;
  if (!NamedForDebugger)
    describeToDebuggers(); // Reads the tracer, names only if there is one.
  else
    NamedForDebugger = debuggerAttached();
}

Status Runtime::performReload(const void *StackFrom) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (!Initialized)
    return Status(HCR_ERROR_NOT_INITIALIZED,
                  "the runtime is not initialized (call hcr_init)");
  if (Reloading)
    return Status(HCR_ERROR_BUSY, "called during a reload (from a handler or "
                                  "an entry point)");
  ReloadTransaction T(ReloadTransaction::Scope::Reload, Generation + 1,
                      state());
  Changes->poll();
  Status S = runReload(T, /*RunHandlers=*/true, StackFrom);
  describeToDebuggers();
  if (!S.ok())
    trace("reload failed, the old code keeps running: " + S.message());
  else if (Generation == T.Generation)
    trace("reload " + std::to_string(Generation) + " done");
  return S;
}

} // namespace hcr
