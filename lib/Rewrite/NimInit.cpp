//===- NimInit.cpp - A Nim module initializes itself ----------------------===//
//
// A Nim module's DatInit000 fills its type information; its Init000 runs
// its top-level statements, the non-constant initializers of its globals
// among them. At start hcrNimPreMain (the program module) calls both in
// Nim's order. The semantics of Nim's own hot code reloading follow:
//   - Init000's top-level code runs once, when the module is first loaded
//     (a module with no loaded copy registers its "loaded" marker anew);
//   - when a reload loads a module's new code, DatInit000 runs again (the
//     type information must describe this copy), and of Init000 only the
//     statements that initialize a global this code registers for the first
//     time run, with the statements whose temporaries they read;
//   - a refc GC marker of a global is not registered with the GC, which
//     would call into unloaded code; it becomes the global's visitor in
//     libhcr (hcr_set_global_visitor), and the program module registers
//     hcr_visit_globals with the GC once.
// The reload's phase 3 (the module's init entry point) calls DatInit000 and
// Init000 when hcr_generation() says a reload is running.
//
//===----------------------------------------------------------------------===//

#include "RewriteInternal.h"

#include "clang/AST/ParentMap.h"
#include "clang/Lex/Lexer.h"

#include <map>

using namespace clang;

namespace hcr::rewrite {

namespace {

bool endsWith(const FunctionDecl *FD, llvm::StringRef Suffix) {
  return FD->getIdentifier() && FD->getName().ends_with(Suffix);
}

/// Frame and error-flag bookkeeping of Nim's C: runs at every load.
bool isBookkeepingLocal(const VarDecl *V) {
  return V->getName() == "FR_" || V->getName() == "nimErr_";
}
bool isBookkeepingCall(const FunctionDecl *F) {
  static const char *const Names[] = {"nimFrame", "popFrame", "nimErrorFlag",
                                      "nimTestErrorFlag"};
  return F->getBuiltinID() || llvm::is_contained(Names, F->getName());
}

/// One top-level statement of Init000, or the statements of one macro
/// expansion (nimfr_ is several).
struct Unit {
  SourceLocation Begin, End;
  std::vector<Stmt *> Stmts;
  bool Always = false;          ///< Bookkeeping, or a declaration.
  std::set<std::string> Writes; ///< Slots of own globals written.
  std::set<const VarDecl *> LocalWrites, LocalReads; ///< Init000's locals.

  const FunctionDecl *Marker = nullptr; ///< nimRegisterGlobalMarker(Marker).
};

} // namespace

void ModuleRewriter::finishNimInit(ModulePlan &P) {
  if (P.IsHost)
    return;
  FunctionDecl *Init = nullptr, *DatInit = nullptr;
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (auto *FD = dyn_cast<FunctionDecl>(D))
      if (FD->doesThisDeclarationHaveABody() && inMainFile(FD->getLocation())) {
        if (endsWith(FD, "_DatInit000"))
          DatInit = FD;
        else if (endsWith(FD, "_Init000"))
          Init = FD;
      }
  auto CallOf = [&](FunctionDecl *FD) {
    FunctionPlan *FP = planFor(FD);
    return (FP && FP->Own ? actualName(FP->Name) : FD->getName().str()) + "();";
  };
  std::string OnReload;
  if (DatInit)
    OnReload += CallOf(DatInit) + " ";
  if (Init)
    OnReload += CallOf(Init) + " ";
  if (OnReload.empty())
    return;
  P.ExtraInit.push_back("if (hcr_generation() > 0) { " + OnReload + "}");
  if (!Init)
    return;

  // Init000's statements, by unit.
  std::vector<Stmt *> Stmts;
  for (Stmt *S : cast<CompoundStmt>(Init->getBody())->body())
    if (auto *CS = dyn_cast<CompoundStmt>(S))
      Stmts.insert(Stmts.end(), CS->body_begin(), CS->body_end());
    else
      Stmts.push_back(S);
  std::vector<Unit> Units;
  for (Stmt *S : Stmts) {
    SourceLocation Begin = SM.getExpansionLoc(S->getBeginLoc());
    if (!Units.empty() && S->getBeginLoc().isMacroID() &&
        Units.back().Begin == Begin) {
      Units.back().Stmts.push_back(S);
      Units.back().End = endOfStatement(S);
      continue;
    }
    Units.push_back(Unit{Begin, endOfStatement(S), {S}});
  }

  ParentMap Parents(Init->getBody());
  auto IsWrite = [&](const Expr *E) {
    // Climb through what keeps the same object: parentheses, no-op casts,
    // member access and subscripts of it.
    const Stmt *Child = E;
    bool Decayed = false;
    for (const Stmt *Parent = Parents.getParent(Child); Parent;
         Child = Parent, Parent = Parents.getParent(Child)) {
      if (isa<ParenExpr>(Parent))
        continue;
      if (const auto *IC = dyn_cast<ImplicitCastExpr>(Parent)) {
        if (IC->getCastKind() == CK_ArrayToPointerDecay) {
          Decayed = true;
          continue;
        }
        if (IC->getCastKind() == CK_NoOp)
          continue;
        return false;
      }
      if (const auto *ME = dyn_cast<MemberExpr>(Parent)) {
        if (ME->getBase() == Child && !ME->isArrow())
          continue;
        return false;
      }
      if (const auto *AS = dyn_cast<ArraySubscriptExpr>(Parent)) {
        if (AS->getBase() == Child)
          continue;
        return false;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(Parent))
        return BO->isAssignmentOp() && BO->getLHS() == Child;
      if (const auto *UO = dyn_cast<UnaryOperator>(Parent))
        return UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf;
      // An array whose address escapes may be written through it.
      return Decayed;
    }
    return false;
  };

  struct Scan : RecursiveASTVisitor<Scan> {
    ModuleRewriter &R;
    Unit &U;
    FunctionDecl *Init;
    std::function<bool(const Expr *)> &IsWrite;
    ParentMap &Parents;
    bool Trivial = true;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      auto *V = dyn_cast<VarDecl>(E->getDecl());
      if (!V)
        return true;
      if (V->isLocalVarDecl() && V->getDeclContext() == Init) {
        if (!isBookkeepingLocal(V)) {
          // A temporary passed to a call may be changed through it
          // (appendString(T2_, ...) builds the string T2_ points to).
          bool Passed = false;
          for (const Stmt *Child = E, *Parent = Parents.getParent(E); Parent;
               Child = Parent, Parent = Parents.getParent(Child)) {
            if (isa<ParenExpr, ImplicitCastExpr, CStyleCastExpr>(Parent))
              continue;
            Passed = isa<CallExpr>(Parent) &&
                     cast<CallExpr>(Parent)->getCallee() != Child;
            break;
          }
          (Passed || IsWrite(E) ? U.LocalWrites : U.LocalReads).insert(V);
          Trivial = false;
        }
        return true;
      }
      VarPlan *VP = R.planFor(V);
      if (VP && VP->Own && !VP->Hoisted) {
        Trivial = false;
        if (IsWrite(E))
          U.Writes.insert(VP->Slot);
      }
      return true;
    }
    bool VisitCallExpr(CallExpr *CE) {
      const FunctionDecl *F = CE->getDirectCallee();
      if (!F || !isBookkeepingCall(F))
        Trivial = false;
      return true;
    }
  };
  std::function<bool(const Expr *)> Writes = IsWrite;
  for (Unit &U : Units) {
    Scan S{{}, *this, U, Init, Writes, Parents};
    for (Stmt *St : U.Stmts)
      S.TraverseStmt(St);
    // A declaration stays where it is, in scope of what follows.
    U.Always |= S.Trivial || llvm::any_of(U.Stmts, [](const Stmt *St) {
                  return isa<DeclStmt>(St);
                });
    // nimRegisterGlobalMarker(marker): the marker visits the globals it
    // names.
    if (U.Stmts.size() == 1)
      if (auto *CE = dyn_cast<CallExpr>(U.Stmts[0]))
        if (const FunctionDecl *F = CE->getDirectCallee();
            F && F->getName() == "nimRegisterGlobalMarker" &&
            CE->getNumArgs() == 1)
          if (auto *DRE =
                  dyn_cast<DeclRefExpr>(CE->getArg(0)->IgnoreParenCasts()))
            U.Marker = dyn_cast<FunctionDecl>(DRE->getDecl());
  }

  // A unit runs on reload if it writes a new global, or writes a temporary
  // that a later unit which runs uses.
  std::vector<std::set<std::string>> Cond(Units.size());
  for (size_t I = Units.size(); I-- > 0;) {
    if (Units[I].Always || Units[I].Marker)
      continue;
    Cond[I] = Units[I].Writes;
    for (size_t J = I + 1; J < Units.size(); ++J)
      if (!Units[J].Always &&
          llvm::any_of(Units[I].LocalWrites, [&](const VarDecl *V) {
            return Units[J].LocalReads.count(V) ||
                   Units[J].LocalWrites.count(V);
          }))
        Cond[I].insert(Cond[J].begin(), Cond[J].end());
  }

  std::set<std::string> Flags;
  for (size_t I = 0; I < Units.size(); ++I) {
    Unit &U = Units[I];
    if (U.Marker) {
      // The globals the marker visits get it as their visitor.
      FunctionPlan *MP = planFor(U.Marker);
      const FunctionDecl *Def = U.Marker->getDefinition();
      if (!MP || !MP->Own || !Def)
        continue;
      struct Visited : RecursiveASTVisitor<Visited> {
        ModuleRewriter &R;
        std::set<std::string> Keys;
        bool VisitDeclRefExpr(DeclRefExpr *E) {
          if (auto *V = dyn_cast<VarDecl>(E->getDecl()))
            if (VarPlan *VP = R.planFor(V); VP && VP->Own && !VP->Hoisted)
              Keys.insert(VP->Key);
          return true;
        }
      } V{{}, *this, {}};
      V.TraverseStmt(Def->getBody());
      for (const std::string &Key : V.Keys)
        P.ExtraRegistrations.push_back("hcr_set_global_visitor(\"" + Module +
                                       "\", \"" + Key + "\", (hcr_handler_fn)" +
                                       actualName(MP->Name) + ");");
      replaceRange(U.Begin, U.End, "");
      continue;
    }
    if (U.Always)
      continue;
    std::string Guard = "if (hcr_nim_first_load";
    for (const std::string &Slot : Cond[I]) {
      Guard += " || hcr_is_new_" + Slot;
      Flags.insert(Slot);
    }
    insertAt(U.Begin, Guard + ") { ");
    insertAt(U.End, " }");
  }
  std::string Declarations = "static int hcr_nim_first_load; ";
  for (const std::string &Slot : Flags)
    Declarations += "static int hcr_is_new_" + Slot + "; ";
  declareBefore(Init, Declarations);
  P.ExtraDeclarations.push_back("static char *hcr_nim_loaded HCR_SLOT;");
  P.ExtraRegistrations.push_back(
      "hcr_nim_first_load = hcr_register_global(\"" + Module +
      "\", \"hcr.nim.loaded\", 1, 1, (void **)&hcr_nim_loaded);");
}

} // namespace hcr::rewrite
