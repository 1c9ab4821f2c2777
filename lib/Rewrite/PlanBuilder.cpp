//===- PlanBuilder.cpp - The module's plan and the rewrite's result -------===//
//
// After the traversal: initializers move into hcr_module_init with their
// own edits applied, the plan of the module ABI's entry points is gathered
// from the traversal's plans (EntryPoints.cpp turns it into text), and the
// edits become the result.
//
//===----------------------------------------------------------------------===//

#include "GlobalLayout.h"
#include "RewriteInternal.h"

#include "hcr/Rewrite/ProjectFiles.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <tuple>

using namespace clang;

namespace hcr::rewrite {

void ModuleRewriter::moveInitializers() {
  for (const MovedText &T : Tables) {
    InitLocs[T.Var->getCanonicalDecl()] =
        SM.getComposedLoc(T.File, T.InitBegin);
    Plan.Tables.push_back(
        {T.Var->getName().str(),
         Edits.rewrittenText(T.File, T.InitBegin, T.InitEnd)});
    Edits.dropWithin(T.File, T.Cut, T.End);
    if (!Edits.replace(SM.getComposedLoc(T.File, T.Cut), T.End - T.Cut, ""))
      report(T.Var->getLocation(), RewriteDiag::CannotMoveInitializer)
          << T.Var->getName();
  }
  for (const MovedText &M : Moved) {
    if (M.InitBegin != M.InitEnd) {
      Inits[M.Var->getCanonicalDecl()] =
          Edits.rewrittenText(M.File, M.InitBegin, M.InitEnd);
      InitLocs[M.Var->getCanonicalDecl()] =
          SM.getComposedLoc(M.File, M.InitBegin);
    }
    Edits.dropWithin(M.File, M.Cut, M.End);
    llvm::StringRef Buffer = SM.getBufferData(M.File);
    bool Spaced = M.Cut > 0 && isspace(Buffer[M.Cut - 1]);
    if (!Edits.replace(SM.getComposedLoc(M.File, M.Cut), M.End - M.Cut,
                       M.Var->isStaticLocal() ? ""
                       : Spaced               ? "HCR_SLOT"
                                              : " HCR_SLOT"))
      report(M.Var->getLocation(), RewriteDiag::CannotMoveInitializer)
          << M.Var->getName();
  }
}

bool ModuleRewriter::readsRewrittenSymbol(const Expr *Init) {
  struct Reads : RecursiveASTVisitor<Reads> {
    ModuleRewriter &R;
    bool Found = false;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      if (const auto *F = dyn_cast<FunctionDecl>(E->getDecl()))
        Found |= R.planFor(F) != nullptr;
      if (const auto *V = dyn_cast<VarDecl>(E->getDecl()))
        Found |= R.planFor(V) != nullptr;
      return true;
    }
  } Check{{}, *this};
  Check.TraverseStmt(const_cast<Expr *>(Init));
  return Check.Found;
}

ModulePlan ModuleRewriter::buildPlan() {
  LayoutWriter Layouts(Ctx);
  ModulePlan P = std::move(Plan);
  P.Module = Module;
  P.DebugNames = Opts.DebugNames;
  // The host is never reloaded: its identity is its machine code, which
  // hcr-build compares (an edit elsewhere that only renames what the host
  // calls, as Nim's counters do, leaves it the same).
  P.Signature = P.IsHost ? "host"
                         : llvm::utohexstr(llvm::xxh3_64bits(
                               SM.getBufferData(SM.getMainFileID())));
  for (const FunctionDecl *FD : OwnFunctions)
    P.Procs.push_back({FD->getName().str(), ownKey(FD)});
  for (const VarDecl *VD : OwnGlobals) {
    VarPlan *V = planFor(VD);
    ModulePlan::Global G;
    G.Init = Inits.lookup(VD->getCanonicalDecl());
    G.Key = V->Key;
    G.Slot = V->Slot;
    G.Name = VD->getName().str();
    G.External = !V->Hoisted && VD->hasExternalFormalLinkage();
    if (V->Hoisted)
      if (const auto *Fn =
              dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod())) {
        FunctionPlan *FP = planFor(Fn);
        G.Function = FP && FP->Own ? actualName(FP->Name) : Fn->getName().str();
        G.Line =
            SM.getPresumedLoc(SM.getExpansionLoc(VD->getLocation())).getLine();
      }
    G.Align = Ctx.getDeclAlign(VD).getQuantity();
    G.AlwaysInit = V->AlwaysInit;
    if (Conventions->globalsMigrate())
      G.Layout = Layouts.layoutOf(VD->getType());
    // Static storage is fine for the temporary unless the initializer reads
    // something the rewrite turned into a pointer.
    G.ConstantInit = !VD->getInit() || !readsRewrittenSymbol(VD->getInit());
    P.Globals.push_back(std::move(G));
  }
  for (auto &[FD, Global] : Migrators) {
    const VarDecl *Migrated = nullptr;
    for (const VarDecl *VD : OwnGlobals)
      if (VD->getName() == Global && !planFor(VD)->Hoisted)
        Migrated = VD;
    if (!Migrated) {
      report(FD->getLocation(), RewriteDiag::MigratorWithoutGlobal) << Global;
      continue;
    }
    P.Migrators.push_back({planFor(Migrated)->Key, FD->getName().str()});
  }
  // Imports in the order the module first declares a symbol of each (a
  // generated program module lists Nim's modules in Nim's order), which is
  // the order the runtime walks them in.
  std::map<std::string, SourceLocation> Imports;
  auto Import = [&](const std::string &Owner, const Decl *D) {
    SourceLocation L = SM.getExpansionLoc(D->getCanonicalDecl()->getLocation());
    auto [It, New] = Imports.try_emplace(Owner, L);
    if (!New && SM.isBeforeInTranslationUnit(L, It->second))
      It->second = L;
  };
  for (auto &[FD, F] : Functions)
    if (F && !F->Own && F->Referenced) {
      P.ProcLookups.push_back(
          {F->Owner, F->Name, F->Key, Opts.SlotPatching && !F->AddressUsed});
      Import(F->Owner, FD);
    }
  for (auto &[VD, V] : Vars)
    if (V && !V->Own && V->Referenced) {
      P.GlobalLookups.push_back({V->Owner, V->Slot, V->Key});
      Import(V->Owner, VD);
    }
  auto ByName = [](const ModulePlan::Lookup &A, const ModulePlan::Lookup &B) {
    return std::tie(A.Owner, A.Name) < std::tie(B.Owner, B.Name);
  };
  llvm::sort(P.ProcLookups, ByName);
  llvm::sort(P.GlobalLookups, ByName);
  std::vector<std::pair<SourceLocation, std::string>> ByPlace;
  for (auto &[Owner, L] : Imports)
    ByPlace.push_back({L, Owner});
  std::stable_sort(ByPlace.begin(), ByPlace.end(),
                   [&](const auto &A, const auto &B) {
                     return SM.isBeforeInTranslationUnit(A.first, B.first);
                   });
  for (auto &[L, Owner] : ByPlace)
    P.Imports.push_back(Owner);
  return P;
}

ModuleRewrite ModuleRewriter::run() {
  ModuleRewrite Result;
  DiagnosticsEngine &Diags = Ctx.getDiagnostics();
  if (Opts.IndexOnly || Diags.hasErrorOccurred()) {
    Result.Index = collectIndex(/*TraverseForReferences=*/true);
    Result.Succeeded = !Diags.hasErrorOccurred();
    return Result;
  }
  bool Nim = Conventions->initializesModulesFromMain();
  if (Nim)
    planNimHost();
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    Top = D;
    TraverseDecl(D);
  }
  Top = nullptr;
  Result.Index = collectIndex(/*TraverseForReferences=*/false);
  moveInitializers();
  ModulePlan P = buildPlan();
  if (!P.IsHost && Conventions->stateOutlivesCopies())
    P.ExtraRegistrations.push_back("hcr_retain_replaced_code(\"" + Module +
                                   "\");");
  if (Nim) {
    finishNimHost(P);
    finishNimInit(P);
  }

  checkGeneratedNames(P);
  FileID Main = SM.getMainFileID();
  Edits.insert(SM.getLocForStartOfFile(Main), emitPrologue(),
               SourceEdits::First);
  insertAt(SM.getLocForEndOfFile(Main), entryPointsText(P));

  if (Failed || Diags.hasErrorOccurred())
    return Result;
  for (auto &[Path, R] : Edits.toReplacements())
    Result.Edits[absolutePath(Path)] = std::move(R);
  for (const FileStamp &Input : Result.Index.Inputs)
    Result.Edits.try_emplace(Input.Path);
  Result.Succeeded = true;
  return Result;
}

} // namespace hcr::rewrite
