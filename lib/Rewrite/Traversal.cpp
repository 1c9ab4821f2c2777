//===- Traversal.cpp - The rewrite's visit of every declaration and use ---===//
//
// Pre-order over the AST of the module (docs/Rewrite.md has the rules with
// examples): declarations of rewritten functions become pointer statics,
// definitions become static <name>_actual, globals become slots whose
// initializers move; uses become g -> (*g), &f -> f, own calls
// f(x) -> f_actual(x), __typeof__(f) -> __typeof__((*f)). Assembly that
// names a rewritten symbol is an error.
//
//===----------------------------------------------------------------------===//

#include "RewriteInternal.h"

#include "clang/Lex/Lexer.h"

using namespace clang;

namespace hcr::rewrite {

bool ModuleRewriter::VisitFunctionDecl(FunctionDecl *FD) {
  if (FD->isMain() && FD->doesThisDeclarationHaveABody() &&
      inMainFile(FD->getLocation())) {
    // main stays the program's: the runtime starts before it, from a
    // constructor (EntryPoints.cpp).
    Plan.IsHost = true;
    return true;
  }
  if (FD->doesThisDeclarationHaveABody() && inMainFile(FD->getLocation())) {
    if (hasAnnotation(FD, "hcr_before_reload"))
      Plan.Handlers.push_back({true, FD->getName().str()});
    else if (hasAnnotation(FD, "hcr_after_reload"))
      Plan.Handlers.push_back({false, FD->getName().str()});
    else if (llvm::StringRef Global = migratedGlobal(FD); !Global.empty())
      Migrators.push_back({FD, Global.str()});
  }
  FunctionPlan *P = planFor(FD);
  if (!P || !isProjectLoc(FD->getLocation()))
    return true;
  if (FD->doesThisDeclarationHaveABody()) {
    P->DefinitionSeen = true;
    OwnFunctions.push_back(FD);
    if (!FD->getPreviousDecl())
      declareBefore(FD, slotDeclaration(FD, P->Name));
    replaceToken(FD->getLocation(), actualName(P->Name), P->Name);
    makeStatic(FD, FD->getStorageClass());
    return true;
  }
  if (FD->getLexicalDeclContext()->isFunctionOrMethod()) {
    // A block-scope prototype would declare a local pointer that shadows the
    // module's slot: declare the slot at file scope and drop the prototype.
    declareBefore(Top, slotDeclaration(FD, P->Name));
    return true;
  }
  if (replaceMacroDeclaration(FD, P->Name))
    return true;
  makePointer(FD, P->Name);
  makeStatic(FD, FD->getStorageClass());
  insertAt(Lexer::getLocForEndOfToken(declaratorEnd(FD), 0, SM, LO),
           " HCR_SLOT");
  return true;
}

bool ModuleRewriter::replaceMacroDeclaration(const DeclaratorDecl *D,
                                             const std::string &Slot) {
  // A declaration written as a function-like macro's argument (Lua's
  // LUAI_DDEC(const char *const luaT_typenames_[N];)): its text cannot be
  // edited in place, so the whole invocation becomes the slot's own
  // declaration.
  SourceLocation Name = D->getLocation();
  if (!Name.isMacroID() || !SM.isMacroArgExpansion(Name))
    return false;
  CharSourceRange Invocation = SM.getExpansionRange(D->getSourceRange());
  if (Invocation.getBegin() == Invocation.getEnd() ||
      SM.getExpansionRange(Name).getBegin() != Invocation.getBegin())
    return false;
  SourceLocation End =
      Lexer::getLocForEndOfToken(Invocation.getEnd(), 0, SM, LO);
  Edits.replace(Invocation.getBegin(),
                SM.getFileOffset(End) - SM.getFileOffset(Invocation.getBegin()),
                slotDeclaration(D, Slot));
  return true;
}

bool ModuleRewriter::VisitDeclStmt(DeclStmt *DS) {
  for (Decl *D : DS->decls()) {
    if (const auto *FD = dyn_cast<FunctionDecl>(D))
      if (planFor(FD)) {
        if (!DS->isSingleDecl()) {
          report(FD->getLocation(), RewriteDiag::OwnDeclaration)
              << FD->getName();
          return true;
        }
        CharSourceRange R = SM.getExpansionRange(DS->getSourceRange());
        Edits.replace(R.getBegin(),
                      SM.getFileOffset(R.getEnd()) -
                          SM.getFileOffset(R.getBegin()) + 1,
                      "");
      }
    const auto *VD = dyn_cast<VarDecl>(D);
    VarPlan *P = VD ? planFor(VD) : nullptr;
    if (!P || !P->Hoisted)
      continue;
    std::string SlotText;
    if (!DS->isSingleDecl()) {
      // `static struct { int n; } local = {5};`: the type is defined here,
      // so the slot at file scope repeats its definition.
      SlotText = slotWithOwnType(DS, VD, P->Slot);
      if (SlotText.empty()) {
        report(VD->getLocation(), RewriteDiag::OwnLocalStaticDeclaration)
            << VD->getName();
        continue;
      }
    }
    CharSourceRange R = SM.getExpansionRange(DS->getSourceRange());
    auto [File, Begin] = SM.getDecomposedLoc(R.getBegin());
    unsigned End = SM.getDecomposedLoc(R.getEnd()).second + 1; // The ';'.
    unsigned InitBegin = Begin, InitEnd = Begin;
    if (const Expr *Init = VD->getInit()) {
      CharSourceRange IR = SM.getExpansionRange(Init->getSourceRange());
      InitBegin = SM.getDecomposedLoc(IR.getBegin()).second;
      InitEnd = SM.getDecomposedLoc(IR.getEnd()).second +
                Lexer::MeasureTokenLength(IR.getEnd(), SM, LO);
    }
    moveToFileScope(VD);
    Moved.push_back(MovedText{VD, File, Begin, InitBegin, InitEnd, End});
    declareBefore(Top,
                  SlotText.empty() ? slotDeclaration(VD, P->Slot) : SlotText);
    OwnGlobals.push_back(VD);
  }
  return true;
}

std::string ModuleRewriter::slotWithOwnType(const DeclStmt *DS,
                                            const VarDecl *VD,
                                            const std::string &Slot) {
  auto Decls = DS->decls();
  auto It = Decls.begin();
  const auto *Tag = dyn_cast<TagDecl>(*It);
  if (!Tag || !Tag->isCompleteDefinition() || ++It == Decls.end() ||
      *It != VD || ++It != Decls.end())
    return "";
  // The tag's definition and VD's declarator, as written, outside macros.
  SourceLocation TagBegin = Tag->getBeginLoc(), TagEnd = Tag->getEndLoc();
  SourceLocation Name = VD->getLocation(), DeclEnd = declaratorEnd(VD);
  for (SourceLocation L : {TagBegin, TagEnd, Name, DeclEnd})
    if (L.isMacroID() || SM.getFileID(L) != SM.getMainFileID())
      return "";
  auto Text = [&](SourceLocation B, SourceLocation E) {
    return Lexer::getSourceText(CharSourceRange::getTokenRange(B, E), SM, LO)
        .str();
  };
  std::string Declarator = Text(Name, DeclEnd);
  std::string Own = VD->getName().str();
  if (!llvm::StringRef(Declarator).starts_with(Own))
    return "";
  return "static " + Text(TagBegin, TagEnd) + " (*" + Slot + ")" +
         Declarator.substr(Own.size()) + " HCR_SLOT; ";
}

bool ModuleRewriter::VisitVarDecl(VarDecl *VD) {
  VarPlan *P = planFor(VD);
  if (!P && VD->isFileVarDecl() && VD->getInit() &&
      VD->getStorageClass() == SC_Static && isProjectLoc(VD->getLocation()) &&
      readsRewrittenSymbol(VD->getInit()))
    makeLinkTimeTable(VD);
  if (!P || P->Hoisted || !isProjectLoc(VD->getLocation()))
    return true;
  if (P->Own &&
      VD->isThisDeclarationADefinition() != VarDecl::DeclarationOnly &&
      !P->Registered) {
    P->Registered = true;
    OwnGlobals.push_back(VD);
  }
  // An array completed by its initializer keeps its size in the slot type.
  if (TypeSourceInfo *TSI = VD->getTypeSourceInfo())
    if (auto Inc = TSI->getTypeLoc().getAs<IncompleteArrayTypeLoc>())
      if (const auto *CAT = Ctx.getAsConstantArrayType(VD->getType()))
        insertAt(SM.getExpansionLoc(Inc.getRBracketLoc()),
                 std::to_string(CAT->getSize().getZExtValue()));
  if (VD->isThisDeclarationADefinition() == VarDecl::DeclarationOnly &&
      replaceMacroDeclaration(VD, P->Slot))
    return true;
  makePointer(VD, P->Slot);
  makeStatic(VD, VD->getStorageClass());
  if (VD->getInit()) {
    removeInitializer(VD, *P);
  } else {
    insertAt(Lexer::getLocForEndOfToken(declaratorEnd(VD), 0, SM, LO),
             " HCR_SLOT");
  }
  return true;
}

bool ModuleRewriter::VisitCallExpr(CallExpr *CE) {
  const auto *DRE =
      dyn_cast<DeclRefExpr>(CE->getCallee()->IgnoreParenImpCasts());
  if (!DRE)
    return true;
  Callees.insert(DRE);
  if (Opts.AllCallsIndirect)
    return true;
  const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl());
  FunctionPlan *P = FD ? planFor(FD) : nullptr;
  // Only calls written in the main file: a project header is shared by
  // modules that must all call through the slot.
  if (P && P->Own &&
      SM.getFileID(SM.getSpellingLoc(DRE->getLocation())) == SM.getMainFileID())
    DirectCalls.insert(DRE);
  return true;
}

bool ModuleRewriter::VisitUnaryOperator(UnaryOperator *UO) {
  if (UO->getOpcode() != UO_AddrOf)
    return true;
  const auto *DRE = dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParens());
  const auto *FD = DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
  if (FD && planFor(FD)) {
    replaceToken(UO->getOperatorLoc(), "", FD->getName()); // &f -> f
    AddressOperands.insert(DRE);
  }
  return true;
}

bool ModuleRewriter::TraverseTypeOfExprTypeLoc(TypeOfExprTypeLoc TL) {
  ++InTypeOf;
  bool Continue = RecursiveASTVisitor::TraverseTypeOfExprTypeLoc(TL);
  --InTypeOf;
  return Continue;
}

bool ModuleRewriter::VisitDeclRefExpr(DeclRefExpr *DRE) {
  noteReference(DRE->getDecl());
  if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl())) {
    FunctionPlan *P = planFor(FD);
    if (!P)
      return true;
    P->Referenced = true;
    P->AddressUsed |= !Callees.contains(DRE);
    // `__typeof__(f)` is f's function type: the pointer's is not.
    if (InTypeOf && !Callees.contains(DRE) && !AddressOperands.contains(DRE))
      replaceToken(DRE->getLocation(), "(*" + P->Name + ")", P->Name);
    if (DirectCalls.contains(DRE)) {
      replaceToken(DRE->getLocation(), actualName(P->Name), P->Name);
      if (!P->DefinitionSeen && !P->ForwardDeclared && Top) {
        P->ForwardDeclared = true;
        declareBefore(Top, declarationOfActual(FD, P->Name));
      }
    }
    return true;
  }
  if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
    VarPlan *P = planFor(VD);
    if (!P)
      return true;
    P->Referenced = true;
    replaceToken(DRE->getLocation(), "(*" + P->Slot + ")", VD->getName());
  }
  return true;
}

bool ModuleRewriter::VisitGCCAsmStmt(GCCAsmStmt *S) {
  llvm::StringRef Asm = S->getAsmString()->getString();
  for (auto &[D, P] : Vars)
    if (P && mentions(Asm, D->getName()))
      report(S->getAsmLoc(), RewriteDiag::AsmNamesGlobal) << D->getName();
  for (auto &[D, P] : Functions)
    if (P && mentions(Asm, D->getName()))
      report(S->getAsmLoc(), RewriteDiag::AsmNamesFunction) << D->getName();
  return true;
}

bool ModuleRewriter::VisitFileScopeAsmDecl(FileScopeAsmDecl *D) {
  llvm::StringRef Asm = D->getAsmString()->getString();
  for (const Decl *TD : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *ND = dyn_cast<NamedDecl>(TD);
    if (!ND || !ND->getIdentifier() || !mentions(Asm, ND->getName()))
      continue;
    if ((isa<VarDecl>(ND) && planFor(cast<VarDecl>(ND))) ||
        (isa<FunctionDecl>(ND) && planFor(cast<FunctionDecl>(ND))))
      report(D->getAsmLoc(), RewriteDiag::FileAsmNamesSymbol) << ND->getName();
  }
  return true;
}

} // namespace hcr::rewrite
