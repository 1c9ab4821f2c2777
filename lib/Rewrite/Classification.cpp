//===- Classification.cpp - Which symbols the rewrite changes -------------===//
//
// Pure decisions over the AST: whether a function or a variable with static
// storage is this module's (registered), another module's (looked up), or
// left alone, and which cannot be made reloadable at all. No edit is made
// here; ModuleRewriter::planFor turns a decision into a plan (and an error
// into a diagnostic).
//
//===----------------------------------------------------------------------===//

#include "RewriteInternal.h"

#include "llvm/Support/Path.h"

using namespace clang;

namespace hcr::rewrite {

bool hasAnnotation(const Decl *D, llvm::StringRef What) {
  for (const Decl *R : D->redecls())
    for (const auto *A : R->specific_attrs<AnnotateAttr>())
      if (A->getAnnotation() == What)
        return true;
  return false;
}

llvm::StringRef migratedGlobal(const Decl *D) {
  for (const Decl *R : D->redecls())
    for (const auto *A : R->specific_attrs<AnnotateAttr>())
      if (A->getAnnotation().starts_with("hcr_migrate:"))
        return A->getAnnotation().drop_front(strlen("hcr_migrate:"));
  return {};
}

FunctionDecision classifyFunction(const FunctionDecl *FD,
                                  const ClassifyContext &C) {
  FD = FD->getCanonicalDecl();
  FunctionDecision Out;
  if (!FD->getIdentifier() || FD->getBuiltinID() || FD->isMain() ||
      (C.NonReloadable && C.NonReloadable->contains(FD->getName())) ||
      hasAnnotation(FD, "hcr_non_reloadable") ||
      hasAnnotation(FD, "hcr_before_reload") ||
      hasAnnotation(FD, "hcr_after_reload") || !migratedGlobal(FD).empty())
    return Out;
  for (const FunctionDecl *R : FD->redecls())
    if (R->isInlineSpecified())
      return Out;
  if (const FunctionDecl *Def = FD->getDefinition()) {
    if (!C.IsProjectLoc(Def->getLocation()))
      return Out;
    Out.What = Verdict::Own;
    Out.Owner = C.Module;
  } else if (FD->isExternallyVisible() && C.Project) {
    std::optional<std::string> Owner = C.Project->functionOwner(FD->getName());
    if (!Owner || *Owner == C.Module)
      return Out; // A library's, or a stale index: leave it alone.
    Out.What = Verdict::Imported;
    Out.Owner = *Owner;
  } else {
    return Out;
  }
  for (const FunctionDecl *R : FD->redecls())
    if (!C.IsProjectLoc(R->getLocation())) {
      Out.What = Verdict::DeclaredOutsideProject;
      Out.Culprit = R->getLocation();
      return Out;
    }
  return Out;
}

VariableDecision classifyVariable(const VarDecl *VD, const ASTContext &Ctx,
                                  const ClassifyContext &C) {
  VD = VD->getCanonicalDecl();
  VariableDecision Out;
  if (isa<ParmVarDecl>(VD) || !VD->getIdentifier() ||
      !(VD->isFileVarDecl() || VD->isStaticLocal()))
    return Out;
  bool Const =
      VD->getType().isConstQualified() ||
      (VD->getType()->isArrayType() &&
       Ctx.getAsArrayType(VD->getType())->getElementType().isConstQualified());
  if (VD->isStaticLocal()) {
    const auto *Fn =
        dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
    // Constant data stays in the function, unless its initializer names
    // what the rewrite makes a pointer (a table of functions): then it is
    // hoisted and filled again at every load, as const data is.
    bool ConstTable = Const && VD->getInit() && C.ReadsRewrittenSymbol &&
                      C.ReadsRewrittenSymbol(VD->getInit());
    // A function of the main file; the static written there, or in a
    // project header that the function's body includes (GnuCOBOL declares
    // a program's storage in `prog.c.l.h`, included inside the program's
    // function).
    if (!Fn || !C.InMainFile(Fn->getLocation()) ||
        !(C.InMainFile(VD->getLocation()) ||
          C.IsProjectLoc(VD->getLocation())) ||
        Fn->isInlineSpecified() || (Const && !ConstTable) ||
        !C.StaticLocalsAreState)
      return Out;
    Out.What = Verdict::Own;
    Out.Owner = C.Module;
    Out.Hoisted = true;
    Out.AlwaysInit = ConstTable;
    Out.Function = Fn->getName().str();
  } else {
    // A definition, or else a tentative one ("int x;"), in any redeclaration.
    const VarDecl *Def = VD->getDefinition();
    for (const VarDecl *R : VD->redecls())
      if (!Def &&
          R->isThisDeclarationADefinition() == VarDecl::TentativeDefinition)
        Def = R;
    if (Def && C.IsProjectLoc(Def->getLocation())) {
      if (Const && !VD->isExternallyVisible())
        return Out; // Static const data stays, reloaded with the code.
      Out.What = Verdict::Own;
      Out.Owner = C.Module;
      Out.AlwaysInit = Const && !C.ConstGlobalsAreState;
    } else if (!Def && VD->isExternallyVisible() && C.Project) {
      std::optional<std::string> Owner = C.Project->globalOwner(VD->getName());
      if (!Owner || *Owner == C.Module)
        return Out;
      Out.What = Verdict::Imported;
      Out.Owner = *Owner;
    } else {
      return Out;
    }
    for (const VarDecl *R : VD->redecls())
      if (!C.IsProjectLoc(R->getLocation())) {
        Out.What = Verdict::DeclaredOutsideProject;
        Out.Culprit = R->getLocation();
        return Out;
      }
  }
  if (VD->getTLSKind() != VarDecl::TLS_None) {
    Out.What = Verdict::ThreadLocal;
    Out.Culprit = VD->getLocation();
  }
  return Out;
}

bool mentions(llvm::StringRef Asm, llvm::StringRef Name) {
  for (size_t At = Asm.find(Name); At != llvm::StringRef::npos;
       At = Asm.find(Name, At + 1)) {
    auto IsIdent = [](char C) { return isalnum(C) || C == '_' || C == '$'; };
    bool Before = At == 0 || !IsIdent(Asm[At - 1]);
    bool After =
        At + Name.size() >= Asm.size() || !IsIdent(Asm[At + Name.size()]);
    if (Before && After)
      return true;
  }
  return false;
}

//===-- From decisions to plans -------------------------------------------===//

bool ModuleRewriter::isProjectFile(FileID F) {
  if (F == SM.getMainFileID())
    return true;
  auto [It, New] = ProjectFiles.try_emplace(F, false);
  if (!New)
    return It->second;
  OptionalFileEntryRef Entry = SM.getFileEntryRefForID(F);
  if (!Entry ||
      SrcMgr::isSystem(SM.getFileCharacteristic(SM.getLocForStartOfFile(F))))
    return false;
  std::string Path = absolutePath(Entry->getName());
  for (const std::string &Root : Roots)
    if (llvm::StringRef(Path).starts_with(Root) &&
        (Path.size() == Root.size() ||
         llvm::sys::path::is_separator(Path[Root.size()])))
      return It->second = true;
  return false;
}

ClassifyContext ModuleRewriter::classifyContext() {
  ClassifyContext C;
  C.Module = Module;
  C.Project = Project;
  C.NonReloadable = &NonReloadable;
  C.IsProjectLoc = [this](SourceLocation L) { return isProjectLoc(L); };
  C.InMainFile = [this](SourceLocation L) { return inMainFile(L); };
  C.ConstGlobalsAreState = Conventions->constGlobalsAreState();
  C.StaticLocalsAreState = Conventions->staticLocalsAreState();
  C.ReadsRewrittenSymbol = [this](const Expr *E) {
    return readsRewrittenSymbol(E);
  };
  return C;
}

FunctionPlan *ModuleRewriter::planFor(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  if (auto It = Functions.find(FD); It != Functions.end())
    return It->second ? &*It->second : nullptr;
  std::optional<FunctionPlan> Plan;
  FunctionDecision D = classifyFunction(FD, classifyContext());
  if (D.What == Verdict::DeclaredOutsideProject)
    report(D.Culprit, RewriteDiag::DeclaredOutsideProject) << FD->getName();
  if (D.What == Verdict::Own || D.What == Verdict::Imported) {
    Plan.emplace();
    Plan->Name = FD->getName().str();
    Plan->Owner = D.Owner;
    Plan->Own = D.What == Verdict::Own;
    Plan->Key = Plan->Own ? ownKey(FD)
                : Project ? Project->keyOf(Plan->Name)
                          : Plan->Name;
  }
  auto &Slot = Functions[FD] = std::move(Plan);
  return Slot ? &*Slot : nullptr;
}

VarPlan *ModuleRewriter::planFor(const VarDecl *VD) {
  VD = VD->getCanonicalDecl();
  if (auto It = Vars.find(VD); It != Vars.end())
    return It->second ? &*It->second : nullptr;
  std::optional<VarPlan> Plan;
  VariableDecision D = classifyVariable(VD, Ctx, classifyContext());
  if (D.What == Verdict::DeclaredOutsideProject)
    report(D.Culprit, RewriteDiag::GlobalDeclaredOutsideProject)
        << VD->getName();
  if (D.What == Verdict::ThreadLocal)
    report(D.Culprit, RewriteDiag::ThreadLocal) << VD->getName();
  if (D.What == Verdict::Own || D.What == Verdict::Imported) {
    Plan.emplace();
    Plan->Owner = D.Owner;
    Plan->Own = D.What == Verdict::Own;
    Plan->Hoisted = D.Hoisted;
    Plan->AlwaysInit = D.AlwaysInit;
    Plan->Key = Plan->Slot = VD->getName().str();
    if (!D.Hoisted)
      Plan->Key = Plan->Own ? ownKey(VD)
                  : Project ? Project->keyOf(Plan->Slot)
                            : Plan->Slot;
    if (D.Hoisted) {
      // A local static's slot is named after its function; the key under
      // which it registers too ("f.counter").
      std::string Base = D.Function + "_" + VD->getName().str();
      std::string Key = D.Function + "." + VD->getName().str();
      Plan->Slot = "hcr_static_" + Base;
      Plan->Key = Key;
      for (unsigned N = 2; !HoistedSlots.insert(Plan->Slot).second; ++N) {
        Plan->Slot = "hcr_static_" + Base + "_" + std::to_string(N);
        Plan->Key = Key + "." + std::to_string(N);
      }
    }
  }
  auto &Slot = Vars[VD] = std::move(Plan);
  return Slot ? &*Slot : nullptr;
}

} // namespace hcr::rewrite
