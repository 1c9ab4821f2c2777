//===- NimHost.cpp - What leaves the host of a Nim program ----------------===//
//
// Nim's main module names every module of the program: PreMain and
// PreMainInner call each module's DatInit000 and Init000, and with ORC the
// end of NimMainModule destroys every module's globals. Left in the host,
// they would make it change (and ask for a restart) whenever a module is
// added, or a global moves. When the project has the module that hcr-build
// generates from PreMain (hcr_nim_program, lib/Build/NimProgram.cpp), the
// host's PreMain calls its hcrNimPreMain instead, and the destructors of
// other modules' globals are dropped: the globals live in the runtime,
// which frees them at exit. The text removed keeps its lines, so that the
// host's line numbers stay Nim's.
//
//===----------------------------------------------------------------------===//

#include "RewriteInternal.h"

#include "clang/Lex/Lexer.h"

using namespace clang;

namespace hcr::rewrite {

namespace {
constexpr const char *ProgramModule = "hcr_nim_program";
constexpr const char *ProgramPreMain = "hcrNimPreMain";

/// The newlines of Text, to keep the lines of what replaces it.
std::string newlinesOf(llvm::StringRef Text) {
  return std::string(Text.count('\n'), '\n');
}
} // namespace

bool ModuleRewriter::TraverseStmt(Stmt *S, DataRecursionQueue *Queue) {
  if (S && SkippedStmts.contains(S))
    return true;
  return RecursiveASTVisitor::TraverseStmt(S, Queue);
}

SourceLocation ModuleRewriter::endOfStatement(const Stmt *S) {
  SourceLocation Last = SM.getExpansionRange(S->getEndLoc()).getEnd();
  SourceLocation AfterSemi = Lexer::findLocationAfterToken(
      Last, tok::semi, SM, LO, /*SkipTrailingWhitespaceAndNewLine=*/false);
  return AfterSemi.isValid() ? AfterSemi
                             : Lexer::getLocForEndOfToken(Last, 0, SM, LO);
}

void ModuleRewriter::replaceRange(SourceLocation Begin, SourceLocation End,
                                  llvm::StringRef Text) {
  auto [File, B] = SM.getDecomposedLoc(Begin);
  unsigned E = SM.getDecomposedLoc(End).second;
  Edits.dropWithin(File, B, E);
  if (!Edits.replace(Begin, E - B, Text))
    report(Begin, RewriteDiag::CannotInsert);
}

void ModuleRewriter::planNimHost() {
  if (!Project || !Project->module(ProgramModule))
    return;
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() ||
        !inMainFile(FD->getLocation()))
      continue;
    llvm::StringRef Name = FD->getName();
    if (Name == "PreMain" || Name == "PreMainInner") {
      Stmt *Body = FD->getBody();
      SkippedStmts.insert(Body);
      CharSourceRange R = SM.getExpansionRange(Body->getSourceRange());
      SourceLocation End = R.getEnd().getLocWithOffset(1);
      llvm::StringRef Old(SM.getCharacterData(R.getBegin()),
                          SM.getFileOffset(End) -
                              SM.getFileOffset(R.getBegin()));
      std::string Call =
          Name == "PreMain" ? std::string(" ") + ProgramPreMain + "(); " : "";
      NimHostEdits.push_back(
          {R.getBegin(), End, "{" + Call + newlinesOf(Old) + "}"});
      NimHost = true;
      continue;
    }
    if (Name != "NimMainModule")
      continue;
    // ORC's destructors of other modules' globals, each after the nimln_
    // of the global's line in its own module.
    std::vector<Stmt *> Stmts;
    std::function<void(Stmt *)> Flatten = [&](Stmt *S) {
      if (auto *CS = dyn_cast<CompoundStmt>(S))
        for (Stmt *C : CS->body())
          Flatten(C);
      else
        Stmts.push_back(S);
    };
    Flatten(FD->getBody());
    for (size_t I = 0; I < Stmts.size(); ++I) {
      auto *CE = dyn_cast<CallExpr>(Stmts[I]);
      const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
      if (!Callee || !Callee->getName().starts_with("eqdestroy_") ||
          CE->getNumArgs() != 1)
        continue;
      const Expr *Arg = CE->getArg(0)->IgnoreParenCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(Arg))
        Arg = UO->getSubExpr()->IgnoreParenCasts();
      const auto *DRE = dyn_cast<DeclRefExpr>(Arg);
      const auto *Global = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      VarPlan *GP = Global ? planFor(Global) : nullptr;
      if (!GP || GP->Own)
        continue;
      SkippedStmts.insert(Stmts[I]);
      SourceLocation Begin = SM.getExpansionLoc(Stmts[I]->getBeginLoc());
      NimHostEdits.push_back({Begin, endOfStatement(Stmts[I]), ""});
      // The nimln_ before it (its statements share one expansion, and the
      // ';' after it is an empty statement).
      std::optional<SourceLocation> Line;
      for (size_t J = I; J-- > 0;) {
        SourceLocation L = Stmts[J]->getBeginLoc();
        if (isa<NullStmt>(Stmts[J]) && !Line)
          continue;
        if (!L.isMacroID() ||
            Lexer::getImmediateMacroName(L, SM, LO) != "nimln_" ||
            (Line && *Line != SM.getExpansionLoc(L)))
          break;
        SkippedStmts.insert(Stmts[J]);
        if (!Line)
          NimHostEdits.push_back(
              {SM.getExpansionLoc(L), endOfStatement(Stmts[J]), ""});
        Line = SM.getExpansionLoc(L);
      }
    }
  }
}

void ModuleRewriter::finishNimHost(ModulePlan &P) {
  if (!NimHost)
    return;
  for (const RangeEdit &E : NimHostEdits)
    replaceRange(E.Begin, E.End, E.Text);
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (auto *FD = dyn_cast<FunctionDecl>(D))
      if (FD->getName() == "PreMain" && FD->doesThisDeclarationHaveABody()) {
        declareBefore(FD, std::string("static void (*") + ProgramPreMain +
                              ")(void) HCR_SLOT; ");
        break;
      }
  P.ProcLookups.push_back({ProgramModule, ProgramPreMain, ProgramPreMain});
  if (!llvm::is_contained(P.Imports, ProgramModule))
    P.Imports.insert(P.Imports.begin(), ProgramModule);
}

} // namespace hcr::rewrite
