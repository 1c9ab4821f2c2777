//===- RuntimeTables.cpp - Constant data that names functions -------------===//
//
// `static const luaL_Reg funcs[] = {{"assert", luaB_assert}, ...}` is
// constant data whose initializer names functions; csmith's
// `static int *const g[2] = {&a, &b}` names globals. Once the rewrite has
// made those functions and globals pointer slots, the initializer is no
// longer a constant expression. By C's rules the table holds each
// function's address, and `&f` must be the same everywhere: the table
// holds the function's permanent address (its trampoline), which is known
// only once the module is registered and linked. So the table stays a
// static of the module's code (each copy has its own, as before), loses
// its top-level `const`, and the module's link entry point fills it from
// the rewritten initializer (docs/Rewrite.md).
//
//===----------------------------------------------------------------------===//

#include "RewriteInternal.h"

#include "clang/Lex/Lexer.h"

using namespace clang;

namespace hcr::rewrite {

void ModuleRewriter::makeLinkTimeTable(const VarDecl *VD) {
  const Expr *Init = VD->getInit();
  CharSourceRange R = SM.getExpansionRange(Init->getSourceRange());
  auto [File, Begin] = SM.getDecomposedLoc(R.getBegin());
  unsigned End = SM.getDecomposedLoc(R.getEnd()).second +
                 Lexer::MeasureTokenLength(R.getEnd(), SM, LO);
  llvm::StringRef Buffer = SM.getBufferData(File);
  unsigned Eq = Begin;
  while (Eq > 0 && Buffer[Eq - 1] != '=')
    --Eq;
  if (Eq == 0 || (File != SM.getMainFileID() && !isProjectFile(File))) {
    report(VD->getLocation(), RewriteDiag::InitializerNotInMainFile)
        << VD->getName();
    return;
  }
  if (reportCompoundLiteral(VD))
    return;
  // The top-level const goes: the element type's, written before the
  // declarator ("const T x[]"), or a const pointer's, the last const
  // before the name ("T *const x[]").
  QualType Element = VD->getType();
  while (const ArrayType *A = Ctx.getAsArrayType(Element))
    Element = A->getElementType();
  if (Element.isConstQualified()) {
    SourceLocation Const, FirstConst;
    bool StarSeen = false;
    for (const auto &[Tok, Spelling] :
         writtenTokens(SM, LO, VD->getBeginLoc(), VD->getLocation())) {
      if (Tok.is(tok::star))
        StarSeen = true;
      if (Spelling == "const") {
        Const = Tok.getLocation();
        if (!StarSeen && FirstConst.isInvalid())
          FirstConst = Tok.getLocation();
      }
    }
    SourceLocation Drop = Element->isPointerType() ? Const : FirstConst;
    if (Drop.isValid())
      replaceToken(Drop, "", "const");
  }
  // An array completed by its initializer keeps its size.
  if (TypeSourceInfo *TSI = VD->getTypeSourceInfo())
    if (auto Inc = TSI->getTypeLoc().getAs<IncompleteArrayTypeLoc>())
      if (const auto *CAT = Ctx.getAsConstantArrayType(VD->getType()))
        insertAt(SM.getExpansionLoc(Inc.getRBracketLoc()),
                 std::to_string(CAT->getSize().getZExtValue()));
  Tables.push_back(MovedText{VD, File, Eq - 1, Begin, End, End});
}

} // namespace hcr::rewrite
