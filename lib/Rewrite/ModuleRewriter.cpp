//===- ModuleRewriter.cpp - The reloadable-C transform
//---------------------===//
//
// One pass over the AST of module M (docs/Rewrite.md has the rules with
// examples):
//   - classify every function and variable: M's own reloadable function,
//     another module's (from the project index), M's global, another
//     module's global, or left alone;
//   - edit declarations: prototypes become pointer statics, definitions
//     become static <name>_actual, globals become pointer slots whose
//     initializers move into hcr_module_init;
//   - edit uses: g -> (*g), &f -> f, own calls f(x) -> f_actual(x);
//   - append the module ABI's entry points.
//
//===----------------------------------------------------------------------===//

#include "hcr/Rewrite/ModuleRewriter.h"

#include "EntryPoints.h"
#include "SourceEdits.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/FileManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>

using namespace clang;

namespace hcr::rewrite {
namespace {

/// How the rewrite treats one function.
struct FunctionPlan {
  std::string Name;
  std::string Owner; ///< Module that defines it.
  bool Own = false;
  bool Referenced = false;
  /// Used other than as the callee of a call (its address escapes): slot
  /// patching must give it the trampoline, whose address never changes.
  bool AddressUsed = false;
  bool DefinitionSeen = false;  ///< The traversal passed its definition.
  bool ForwardDeclared = false; ///< <name>_actual declared for early calls.
};

/// How the rewrite treats one variable with static storage.
struct VarPlan {
  std::string Key;  ///< Registered name.
  std::string Slot; ///< Pointer variable that replaces it.
  std::string Owner;
  bool Own = false;
  bool Hoisted = false;    ///< A function-local static moved to file scope.
  bool AlwaysInit = false; ///< const data, re-copied at every load.
  bool Referenced = false;
  bool Registered = false;
};

bool hasAnnotation(const Decl *D, llvm::StringRef What) {
  for (const Decl *R : D->redecls())
    for (const auto *A : R->specific_attrs<AnnotateAttr>())
      if (A->getAnnotation() == What)
        return true;
  return false;
}

class ModuleRewriter : public RecursiveASTVisitor<ModuleRewriter> {
public:
  ModuleRewriter(CompilerInstance &CI, ASTContext &Ctx,
                 const RewriteOptions &Opts, const ProjectIndex *Project)
      : CI(CI), Ctx(Ctx), SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()),
        Opts(Opts), Project(Project), Edits(SM), Policy(LO) {
    Policy.SuppressUnwrittenScope = true;
    for (const std::string &Name : Opts.NonReloadable)
      NonReloadable.insert(Name);
    OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID());
    MainPath = absolute(Main ? Main->getName() : "input.c");
    Module = Opts.ModuleName.empty() ? llvm::sys::path::stem(MainPath).str()
                                     : Opts.ModuleName;
    for (const std::string &R : Opts.ProjectRoots)
      Roots.push_back(absolute(R));
    if (Roots.empty())
      Roots.push_back(llvm::sys::path::parent_path(MainPath).str());
  }

  ModuleRewrite run();

  // Traversal callbacks (RecursiveASTVisitor, pre-order).
  bool VisitFunctionDecl(FunctionDecl *FD);
  bool VisitVarDecl(VarDecl *VD);
  bool VisitDeclStmt(DeclStmt *DS);
  bool VisitCallExpr(CallExpr *CE);
  bool VisitUnaryOperator(UnaryOperator *UO);
  bool VisitDeclRefExpr(DeclRefExpr *DRE);
  bool VisitGCCAsmStmt(GCCAsmStmt *S);
  bool VisitFileScopeAsmDecl(FileScopeAsmDecl *D);

private:
  // Classification.
  FunctionPlan *planFor(const FunctionDecl *FD);
  VarPlan *planFor(const VarDecl *VD);
  bool isProjectFile(FileID F);
  bool isProjectLoc(SourceLocation L) {
    return L.isValid() && isProjectFile(SM.getFileID(SM.getSpellingLoc(L)));
  }
  bool inMainFile(SourceLocation L) {
    return L.isValid() &&
           SM.getFileID(SM.getExpansionLoc(L)) == SM.getMainFileID();
  }

  // Edits.
  std::optional<SourceLocation> editableToken(SourceLocation L,
                                              llvm::StringRef What);
  void replaceToken(SourceLocation L, llvm::StringRef Text,
                    llvm::StringRef What);
  void insertAt(SourceLocation FileLoc, llvm::StringRef Text,
                SourceEdits::Rank Rank = SourceEdits::InPlace);
  /// Places a whole declaration (Text) just before D, on D's line.
  void declareBefore(const Decl *D, llvm::StringRef Text) {
    insertAt(declBegin(D), Text, SourceEdits::Declaration);
  }
  SourceLocation declBegin(const Decl *D) {
    return SM.getExpansionLoc(D->getBeginLoc());
  }
  SourceLocation declaratorEnd(const DeclaratorDecl *D);
  void makeStatic(const DeclaratorDecl *D, StorageClass SC);
  void makePointer(const DeclaratorDecl *D, const std::string &Slot);
  void removeInitializer(const VarDecl *VD, VarPlan &Plan);
  std::string spell(QualType T, const std::string &Name, const Decl *For);

  // Diagnostics.
  void error(SourceLocation L, llvm::StringRef Format,
             llvm::ArrayRef<std::string> Args = {});

  // Results.
  /// The index entry; the references come from the rewrite's traversal
  /// unless TraverseForReferences (index only) asks for one of their own.
  ModuleIndex collectIndex(bool TraverseForReferences);
  void noteReference(const ValueDecl *D);
  std::set<std::string> ExternalReferences;
  static std::string absolute(llvm::StringRef Path);

  CompilerInstance &CI;
  ASTContext &Ctx;
  SourceManager &SM;
  const LangOptions &LO;
  const RewriteOptions &Opts;
  const ProjectIndex *Project;
  SourceEdits Edits;
  PrintingPolicy Policy;
  llvm::StringSet<> NonReloadable;
  std::string MainPath, Module;
  std::vector<std::string> Roots;
  llvm::DenseMap<FileID, bool> ProjectFiles;

  llvm::DenseMap<const FunctionDecl *, std::optional<FunctionPlan>> Functions;
  llvm::DenseMap<const VarDecl *, std::optional<VarPlan>> Vars;
  llvm::StringSet<> HoistedSlots;
  llvm::DenseSet<const DeclRefExpr *> DirectCalls;
  /// Every function reference in the callee position of a call.
  llvm::DenseSet<const DeclRefExpr *> Callees;
  ModulePlan Plan;
  /// Own functions and globals in definition order (for registration).
  std::vector<const FunctionDecl *> OwnFunctions;
  std::vector<const VarDecl *> OwnGlobals;
  llvm::DenseMap<const VarDecl *, std::string> Inits;
  /// Text that moves: [Cut, End) of File goes, and the initializer in
  /// [InitBegin, InitEnd) (empty if none) moves into hcr_module_init.
  struct MovedText {
    const VarDecl *Var;
    FileID File;
    unsigned Cut, InitBegin, InitEnd, End;
  };
  std::vector<MovedText> Moved;
  /// The top-level declaration being traversed (for hoisted insertions).
  const Decl *Top = nullptr;
  bool Failed = false;
};

//===-- Classification ----------------------------------------------------===//

std::string ModuleRewriter::absolute(llvm::StringRef Path) {
  return absolutePath(Path);
}

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
  std::string Path = absolute(Entry->getName());
  for (const std::string &Root : Roots)
    if (llvm::StringRef(Path).starts_with(Root) &&
        (Path.size() == Root.size() ||
         llvm::sys::path::is_separator(Path[Root.size()])))
      return It->second = true;
  return false;
}

FunctionPlan *ModuleRewriter::planFor(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto [It, New] = Functions.try_emplace(FD);
  if (!New)
    return It->second ? &*It->second : nullptr;
  std::optional<FunctionPlan> Result;
  auto Done = [&]() -> FunctionPlan * {
    Functions[FD] = Result;
    auto Found = Functions.find(FD);
    return Found->second ? &*Found->second : nullptr;
  };
  if (!FD->getIdentifier() || FD->getBuiltinID() || FD->isMain() ||
      NonReloadable.contains(FD->getName()) ||
      hasAnnotation(FD, "hcr_non_reloadable") ||
      hasAnnotation(FD, "hcr_before_reload") ||
      hasAnnotation(FD, "hcr_after_reload"))
    return Done();
  for (const FunctionDecl *R : FD->redecls())
    if (R->isInlineSpecified())
      return Done();

  FunctionPlan P;
  P.Name = FD->getName().str();
  const FunctionDecl *Def = FD->getDefinition();
  if (Def) {
    if (!isProjectLoc(Def->getLocation()))
      return Done();
    P.Own = true;
    P.Owner = Module;
  } else if (FD->isExternallyVisible() && Project) {
    std::optional<std::string> Owner = Project->functionOwner(P.Name);
    if (!Owner || *Owner == Module)
      return Done(); // A library's, or a stale index: leave it alone.
    P.Owner = *Owner;
  } else {
    return Done();
  }
  for (const FunctionDecl *R : FD->redecls())
    if (!isProjectLoc(R->getLocation())) {
      error(R->getLocation(),
            "'%0' is defined in this project and also declared outside it "
            "(a system header?), so hcr cannot turn it into a pointer; mark "
            "it HCR_NON_RELOADABLE or rename it",
            {P.Name});
      return Done();
    }
  Result = std::move(P);
  return Done();
}

VarPlan *ModuleRewriter::planFor(const VarDecl *VD) {
  VD = VD->getCanonicalDecl();
  auto [It, New] = Vars.try_emplace(VD);
  if (!New)
    return It->second ? &*It->second : nullptr;
  std::optional<VarPlan> Result;
  auto Done = [&]() -> VarPlan * {
    Vars[VD] = Result;
    auto Found = Vars.find(VD);
    return Found->second ? &*Found->second : nullptr;
  };
  if (isa<ParmVarDecl>(VD) || !VD->getIdentifier() ||
      !(VD->isFileVarDecl() || VD->isStaticLocal()))
    return Done();
  bool Const =
      VD->getType().isConstQualified() ||
      (VD->getType()->isArrayType() &&
       Ctx.getAsArrayType(VD->getType())->getElementType().isConstQualified());
  VarPlan P;
  if (VD->isStaticLocal()) {
    const auto *Fn =
        dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
    if (!Fn || !inMainFile(VD->getLocation()) || Fn->isInlineSpecified() ||
        Const)
      return Done();
    P.Own = true;
    P.Owner = Module;
    P.Hoisted = true;
    std::string Base = Fn->getName().str() + "_" + VD->getName().str();
    std::string Key = Fn->getName().str() + "." + VD->getName().str();
    P.Slot = "hcr_static_" + Base;
    P.Key = Key;
    for (unsigned N = 2; !HoistedSlots.insert(P.Slot).second; ++N) {
      P.Slot = "hcr_static_" + Base + "_" + std::to_string(N);
      P.Key = Key + "." + std::to_string(N);
    }
  } else {
    // A definition, or else a tentative one ("int x;"), in any redeclaration.
    const VarDecl *Def = VD->getDefinition();
    for (const VarDecl *R : VD->redecls())
      if (!Def &&
          R->isThisDeclarationADefinition() == VarDecl::TentativeDefinition)
        Def = R;
    P.Key = P.Slot = VD->getName().str();
    if (Def && isProjectLoc(Def->getLocation())) {
      if (Const && !VD->isExternallyVisible())
        return Done(); // Static const data stays, reloaded with the code.
      P.Own = true;
      P.Owner = Module;
      P.AlwaysInit = Const;
    } else if (!Def && VD->isExternallyVisible() && Project) {
      std::optional<std::string> Owner = Project->globalOwner(P.Slot);
      if (!Owner || *Owner == Module)
        return Done();
      P.Owner = *Owner;
    } else {
      return Done();
    }
    for (const VarDecl *R : VD->redecls())
      if (!isProjectLoc(R->getLocation())) {
        error(R->getLocation(),
              "global '%0' of this project is also declared outside it (a "
              "system header?), so hcr cannot turn it into a slot; rename it",
              {P.Slot});
        return Done();
      }
  }
  if (VD->getTLSKind() != VarDecl::TLS_None) {
    error(VD->getLocation(),
          "thread-local variable '%0' cannot be made reloadable: the runtime "
          "keeps one copy of each global; make it an ordinary global, or "
          "keep it in a file that hcr does not rewrite",
          {VD->getName().str()});
    return Done();
  }
  Result = std::move(P);
  return Done();
}

//===-- Edits -------------------------------------------------------------===//

void ModuleRewriter::error(SourceLocation L, llvm::StringRef Format,
                           llvm::ArrayRef<std::string> Args) {
  DiagnosticsEngine &DE = CI.getDiagnostics();
  auto Builder =
      DE.Report(L, DE.getCustomDiagID(DiagnosticsEngine::Error, "%0"));
  std::string Text = Format.str();
  for (size_t I = 0; I < Args.size(); ++I) {
    std::string Key = "%" + std::to_string(I);
    for (size_t At; (At = Text.find(Key)) != std::string::npos;)
      Text.replace(At, Key.size(), Args[I]);
  }
  Builder << Text;
  Failed = true;
}

std::optional<SourceLocation>
ModuleRewriter::editableToken(SourceLocation L, llvm::StringRef What) {
  SourceLocation Spelling = SM.getSpellingLoc(L);
  FileID F = SM.getFileID(Spelling);
  if (Spelling.isValid() && isProjectFile(F) && SM.getFileEntryRefForID(F))
    return Spelling;
  std::string Macro =
      L.isMacroID() ? Lexer::getImmediateMacroName(L, SM, LO).str() : "";
  error(L,
        Macro.empty()
            ? "hcr cannot rewrite this use of '%0': its text is outside the "
              "project"
            : "hcr cannot rewrite this use of '%0' inside macro '%1', which "
              "is defined outside the project or pastes tokens; use the name "
              "outside the macro",
        {What.str(), Macro});
  return std::nullopt;
}

void ModuleRewriter::replaceToken(SourceLocation L, llvm::StringRef Text,
                                  llvm::StringRef What) {
  std::optional<SourceLocation> At = editableToken(L, What);
  if (!At)
    return;
  unsigned Length = Lexer::MeasureTokenLength(*At, SM, LO);
  if (!Edits.replace(*At, Length, Text))
    error(L,
          "hcr cannot rewrite '%0' here: the same text needs two different "
          "rewrites (a macro used for different symbols?)",
          {What.str()});
}

void ModuleRewriter::insertAt(SourceLocation FileLoc, llvm::StringRef Text,
                              SourceEdits::Rank Rank) {
  if (!Edits.insert(FileLoc, Text, Rank))
    error(FileLoc, "hcr cannot insert its declarations here (inside text "
                   "that is rewritten otherwise)");
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

/// The location of keyword Word among the raw tokens of [Begin, End).
static SourceLocation findKeyword(SourceManager &SM, const LangOptions &LO,
                                  SourceLocation Begin, SourceLocation End,
                                  llvm::StringRef Word) {
  Begin = SM.getExpansionLoc(Begin);
  End = SM.getExpansionLoc(End);
  auto [File, Offset] = SM.getDecomposedLoc(Begin);
  unsigned EndOffset = SM.getDecomposedLoc(End).second;
  llvm::StringRef Buffer = SM.getBufferData(File);
  Lexer Lex(SM.getLocForStartOfFile(File), LO, Buffer.begin(),
            Buffer.begin() + Offset, Buffer.end());
  Token Tok;
  while (!Lex.LexFromRawLexer(Tok) &&
         SM.getDecomposedLoc(Tok.getLocation()).second < EndOffset) {
    if (Tok.is(tok::raw_identifier) && Tok.getRawIdentifier() == Word)
      return Tok.getLocation();
  }
  return SourceLocation();
}

void ModuleRewriter::makeStatic(const DeclaratorDecl *D, StorageClass SC) {
  SourceLocation Begin = declBegin(D);
  // Hidden visibility means nothing on a static and gcc warns about it:
  // drop a visibility macro such as Nim's N_LIB_PRIVATE.
  if (const auto *Vis = D->getAttr<VisibilityAttr>()) {
    SourceLocation At = Vis->getLocation();
    if (At.isMacroID()) {
      CharSourceRange R = SM.getExpansionRange(At);
      if (SM.getExpansionLoc(D->getBeginLoc()) == R.getBegin() &&
          Lexer::MeasureTokenLength(R.getBegin(), SM, LO) ==
              SM.getFileOffset(R.getEnd()) - SM.getFileOffset(R.getBegin()) +
                  Lexer::MeasureTokenLength(R.getEnd(), SM, LO)) {
        unsigned Length = Lexer::MeasureTokenLength(R.getBegin(), SM, LO);
        const char *After = SM.getCharacterData(R.getBegin()) + Length;
        Edits.replace(R.getBegin(), Length + (*After == ' '), "");
      }
    }
  }
  if (SC == SC_Static)
    return;
  if (SC == SC_Extern) {
    SourceLocation Extern =
        findKeyword(SM, LO, D->getBeginLoc(), D->getLocation(), "extern");
    if (Extern.isValid()) {
      Edits.replace(Extern, 6, "static");
      return;
    }
  }
  insertAt(Begin, "static ");
}

void ModuleRewriter::makePointer(const DeclaratorDecl *D,
                                 const std::string &Slot) {
  SourceLocation Name = D->getLocation();
  if (Name.isMacroID() && SM.isMacroArgExpansion(Name)) {
    // Nim's N_NIMCALL(rettype, name): prefer the macro's _PTR variant, which
    // also carries the calling convention, over wrapping the argument.
    SourceLocation Invocation = SM.getExpansionLoc(Name);
    llvm::StringRef Macro = Lexer::getImmediateMacroName(Name, SM, LO);
    std::string Ptr = (Macro + "_PTR").str();
    bool Spelled =
        Lexer::getSourceText(CharSourceRange::getTokenRange(Invocation), SM,
                             LO) == Macro;
    if (Spelled && Slot == D->getName() &&
        CI.getPreprocessor().getIdentifierInfo(Ptr)->hasMacroDefinition()) {
      replaceToken(Invocation, Ptr, D->getName());
      return;
    }
  }
  replaceToken(Name, "(*" + Slot + ")", D->getName());
}

std::string ModuleRewriter::spell(QualType T, const std::string &Name,
                                  const Decl *For) {
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
      error(For->getLocation(),
            "hcr cannot spell the type of '%0' at file scope; declare its "
            "type at file scope with a name",
            {cast<NamedDecl>(For)->getName().str()});
      return Name;
    }
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  T.print(OS, Policy, Name);
  return Out;
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
  if (Eq == 0 || File != SM.getMainFileID()) {
    error(VD->getLocation(),
          "hcr cannot move the initializer of '%0' (it is not written in "
          "the module's main file)",
          {P.Slot});
    return;
  }
  Moved.push_back(MovedText{VD, File, Eq - 1, Begin, End, End});
}

//===-- Traversal ---------------------------------------------------------===//

bool ModuleRewriter::VisitFunctionDecl(FunctionDecl *FD) {
  if (FD->isMain() && FD->doesThisDeclarationHaveABody() &&
      inMainFile(FD->getLocation())) {
    Plan.IsHost = true;
    Plan.MainParams = FD->getNumParams();
    replaceToken(FD->getLocation(), actualName("main"), "main");
    makeStatic(FD, FD->getStorageClass());
    return true;
  }
  if (FD->doesThisDeclarationHaveABody() && inMainFile(FD->getLocation())) {
    if (hasAnnotation(FD, "hcr_before_reload"))
      Plan.Handlers.push_back({true, FD->getName().str()});
    else if (hasAnnotation(FD, "hcr_after_reload"))
      Plan.Handlers.push_back({false, FD->getName().str()});
  }
  FunctionPlan *P = planFor(FD);
  if (!P || !isProjectLoc(FD->getLocation()))
    return true;
  if (FD->doesThisDeclarationHaveABody()) {
    P->DefinitionSeen = true;
    OwnFunctions.push_back(FD);
    if (!FD->getPreviousDecl())
      declareBefore(FD,
                    "static " +
                        spell(Ctx.getPointerType(FD->getType()), P->Name, FD) +
                        " HCR_SLOT; ");
    replaceToken(FD->getLocation(), actualName(P->Name), P->Name);
    makeStatic(FD, FD->getStorageClass());
    return true;
  }
  if (FD->getLexicalDeclContext()->isFunctionOrMethod()) {
    // A block-scope prototype would declare a local pointer that shadows the
    // module's slot: declare the slot at file scope and drop the prototype.
    declareBefore(
        Top, "static " + spell(Ctx.getPointerType(FD->getType()), P->Name, FD) +
                 " HCR_SLOT; ");
    return true;
  }
  makePointer(FD, P->Name);
  makeStatic(FD, FD->getStorageClass());
  insertAt(Lexer::getLocForEndOfToken(declaratorEnd(FD), 0, SM, LO),
           " HCR_SLOT");
  return true;
}

bool ModuleRewriter::VisitDeclStmt(DeclStmt *DS) {
  for (Decl *D : DS->decls()) {
    if (const auto *FD = dyn_cast<FunctionDecl>(D))
      if (planFor(FD)) {
        if (!DS->isSingleDecl()) {
          error(FD->getLocation(), "declare '%0' in its own declaration",
                {FD->getName().str()});
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
    if (!DS->isSingleDecl()) {
      error(VD->getLocation(),
            "declare the function-local static '%0' in its own declaration",
            {VD->getName().str()});
      continue;
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
    Moved.push_back(MovedText{VD, File, Begin, InitBegin, InitEnd, End});
    declareBefore(
        Top, "static " + spell(Ctx.getPointerType(VD->getType()), P->Slot, VD) +
                 " HCR_SLOT; ");
    OwnGlobals.push_back(VD);
  }
  return true;
}

bool ModuleRewriter::VisitVarDecl(VarDecl *VD) {
  VarPlan *P = planFor(VD);
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
  if (FD && planFor(FD))
    replaceToken(UO->getOperatorLoc(), "", FD->getName()); // &f -> f
  return true;
}

bool ModuleRewriter::VisitDeclRefExpr(DeclRefExpr *DRE) {
  noteReference(DRE->getDecl());
  if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl())) {
    FunctionPlan *P = planFor(FD);
    if (!P)
      return true;
    P->Referenced = true;
    P->AddressUsed |= !Callees.contains(DRE);
    if (DirectCalls.contains(DRE)) {
      replaceToken(DRE->getLocation(), actualName(P->Name), P->Name);
      if (!P->DefinitionSeen && !P->ForwardDeclared && Top) {
        P->ForwardDeclared = true;
        declareBefore(Top, "static " +
                               spell(FD->getType(), actualName(P->Name), FD) +
                               "; ");
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

/// Reports a project symbol named in assembler text: hcr cannot rewrite it.
static bool mentions(llvm::StringRef Asm, llvm::StringRef Name) {
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

bool ModuleRewriter::VisitGCCAsmStmt(GCCAsmStmt *S) {
  llvm::StringRef Asm = S->getAsmString()->getString();
  for (auto &[D, P] : Vars)
    if (P && mentions(Asm, D->getName()))
      error(S->getAsmLoc(),
            "inline assembly names global '%0', which hcr moves behind a "
            "pointer; pass it as an operand instead",
            {D->getName().str()});
  for (auto &[D, P] : Functions)
    if (P && mentions(Asm, D->getName()))
      error(S->getAsmLoc(),
            "inline assembly names function '%0', which hcr renames; call "
            "it from C instead",
            {D->getName().str()});
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
      error(D->getAsmLoc(),
            "assembly names '%0', which hcr rewrites; keep it out of "
            "assembly or mark it HCR_NON_RELOADABLE",
            {ND->getName().str()});
  }
  return true;
}

//===-- Results -----------------------------------------------------------===//

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
  std::set<std::string> Functions, Globals, References;
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
      if (!FD->doesThisDeclarationHaveABody() || !inMainFile(FD->getLocation()))
        continue;
      if (FD->isMain())
        Index.IsHost = true;
      else if (FD->isExternallyVisible() && planFor(FD))
        Functions.insert(FD->getName().str());
    } else if (const auto *VD = dyn_cast<VarDecl>(D)) {
      if (VD->isThisDeclarationADefinition() != VarDecl::DeclarationOnly &&
          VD->isExternallyVisible() && inMainFile(VD->getLocation()) &&
          VD->getIdentifier())
        Globals.insert(VD->getName().str());
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
  Index.Globals.assign(Globals.begin(), Globals.end());
  Index.References.assign(References.begin(), References.end());
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
    FileID F = SM.translateFile(It->getFirst());
    if (F.isValid() && isProjectFile(F))
      Index.Inputs.push_back(stampFile(absolute(It->getFirst().getName())));
  }
  llvm::sort(Index.Inputs, [](const FileStamp &A, const FileStamp &B) {
    return A.Path < B.Path;
  });
  return Index;
}

ModuleRewrite ModuleRewriter::run() {
  ModuleRewrite Result;
  if (Opts.IndexOnly || CI.getDiagnostics().hasErrorOccurred()) {
    Result.Index = collectIndex(/*TraverseForReferences=*/true);
    Result.Succeeded = !CI.getDiagnostics().hasErrorOccurred();
    return Result;
  }
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    Top = D;
    TraverseDecl(D);
  }
  Top = nullptr;
  Result.Index = collectIndex(/*TraverseForReferences=*/false);

  // Initializers move into hcr_module_init, with their own edits applied.
  for (const MovedText &M : Moved) {
    if (M.InitBegin != M.InitEnd)
      Inits[M.Var->getCanonicalDecl()] =
          Edits.rewrittenText(M.File, M.InitBegin, M.InitEnd);
    Edits.dropWithin(M.File, M.Cut, M.End);
    llvm::StringRef Buffer = SM.getBufferData(M.File);
    bool Spaced = M.Cut > 0 && isspace(Buffer[M.Cut - 1]);
    if (!Edits.replace(SM.getComposedLoc(M.File, M.Cut), M.End - M.Cut,
                       M.Var->isStaticLocal() ? ""
                       : Spaced               ? "HCR_SLOT"
                                              : " HCR_SLOT"))
      error(M.Var->getLocation(), "hcr cannot move the initializer of '%0'",
            {M.Var->getName().str()});
  }

  // The plan of the entry points.
  Plan.Module = Module;
  Plan.Signature =
      llvm::utohexstr(llvm::xxh3_64bits(SM.getBufferData(SM.getMainFileID())));
  std::set<std::string> Imports;
  for (const FunctionDecl *FD : OwnFunctions)
    Plan.Procs.push_back(FD->getName().str());
  for (const VarDecl *VD : OwnGlobals) {
    VarPlan *P = planFor(VD);
    ModulePlan::Global G;
    G.Init = Inits.lookup(VD->getCanonicalDecl());
    G.Key = P->Key;
    G.Slot = P->Slot;
    G.Align = Ctx.getDeclAlign(VD).getQuantity();
    G.AlwaysInit = P->AlwaysInit;
    G.ConstantInit = true;
    if (const Expr *Init = VD->getInit()) {
      // Static storage is fine for the temporary unless the initializer
      // reads something the rewrite turned into a pointer.
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
      G.ConstantInit = !Check.Found;
    }
    Plan.Globals.push_back(std::move(G));
  }
  for (auto &[FD, P] : Functions)
    if (P && !P->Own && P->Referenced) {
      Plan.ProcLookups.push_back(
          {P->Owner, P->Name, Opts.SlotPatching && !P->AddressUsed});
      Imports.insert(P->Owner);
    }
  for (auto &[VD, P] : Vars)
    if (P && !P->Own && P->Referenced) {
      Plan.GlobalLookups.push_back({P->Owner, P->Slot});
      Imports.insert(P->Owner);
    }
  auto ByName = [](const ModulePlan::Lookup &A, const ModulePlan::Lookup &B) {
    return std::tie(A.Owner, A.Name) < std::tie(B.Owner, B.Name);
  };
  llvm::sort(Plan.ProcLookups, ByName);
  llvm::sort(Plan.GlobalLookups, ByName);
  Plan.Imports.assign(Imports.begin(), Imports.end());

  FileID Main = SM.getMainFileID();
  Edits.insert(SM.getLocForStartOfFile(Main), emitPrologue(),
               SourceEdits::First);
  insertAt(SM.getLocForEndOfFile(Main), emitEntryPoints(Plan));

  if (Failed || CI.getDiagnostics().hasErrorOccurred())
    return Result;
  for (auto &[Path, R] : Edits.toReplacements())
    Result.Edits[absolute(Path)] = std::move(R);
  for (const FileStamp &Input : Result.Index.Inputs)
    Result.Edits.try_emplace(Input.Path);
  Result.Succeeded = true;
  return Result;
}

//===-- Frontend glue -----------------------------------------------------===//

class RewriteConsumer : public ASTConsumer {
public:
  RewriteConsumer(CompilerInstance &CI, const RewriteOptions &Opts,
                  const ProjectIndex *Project, std::vector<ModuleRewrite> &Out)
      : CI(CI), Opts(Opts), Project(Project), Out(Out) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    ModuleRewriter R(CI, Ctx, Opts, Project);
    Out.push_back(R.run());
  }

private:
  CompilerInstance &CI;
  const RewriteOptions &Opts;
  const ProjectIndex *Project;
  std::vector<ModuleRewrite> &Out;
};

class RewriteAction : public ASTFrontendAction {
public:
  RewriteAction(const RewriteOptions &Opts, const ProjectIndex *Project,
                std::vector<ModuleRewrite> &Out)
      : Opts(Opts), Project(Project), Out(Out) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    return std::make_unique<RewriteConsumer>(CI, Opts, Project, Out);
  }

private:
  const RewriteOptions &Opts;
  const ProjectIndex *Project;
  std::vector<ModuleRewrite> &Out;
};

class RewriteActionFactory : public tooling::FrontendActionFactory {
public:
  RewriteActionFactory(const RewriteOptions &Opts, const ProjectIndex *Project,
                       std::vector<ModuleRewrite> &Out)
      : Opts(Opts), Project(Project), Out(Out) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<RewriteAction>(Opts, Project, Out);
  }

private:
  RewriteOptions Opts;
  const ProjectIndex *Project;
  std::vector<ModuleRewrite> &Out;
};

} // namespace

std::unique_ptr<tooling::FrontendActionFactory>
newRewriteActionFactory(const RewriteOptions &Options,
                        const ProjectIndex *Project,
                        std::vector<ModuleRewrite> &Out) {
  return std::make_unique<RewriteActionFactory>(Options, Project, Out);
}

/// Writes every file or none: each goes to a temporary beside its target,
/// and only when all are written are they renamed into place.
llvm::Error
writeFilesAtomically(const std::map<std::string, std::string> &Files) {
  std::vector<std::pair<std::string, std::string>> Written;
  auto Discard = [&] {
    for (auto &[Tmp, Target] : Written)
      llvm::sys::fs::remove(Tmp);
  };
  for (const auto &[Target, Text] : Files) {
    if (auto EC = llvm::sys::fs::create_directories(
            llvm::sys::path::parent_path(Target))) {
      Discard();
      return llvm::createStringError(EC, "cannot create the directory of '" +
                                             Target + "': " + EC.message());
    }
    std::string Tmp = Target + ".hcr-tmp";
    std::error_code EC;
    {
      llvm::raw_fd_ostream OS(Tmp, EC);
      if (!EC) {
        OS << Text;
        OS.close();
        EC = OS.error();
      }
    }
    if (EC) {
      llvm::sys::fs::remove(Tmp);
      Discard();
      return llvm::createStringError(EC, "cannot write '" + Target +
                                             "': " + EC.message());
    }
    Written.push_back({Tmp, Target});
  }
  for (auto &[Tmp, Target] : Written)
    if (auto EC = llvm::sys::fs::rename(Tmp, Target)) {
      Discard();
      return llvm::createStringError(EC, "cannot replace '" + Target +
                                             "': " + EC.message());
    }
  return llvm::Error::success();
}

std::string absolutePath(llvm::StringRef Path) {
  llvm::SmallString<256> P(Path);
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

std::string commonDirectory(const std::vector<std::string> &Paths) {
  std::string Common = llvm::sys::path::parent_path(Paths.front()).str();
  for (const std::string &P : Paths)
    while (!Common.empty() && !llvm::StringRef(P).starts_with(Common + "/"))
      Common = llvm::sys::path::parent_path(Common).str();
  return Common.empty() ? "/" : Common;
}

llvm::Expected<tooling::Replacements>
unionOfEdits(llvm::StringRef File, std::vector<tooling::Replacement> All) {
  auto Key = [](const tooling::Replacement &R) {
    return std::make_tuple(R.getOffset(), R.getLength(),
                           R.getReplacementText());
  };
  llvm::sort(All,
             [&](const auto &A, const auto &B) { return Key(A) < Key(B); });
  All.erase(std::unique(
                All.begin(), All.end(),
                [&](const auto &A, const auto &B) { return Key(A) == Key(B); }),
            All.end());
  auto Conflict = [&] {
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "'" + File +
            "' needs different rewrites for different modules (is it "
            "compiled with different flags, or does a macro mean different "
            "symbols?)");
  };
  for (size_t I = 1; I < All.size(); ++I)
    if (All[I].getOffset() == All[I - 1].getOffset() &&
        (All[I].getLength() == 0) == (All[I - 1].getLength() == 0))
      return Conflict();
  tooling::Replacements Out;
  for (const tooling::Replacement &R : All)
    if (llvm::Error E = Out.add(R)) {
      llvm::consumeError(std::move(E));
      return Conflict();
    }
  return Out;
}

std::optional<std::string> mirrorPath(llvm::StringRef Path,
                                      const std::vector<std::string> &Roots,
                                      llvm::StringRef OutDir) {
  for (size_t K = 0; K < Roots.size(); ++K) {
    llvm::StringRef Rel = Path;
    if (!Rel.consume_front(Roots[K] + "/"))
      continue;
    llvm::SmallString<256> Target(OutDir);
    if (K > 0)
      llvm::sys::path::append(Target, ".hcr-roots", std::to_string(K));
    llvm::sys::path::append(Target, Rel);
    return std::string(Target);
  }
  return std::nullopt;
}

llvm::Expected<std::string> applyEdits(llvm::StringRef Code,
                                       const tooling::Replacements &Edits) {
  return tooling::applyAllReplacements(Code, Edits);
}

} // namespace hcr::rewrite
