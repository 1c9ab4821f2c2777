//===- ModuleGraph.cpp - The loaded modules and their import tree ---------===//

#include "ModuleGraph.h"

#include <algorithm>
#include <cstdlib>

namespace hcr {

Module *ModuleGraph::find(const std::string &Name) {
  auto It = Modules.find(Name);
  return It == Modules.end() ? nullptr : It->second.get();
}

Module &ModuleGraph::getOrCreate(const std::string &Name) {
  std::unique_ptr<Module> &Slot = Modules[Name];
  if (!Slot) {
    Slot = std::make_unique<Module>();
    Slot->Name = Name;
  }
  return *Slot;
}

std::vector<std::string> ModuleGraph::postOrder() const {
  std::vector<std::string> Order;
  HashSet<std::string> Seen;
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

bool ModuleGraph::runHandlers(const std::vector<std::string> &Order,
                              hcr_handler_kind Kind, const HandlerCall &Call) {
  for (const std::string &Name : Order) {
    Module *M = find(Name);
    if (!M)
      continue;
    // A handler may add handlers; run the ones present when we started.
    std::vector<Handler> Handlers = M->Handlers;
    for (const Handler &H : Handlers) {
      if (H.Kind != Kind)
        continue;
      if (!Call)
        H.Fn();
      else if (!Call(H.Fn, Name))
        return false;
    }
  }
  return true;
}

void ModuleGraph::retireCode(const std::string &Name, uint64_t Generation,
                             std::unique_ptr<ModuleCode> Code) {
  Retired.push_back(RetiredItem{Name, Generation, std::move(Code), {}, {}});
}

void ModuleGraph::retireGlobal(const SymbolKey &Key, uint64_t Generation,
                               GlobalRecord Record) {
  Retired.push_back(
      RetiredItem{Key.first, Generation, nullptr, Key, std::move(Record)});
}

ModuleGraph::Reclaimed ModuleGraph::reclaim(uint64_t Generation) {
  Reclaimed Out;
  std::deque<RetiredItem> Left;
  for (RetiredItem &R : Retired) {
    if (R.Generation != Generation)
      Left.push_back(std::move(R));
    else if (R.Code)
      Out.Code[R.Name] = std::move(R.Code);
    else
      Out.Globals.emplace_back(R.GlobalKey, std::move(R.Global));
  }
  Retired = std::move(Left);
  // Retained copies are kept forever, but a rollback takes its code back.
  for (RetainedItem &R : Retained)
    if (R.Generation == Generation && R.Code)
      Out.Code[R.Name] = std::move(R.Code);
  Retained.erase(std::remove_if(Retained.begin(), Retained.end(),
                                [](const RetainedItem &R) { return !R.Code; }),
                 Retained.end());
  return Out;
}

ModuleGraph::StillRunning ModuleGraph::releaseUnused(const void *StackFrom,
                                                     int Signal,
                                                     bool ReadWholeMap) {
  StillRunning Out;
  std::vector<std::vector<CodeRange>> Sets;
  std::vector<size_t> SetOf; // Index in Retired of each scanned set.
  for (size_t I = 0; I < Retired.size(); ++I)
    if (Retired[I].Code) {
      Sets.push_back(Retired[I].Code->codeRanges());
      SetOf.push_back(I);
    }
  StackScanResult Scan = scanStacks(Sets, StackFrom, Signal, ReadWholeMap);
  Out.Unscanned = Scan.Unscanned;
  Out.ThreadsScanned = Scan.ThreadsScanned;
  std::vector<bool> Keep(Retired.size(), false);
  uint64_t OldestKept = UINT64_MAX;
  for (size_t K = 0; K < Sets.size(); ++K) {
    if (!Scan.InUse[K]) {
      // Kept for a rollback of the latest reload, not for a frame: out of
      // the program until then (ModuleCode::sleep).
      Keep[SetOf[K]] = Retired[SetOf[K]].Generation == Held;
      if (Keep[SetOf[K]])
        Retired[SetOf[K]].Code->sleep();
      continue;
    }
    const RetiredItem &R = Retired[SetOf[K]];
    Keep[SetOf[K]] = true;
    OldestKept = std::min(OldestKept, R.Generation);
    ++Out.Versions;
    Out.Which += (Out.Which.empty() ? "'" : ", '") + R.Name +
                 "' replaced by reload " + std::to_string(R.Generation);
  }
  // Kept code may still use the globals dropped with it or after it.
  for (size_t I = 0; I < Retired.size(); ++I)
    if (!Retired[I].Code &&
        (Retired[I].Generation >= OldestKept || Retired[I].Generation == Held))
      Keep[I] = true;
  std::deque<RetiredItem> Left;
  for (size_t I = 0; I < Retired.size(); ++I) {
    if (Keep[I]) {
      Left.push_back(std::move(Retired[I]));
      continue;
    }
    std::free(Retired[I].Global.Storage);
    Retired[I].Code.reset(); // Unloads it.
  }
  Retired = std::move(Left);
  return Out;
}

std::vector<std::pair<CodeRange, std::string>> ModuleGraph::allCode() const {
  std::vector<std::pair<CodeRange, std::string>> Out;
  auto Add = [&](const ModuleCode *Code, const std::string &Name) {
    if (Code)
      for (const CodeRange &R : Code->codeRanges())
        Out.emplace_back(R, Name);
  };
  for (const auto &[Name, M] : Modules)
    Add(M->Code.get(), Name);
  for (const RetiredItem &R : Retired)
    Add(R.Code.get(), R.Name);
  for (const RetainedItem &R : Retained)
    Add(R.Code.get(), R.Name);
  return Out;
}

unsigned ModuleGraph::retiredVersions() const {
  unsigned N = 0;
  for (const RetiredItem &R : Retired)
    N += R.Code && !R.Code->asleep();
  return N;
}

std::vector<ModuleGraph::RetiredCopy> ModuleGraph::retiredCopies() const {
  std::vector<RetiredCopy> Out;
  for (const RetiredItem &R : Retired)
    if (R.Code)
      Out.push_back(
          {R.Name, R.Generation, R.Code->copyPath(), R.Code->asleep()});
  for (const RetainedItem &R : Retained)
    if (R.Code)
      Out.push_back(
          {R.Name, R.Generation, R.Code->copyPath(), R.Code->asleep()});
  return Out;
}

void ModuleGraph::releaseAll() {
  for (RetiredItem &R : Retired)
    std::free(R.Global.Storage);
  Retired.clear();
  Held = 0;
}

void ModuleGraph::removeCopies() {
  for (auto &[Name, M] : Modules)
    if (M->Code)
      M->Code->removeCopy();
  for (auto &R : Retired)
    if (R.Code)
      R.Code->removeCopy();
  for (auto &R : Retained)
    if (R.Code)
      R.Code->removeCopy();
}

void ModuleGraph::clear() {
  Modules.clear(); // Unloads every module's code.
  releaseAll();
  Retained.clear();
  Root.clear();
}

} // namespace hcr
