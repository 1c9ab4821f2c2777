//===- DeclarationEdits.cpp - The rewrite's edit primitives ---------------===//
//
// Each primitive edits the text of one declaration or use, through
// SourceEdits (which keeps an edit reached twice once and reports two
// different edits of the same text): replace a token, insert before a
// declaration, make a declaration static, turn a declarator into a pointer,
// move an initializer out, spell a type at file scope.
//
//===----------------------------------------------------------------------===//

#include "RewriteInternal.h"

#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"

using namespace clang;

namespace hcr::rewrite {

std::optional<SourceLocation>
ModuleRewriter::editableToken(SourceLocation L, llvm::StringRef What) {
  SourceLocation Spelling = SM.getSpellingLoc(L);
  FileID F = SM.getFileID(Spelling);
  if (Spelling.isValid() && isProjectFile(F) && SM.getFileEntryRefForID(F))
    return Spelling;
  if (L.isMacroID())
    report(L, RewriteDiag::InsideMacro)
        << What << Lexer::getImmediateMacroName(L, SM, LO);
  else
    report(L, RewriteDiag::TextOutsideProject) << What;
  return std::nullopt;
}

void ModuleRewriter::replaceToken(SourceLocation L, llvm::StringRef Text,
                                  llvm::StringRef What) {
  std::optional<SourceLocation> At = editableToken(L, What);
  if (!At)
    return;
  unsigned Length = Lexer::MeasureTokenLength(*At, SM, LO);
  // A token written across line continuations (`exte\` then `rn`) leaves
  // as many behind: the lines after it keep their numbers.
  std::string Replacement = Text.str();
  for (size_t I = 0,
              N = llvm::StringRef(SM.getCharacterData(*At), Length).count('\n');
       I < N; ++I)
    Replacement += "\\\n";
  if (!Edits.replace(*At, Length, Replacement))
    report(L, RewriteDiag::TwoRewrites) << What;
}

void ModuleRewriter::insertAt(SourceLocation FileLoc, llvm::StringRef Text,
                              SourceEdits::Rank Rank) {
  if (!Edits.insert(FileLoc, Text, Rank))
    report(FileLoc, RewriteDiag::CannotInsert);
}

SourceLocation ModuleRewriter::declaratorEnd(const DeclaratorDecl *D) {
  SourceLocation Name = D->getLocation();
  SourceLocation End = Name;
  if (TypeSourceInfo *TSI = D->getTypeSourceInfo()) {
    SourceLocation TypeEnd = TSI->getTypeLoc().getEndLoc();
    if (TypeEnd.isValid() &&
        SM.isBeforeInTranslationUnit(SM.getExpansionLoc(Name),
                                     SM.getExpansionLoc(TypeEnd)))
      End = TypeEnd;
  }
  return SM.getExpansionRange(End).getEnd();
}

std::vector<WrittenToken> writtenTokens(const SourceManager &SM,
                                        const LangOptions &LO,
                                        SourceLocation Begin,
                                        SourceLocation End) {
  std::vector<WrittenToken> Tokens;
  Begin = SM.getExpansionLoc(Begin);
  End = SM.getExpansionLoc(End);
  auto [File, Offset] = SM.getDecomposedLoc(Begin);
  auto [EndFile, EndOffset] = SM.getDecomposedLoc(End);
  if (EndFile != File)
    return Tokens;
  llvm::StringRef Buffer = SM.getBufferData(File);
  Lexer Lex(SM.getLocForStartOfFile(File), LO, Buffer.begin(),
            Buffer.begin() + Offset, Buffer.end());
  Token Tok;
  while (!Lex.LexFromRawLexer(Tok) &&
         SM.getDecomposedLoc(Tok.getLocation()).second < EndOffset) {
    std::string Spelling;
    if (Tok.is(tok::raw_identifier))
      Spelling = Tok.needsCleaning() ? Lexer::getSpelling(Tok, SM, LO)
                                     : Tok.getRawIdentifier().str();
    Tokens.push_back({Tok, std::move(Spelling)});
  }
  return Tokens;
}

namespace {
/// What a macro's body is, for making its invocation `static`: nothing but
/// storage class and attributes (`#define LUA_API extern`, `#define
/// LUAI_FUNC __attribute__((visibility("internal"))) extern`), and whether
/// `extern` is among them. The preprocessor's tokens, not the definition's
/// text: a comment, a line continuation, a CRLF line end or a NUL character
/// are not the macro's. A macro in the body counts as its own body, as
/// defined where the declaration is (LUALIB_API is LUA_API; `#define API
/// extern T` with `#define T int` is not storage only).
struct MacroStorage {
  bool Storage = true;
  bool Extern = false;

  void add(const MacroInfo &MI,
           llvm::function_ref<const MacroInfo *(const IdentifierInfo *)> Lookup,
           unsigned Nesting = 0) {
    if (MI.isFunctionLike())
      Storage = false;
    int Depth = 0;
    bool ParenNext = false;
    for (const Token &Tok : MI.tokens()) {
      if (ParenNext) {
        ParenNext = false;
        if (Tok.is(tok::l_paren)) {
          Depth = 1;
          continue;
        }
        Storage = false;
      }
      if (Depth > 0) {
        Depth += Tok.is(tok::l_paren) - Tok.is(tok::r_paren);
        continue;
      }
      if (Tok.is(tok::kw_extern)) {
        Extern = true;
        continue;
      }
      const IdentifierInfo *Id = Tok.getIdentifierInfo();
      if (Id &&
          (Id->getName() == "__attribute__" || Id->getName() == "__declspec")) {
        ParenNext = true;
        continue;
      }
      // A macro that names itself, or one of a cycle, is not storage.
      const MacroInfo *Inner = Id ? Lookup(Id) : nullptr;
      if (Inner && Inner != &MI && Nesting < 16)
        add(*Inner, Lookup, Nesting + 1);
      else
        Storage = false;
    }
    if (Depth != 0 || ParenNext)
      Storage = false;
  }
};
} // namespace

void ModuleRewriter::makeStatic(const DeclaratorDecl *D, StorageClass SC) {
  auto Drop = Conventions->visibilityToDrop(D, Ctx);
  auto DropVisibility = [&] {
    if (Drop)
      Edits.replace(Drop->first, Drop->second, "");
  };
  if (SC != SC_Extern) {
    DropVisibility();
    if (SC != SC_Static)
      insertAt(declBegin(D), "static ");
    return;
  }
  // The `extern` written before the name becomes `static`; or the macro
  // whose body holds it, if that body is storage class and attributes
  // only (Lua's LUA_API, LUAI_FUNC, perhaps after a visibility macro).
  SourceLocation Where = SM.getExpansionLoc(D->getBeginLoc());
  auto Lookup = [&](const IdentifierInfo *Id) { return macroAt(Id, Where); };
  for (const auto &[Tok, Name] :
       writtenTokens(SM, LO, D->getBeginLoc(), D->getLocation())) {
    if (Name.empty())
      continue;
    MacroStorage What;
    if (Name == "extern")
      What.Extern = true;
    else if (const MacroInfo *MI = Lookup(&Ctx.Idents.get(Name)))
      What.add(*MI, Lookup);
    if (!What.Extern)
      continue;
    if (!What.Storage) {
      // `static` before it would make `static extern`.
      report(D->getLocation(), RewriteDiag::ExternInMacro)
          << D->getName() << Name;
      return;
    }
    // A macro that is also the visibility to drop (`#define INTERNAL
    // __attribute__((visibility("hidden"))) extern`) goes as a whole:
    // dropping it would leave the pointer extern.
    if (!Drop || Drop->first != Tok.getLocation())
      DropVisibility();
    replaceToken(Tok.getLocation(), "static", Name);
    return;
  }
  // No `extern` written before the name (it is in a macro's argument, say,
  // where the declaration is spelled again as a whole).
  DropVisibility();
  insertAt(declBegin(D), "static ");
}

/// " __attribute__((__noreturn__))" if FD does not return and its type does not
/// say so (`_Noreturn`, `[[noreturn]]`): a call through the pointer or an
/// early declaration would lose it, and its caller would be warned that it
/// falls off its end (-Wreturn-type).
static std::string noReturnSuffix(const FunctionDecl *FD) {
  const auto *FT = FD->getType()->getAs<FunctionType>();
  return FD->isNoReturn() && FT && !FT->getNoReturnAttr()
             ? " __attribute__((__noreturn__))"
             : "";
}

std::string ModuleRewriter::declarationOfActual(const FunctionDecl *FD,
                                                const std::string &Name) {
  return "static " + spell(FD->getType(), actualName(Name), FD) +
         noReturnSuffix(FD) + "; ";
}

void ModuleRewriter::makePointer(const DeclaratorDecl *D,
                                 const std::string &Slot) {
  // `_Noreturn` (or <stdnoreturn.h>'s `noreturn`) specifies functions
  // only: the pointer gets the attribute, which applies to it (spelled
  // __noreturn__: noreturn may be that macro).
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    for (const auto *A : FD->specific_attrs<C11NoReturnAttr>()) {
      SourceLocation L = SM.getExpansionLoc(A->getLocation());
      unsigned Length = Lexer::MeasureTokenLength(L, SM, LO);
      llvm::StringRef Word(SM.getCharacterData(L), Length);
      if (!A->isInherited() && (Word == "_Noreturn" || Word == "noreturn") &&
          isProjectLoc(L) &&
          !Edits.replace(L, Length, "__attribute__((__noreturn__))"))
        report(L, RewriteDiag::TwoRewrites) << FD->getName();
    }
  if (auto Own = Conventions->pointerDeclarator(D, Slot, Ctx)) {
    replaceToken(Own->first, Own->second, D->getName());
    return;
  }
  replaceToken(D->getLocation(), "(*" + Slot + ")", D->getName());
}

std::string ModuleRewriter::spell(QualType T, const std::string &Name,
                                  const NamedDecl *For) {
  // Types the printer cannot name in C (anonymous tags) or that are only
  // visible inside a function cannot be spelled at file scope.
  QualType Base = T;
  while (true) {
    if (const auto *P = Base->getAs<PointerType>())
      Base = P->getPointeeType();
    else if (const auto *A = Ctx.getAsArrayType(Base))
      Base = A->getElementType();
    else
      break;
  }
  if (const TagDecl *Tag = Base->getAsTagDecl())
    if ((!Tag->getIdentifier() && !Tag->getTypedefNameForAnonDecl()) ||
        Tag->getDeclContext()->isFunctionOrMethod()) {
      report(For->getLocation(), RewriteDiag::CannotSpellType)
          << For->getName();
      return Name;
    }
  // A typedef declared in the function (or `__typeof__` of what is local to
  // it) is not visible at file scope, or names something else there: the
  // type is spelled without the function's names.
  struct FunctionNames : RecursiveASTVisitor<FunctionNames> {
    bool Found = false;
    bool VisitTypedefType(TypedefType *TT) {
      Found |= TT->getDecl()->getParentFunctionOrMethod() != nullptr;
      return true;
    }
    bool VisitTypeOfExprType(TypeOfExprType *) {
      Found = true;
      return true;
    }
  } Names;
  Names.TraverseType(T);
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  (Names.Found ? T.getCanonicalType() : T).print(OS, Policy, Name);
  return Out;
}

void ModuleRewriter::moveToFileScope(const VarDecl *VD) {
  // What the initializer of a static local names in its function: an
  // enumerator becomes its value, a typedef the type it names; anything
  // else (a static const that stays in the function, a local struct) is an
  // error. The function's names would be undeclared at file scope, or
  // name something else there.
  struct FunctionNames : RecursiveASTVisitor<FunctionNames> {
    ModuleRewriter &R;
    const VarDecl *VD;
    bool InType = false; ///< In VD's type, which is spelled anew.
    llvm::SmallPtrSet<TypedefNameDecl *, 4> Typedefs;
    void cannotMove(SourceLocation L, llvm::StringRef Name) {
      R.report(L, RewriteDiag::LocalNameInInitializer) << VD->getName() << Name;
    }
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      ValueDecl *D = E->getDecl();
      if (!D->getParentFunctionOrMethod() || D->isLocalExternDecl())
        return true;
      // Edited where written: not in a macro's body, which other
      // functions may expand where the name means something else.
      if (auto *EC = dyn_cast<EnumConstantDecl>(D);
          EC && E->getLocation().isFileID()) {
        R.replaceToken(E->getLocation(),
                       "(" + llvm::toString(EC->getInitVal(), 10) + ")",
                       EC->getName());
        return true;
      }
      auto *V = dyn_cast<VarDecl>(D);
      const VarPlan *P = V ? R.planFor(V) : nullptr;
      if (!P || !P->Hoisted)
        cannotMove(E->getLocation(), D->getName());
      return true;
    }
    bool VisitTypedefTypeLoc(TypedefTypeLoc TL) {
      TypedefNameDecl *T = TL.getTypedefNameDecl();
      if (!T->getParentFunctionOrMethod())
        return true;
      Typedefs.insert(T);
      if (InType)
        return true;
      if (TL.getNameLoc().isMacroID())
        cannotMove(TL.getNameLoc(), T->getName());
      else
        R.replaceToken(TL.getNameLoc(),
                       "__typeof__(" + R.spell(TL.getType(), "", VD) + ")",
                       T->getName());
      return true;
    }
    bool VisitTagLoc(TagDecl *D, SourceLocation L) {
      if (!InType && D->getParentFunctionOrMethod())
        cannotMove(L, D->getIdentifier() ? D->getName().str()
                                         : "unnamed " + D->getKindName().str());
      return true;
    }
    bool VisitRecordTypeLoc(RecordTypeLoc TL) {
      return VisitTagLoc(TL.getDecl(), TL.getNameLoc());
    }
    bool VisitEnumTypeLoc(EnumTypeLoc TL) {
      return VisitTagLoc(TL.getDecl(), TL.getNameLoc());
    }
  } Names{{}, *this, VD};
  if (TypeSourceInfo *TSI = VD->getTypeSourceInfo()) {
    Names.InType = true;
    Names.TraverseTypeLoc(TSI->getTypeLoc());
    Names.InType = false;
  }
  if (const Expr *Init = VD->getInit())
    Names.TraverseStmt(const_cast<Expr *>(Init));
  // The static may have been the typedef's only user: unused, it would be
  // warned about (-Wall).
  for (TypedefNameDecl *T : Names.Typedefs)
    if (T->getBeginLoc().isFileID() && isProjectLoc(T->getBeginLoc()))
      insertAt(T->getBeginLoc(), "__attribute__((unused)) ");
}

std::string ModuleRewriter::slotDeclaration(const ValueDecl *D,
                                            const std::string &Name) {
  const auto *FD = dyn_cast<FunctionDecl>(D);
  return "static " + spell(Ctx.getPointerType(D->getType()), Name, D) +
         (FD ? noReturnSuffix(FD) : "") + " HCR_SLOT; ";
}

void ModuleRewriter::removeInitializer(const VarDecl *VD, VarPlan &P) {
  const Expr *Init = VD->getInit();
  if (!Init || P.Hoisted)
    return;
  CharSourceRange R = SM.getExpansionRange(Init->getSourceRange());
  auto [File, Begin] = SM.getDecomposedLoc(R.getBegin());
  unsigned End = SM.getDecomposedLoc(R.getEnd()).second +
                 Lexer::MeasureTokenLength(R.getEnd(), SM, LO);
  llvm::StringRef Buffer = SM.getBufferData(File);
  // The '=' is the last token before the initializer.
  unsigned Eq = Begin;
  while (Eq > 0 && Buffer[Eq - 1] != '=')
    --Eq;
  // A table defined in a project header (generated tables, included by
  // one file) moves as well: the header's edit is the same for every
  // includer.
  if (Eq == 0 || (File != SM.getMainFileID() && !isProjectFile(File))) {
    report(VD->getLocation(), RewriteDiag::InitializerNotInMainFile) << P.Slot;
    return;
  }
  if (reportCompoundLiteral(VD))
    return;
  Moved.push_back(MovedText{VD, File, Eq - 1, Begin, End, End});
}

bool ModuleRewriter::reportCompoundLiteral(const VarDecl *VD) {
  // A compound literal outside a function is a static object; in the
  // function that the initializer moves to, it would be automatic: not a
  // constant, and gone once the function returns.
  struct Literals : RecursiveASTVisitor<Literals> {
    const CompoundLiteralExpr *First = nullptr;
    bool VisitCompoundLiteralExpr(CompoundLiteralExpr *E) {
      First = First ? First : E;
      return true;
    }
  } Find;
  Find.TraverseStmt(const_cast<Expr *>(VD->getInit()));
  if (!Find.First)
    return false;
  report(Find.First->getBeginLoc(), RewriteDiag::CompoundLiteralInInitializer)
      << VD->getName();
  return true;
}

} // namespace hcr::rewrite
