//===- ModuleIndexer.cpp - The module's entry in the project index -------===//
//
// What the module defines (reloadable functions and globals with external
// linkage), the external names it uses, and the project files it read,
// stamped so that a later run knows when the entry is stale.
//
//===----------------------------------------------------------------------===//

#include "RewriteInternal.h"

#include "hcr/Rewrite/ProjectFiles.h"

using namespace clang;

namespace hcr::rewrite {

void ModuleRewriter::noteReference(const ValueDecl *D) {
  // External symbols used here and defined elsewhere, declared in the
  // project (so a library's functions are not listed).
  bool Defined;
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    Defined = FD->isDefined() || FD->getBuiltinID();
  else if (const auto *VD = dyn_cast<VarDecl>(D))
    Defined =
        !VD->isFileVarDecl() || VD->hasDefinition() != VarDecl::DeclarationOnly;
  else
    return;
  if (!Defined && D->isExternallyVisible() && D->getIdentifier() &&
      isProjectLoc(D->getLocation()))
    ExternalReferences.insert(D->getName().str());
}

ModuleIndex ModuleRewriter::collectIndex(bool TraverseForReferences) {
  ModuleIndex Index;
  Index.Name = Module;
  Index.MainFile = MainPath;
  std::set<std::string> Functions, Globals, References, Exported;
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
      if (!FD->doesThisDeclarationHaveABody() || !inMainFile(FD->getLocation()))
        continue;
      if (FD->isMain())
        Index.IsHost = true;
      else if (FD->isExternallyVisible() && planFor(FD)) {
        Functions.insert(FD->getName().str());
        if (FD->getVisibility() == DefaultVisibility)
          Exported.insert(FD->getName().str());
        if (ownKey(FD) != FD->getName())
          Index.Keys[FD->getName().str()] = ownKey(FD);
      }
    } else if (const auto *VD = dyn_cast<VarDecl>(D)) {
      if (VD->isThisDeclarationADefinition() != VarDecl::DeclarationOnly &&
          VD->isExternallyVisible() && inMainFile(VD->getLocation()) &&
          VD->getIdentifier()) {
        Globals.insert(VD->getName().str());
        if (ownKey(VD) != VD->getName())
          Index.Keys[VD->getName().str()] = ownKey(VD);
      }
    }
  }
  if (TraverseForReferences) {
    struct RefCollector : RecursiveASTVisitor<RefCollector> {
      ModuleRewriter &R;
      bool VisitDeclRefExpr(DeclRefExpr *E) {
        R.noteReference(E->getDecl());
        return true;
      }
    } Refs{{}, *this};
    Refs.TraverseDecl(Ctx.getTranslationUnitDecl());
  }
  References.insert(ExternalReferences.begin(), ExternalReferences.end());
  Index.Functions.assign(Functions.begin(), Functions.end());
  Index.Exported.assign(Exported.begin(), Exported.end());
  Index.Globals.assign(Globals.begin(), Globals.end());
  Index.References.assign(References.begin(), References.end());
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
    FileID F = SM.translateFile(It->getFirst());
    if (F.isValid() && isProjectFile(F))
      Index.Inputs.push_back(stampFile(absolutePath(It->getFirst().getName())));
  }
  llvm::sort(Index.Inputs, [](const FileStamp &A, const FileStamp &B) {
    return A.Path < B.Path;
  });
  return Index;
}

} // namespace hcr::rewrite
