//===- ModuleGraph.cpp - The loaded modules and their import tree ---------===//

#include "ModuleGraph.h"

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

void ModuleGraph::runHandlers(const std::vector<std::string> &Order,
                              hcr_handler_kind Kind) {
  for (const std::string &Name : Order) {
    Module *M = find(Name);
    if (!M)
      continue;
    // A handler may add handlers; run the ones present when we started.
    std::vector<Handler> Handlers = M->Handlers;
    for (const Handler &H : Handlers)
      if (H.Kind == Kind)
        H.Fn();
  }
}

void ModuleGraph::retire(uint64_t Generation, std::unique_ptr<ModuleCode> Code,
                         void *Storage) {
  Retired.push_back(RetiredItem{Generation, std::move(Code), Storage});
}

void ModuleGraph::releaseRetired(uint64_t Generation, unsigned UnloadDelay,
                                 bool All) {
  while (!Retired.empty() &&
         (All || Retired.front().Generation + UnloadDelay <= Generation)) {
    std::free(Retired.front().Storage);
    Retired.pop_front();
  }
}

void ModuleGraph::removeCopies() {
  for (auto &[Name, M] : Modules)
    if (M->Code)
      M->Code->removeCopy();
  for (auto &R : Retired)
    if (R.Code)
      R.Code->removeCopy();
  for (auto &Code : Retained)
    Code->removeCopy();
}

void ModuleGraph::clear() {
  Modules.clear(); // Unloads every module's code.
  releaseRetired(0, 0, /*All=*/true);
  Retained.clear();
  Root.clear();
}

} // namespace hcr
