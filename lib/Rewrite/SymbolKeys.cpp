//===- SymbolKeys.cpp - The names symbols register under ------------------===//
//
// A symbol registers under a key that names it across builds of its
// module: a host built before an edit looks the symbol up by the same key in
// the new code. Plain C's keys are its names. Nim appends counters that shift
// when earlier declarations change (ProducerConventions::stableName drops
// them), so several symbols may share a stable name: overloads, anonymous
// procs, the GC markers of globals. They are told apart, in this order, by
// their C type, by what their bodies name (the globals a marker visits, the
// environment type of a closure), and by their rank in the file. A function
// whose name lost a counter always carries its C type.
//
//===----------------------------------------------------------------------===//

#include "RewriteInternal.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <map>

using namespace clang;

namespace hcr::rewrite {

namespace {

std::string shortHash(llvm::StringRef Text) {
  return llvm::utohexstr(llvm::xxh3_64bits(Text) & 0xffffffffu,
                         /*LowerCase=*/true);
}

/// What a function's body names that tells it from a namesake: the stable
/// names of the file-scope variables it uses, and the types it casts to or
/// declares locals of (a closure's environment).
struct BodyNames : RecursiveASTVisitor<BodyNames> {
  const ProducerConventions &Conventions;
  std::set<std::string> Names;
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (const auto *V = dyn_cast<VarDecl>(E->getDecl()))
      if (V->isFileVarDecl() && V->getIdentifier())
        Names.insert(Conventions.stableName(V->getName()));
    return true;
  }
  bool VisitCStyleCastExpr(CStyleCastExpr *E) {
    Names.insert(E->getType().getAsString());
    return true;
  }
  bool VisitVarDecl(VarDecl *V) {
    if (V->isLocalVarDecl())
      Names.insert(V->getType().getAsString());
    return true;
  }
};

} // namespace

void ModuleRewriter::computeOwnKeys() {
  OwnKeys.emplace();
  // Every function defined and every variable with file scope defined in
  // the main file, in file order, grouped by stable name.
  struct Candidate {
    const Decl *D;
    std::string Type;
    const Stmt *Body = nullptr;
  };
  std::map<std::string, std::vector<Candidate>> ByName;
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *ND = dyn_cast<DeclaratorDecl>(D);
    if (!ND || !ND->getIdentifier() || !inMainFile(ND->getLocation()))
      continue;
    Candidate C{ND->getCanonicalDecl(), ND->getType().getAsString()};
    if (const auto *FD = dyn_cast<FunctionDecl>(ND)) {
      if (!FD->doesThisDeclarationHaveABody())
        continue;
      C.Body = FD->getBody();
    } else if (const auto *VD = dyn_cast<VarDecl>(ND)) {
      if (!VD->isFileVarDecl() ||
          VD->isThisDeclarationADefinition() == VarDecl::DeclarationOnly)
        continue;
      if (VD != VD->getDefinition() && VD->getDefinition())
        continue; // Counted once, at its definition.
    } else {
      continue;
    }
    std::string Stable = Conventions->stableName(ND->getName());
    auto &Group = ByName[Stable];
    if (llvm::none_of(Group, [&](const Candidate &O) { return O.D == C.D; }))
      Group.push_back(std::move(C));
  }
  for (auto &[Stable, Group] : ByName) {
    // A function whose name lost a counter carries its type in its key
    // even without a namesake: adding one later (an anonymous proc next to
    // a closure iterator that a kept closure still calls) must not change
    // its key. A new signature is a new function anyway.
    const auto *Fn = dyn_cast<FunctionDecl>(Group[0].D);
    if (Group.size() == 1 && !(Fn && Stable != Fn->getName())) {
      (*OwnKeys)[Group[0].D] = Stable;
      continue;
    }
    // Tell namesakes apart by type, then by body, then by rank.
    std::map<std::string, std::vector<const Candidate *>> ByType;
    for (const Candidate &C : Group)
      ByType[Stable + "#" + shortHash(C.Type)].push_back(&C);
    for (auto &[Typed, Same] : ByType) {
      if (Same.size() == 1) {
        (*OwnKeys)[Same[0]->D] = Typed;
        continue;
      }
      std::map<std::string, std::vector<const Candidate *>> ByBody;
      for (const Candidate *C : Same) {
        BodyNames Names{{}, *Conventions, {}};
        if (C->Body)
          Names.TraverseStmt(const_cast<Stmt *>(C->Body));
        ByBody[Typed + "#" + shortHash(llvm::join(Names.Names, ","))].push_back(
            C);
      }
      for (auto &[Bodied, Twins] : ByBody) {
        if (Twins.size() == 1) {
          (*OwnKeys)[Twins[0]->D] = Bodied;
          continue;
        }
        for (size_t Rank = 0; Rank < Twins.size(); ++Rank)
          (*OwnKeys)[Twins[Rank]->D] = Bodied + "#" + std::to_string(Rank);
      }
    }
  }
}

const std::string &ModuleRewriter::ownKey(const NamedDecl *D) {
  if (!OwnKeys)
    computeOwnKeys();
  auto [It, New] = OwnKeys->try_emplace(D->getCanonicalDecl());
  if (New)
    It->second = D->getName().str();
  return It->second;
}

} // namespace hcr::rewrite
