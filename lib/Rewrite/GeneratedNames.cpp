//===- GeneratedNames.cpp - What the names of the generated code mean ----===//
//
// The rewrite writes code that names things: f_actual, hcr_is_new_g, the
// entry points, <hcr/hcr.h>'s functions, the module's own symbols, and the
// initializers it moves to the end of the file. Each name must mean there
// what it meant to the rewrite:
//   - a declaration or a macro of the module that takes a name of hcr's
//     (f_actual beside f, a function hcr_module_init, or a macro of
//     <hcr/hcr.h> such as HCR_SLOT, which the rewritten file includes
//     first) is an error, as the rewritten module would not compile;
//   - a macro defined after a symbol's declaration (`#define count 5` after
//     `int count(void)`) is undefined around the entry points, which name
//     the symbol;
//   - a moved initializer sees its macros as they were where it was
//     written, not as the end of the file left them (`#undef N` after
//     `int a[N] = {N};`): push_macro, #define as there, pop_macro.
//
//===----------------------------------------------------------------------===//

#include "RewriteInternal.h"

#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/Preprocessor.h"

using namespace clang;

namespace hcr::rewrite {

/// The identifiers of C text, outside comments and literals.
static std::vector<llvm::StringRef> identifiersOf(llvm::StringRef Text,
                                                  const LangOptions &LO) {
  std::vector<llvm::StringRef> Out;
  std::string Buffer = Text.str(); // The lexer reads up to a final NUL.
  Lexer Lex(SourceLocation(), LO, Buffer.data(), Buffer.data(),
            Buffer.data() + Buffer.size());
  Token Tok;
  // LexFromRawLexer says "at the end" with the last token: handle it first.
  for (bool AtEnd = false; !AtEnd;) {
    AtEnd = Lex.LexFromRawLexer(Tok);
    if (Tok.is(tok::eof))
      break;
    if (Tok.is(tok::raw_identifier)) {
      size_t At = Tok.getRawIdentifier().data() - Buffer.data();
      Out.push_back(Text.substr(At, Tok.getLength()));
    }
  }
  return Out;
}

/// Every name beginning with hcr_ that the entry points declare or call,
/// whatever the module: those of a plan with one of everything.
static std::vector<std::string> namesOfEntryPoints(const LangOptions &LO) {
  ModulePlan P;
  P.Module = "m";
  P.Procs = {{"f", "f"}};
  P.Globals = {{"g", "g", 4, "0", true, false, "i4"},
               {"h", "h", 4, "0", false, true, ""}};
  P.ProcLookups = {{"o", "p", "p", false}, {"o", "q", "q", true}};
  P.GlobalLookups = {{"o", "v", "v"}};
  P.Handlers = {{true, "b"}, {false, "a"}};
  P.Migrators = {{"g", "m"}};
  P.Tables = {{"t", "0"}};
  P.DebugNames = true;
  std::vector<std::string> Out;
  for (bool Host : {false, true}) {
    P.IsHost = Host;
    std::string Text = emitEntryPoints(P);
    for (llvm::StringRef Name : identifiersOf(Text, LO))
      if (Name.starts_with("hcr_"))
        Out.push_back(Name.str());
  }
  return Out;
}

void ModuleRewriter::checkGeneratedNames(const ModulePlan &P) {
  // Each name, with the function whose code it names ("" if none).
  llvm::StringMap<std::string> Taken;
  static const std::vector<std::string> EntryPointNames =
      namesOfEntryPoints(LO);
  for (const std::string &Name : EntryPointNames)
    Taken[Name];
  for (const std::vector<std::string> *Extra :
       {&P.ExtraDeclarations, &P.ExtraRegistrations, &P.ExtraInit})
    for (const std::string &Text : *Extra)
      for (llvm::StringRef Name : identifiersOf(Text, LO))
        if (Name.starts_with("hcr_"))
          Taken[Name];
  for (const ModulePlan::Global &G : P.Globals)
    Taken["hcr_is_new_" + G.Slot];
  for (auto &[VD, V] : Vars)
    if (V && V->Hoisted)
      Taken[V->Slot];
  for (const ModulePlan::Proc &F : P.Procs)
    Taken[actualName(F.Name)] = F.Name;

  // <hcr/hcr.h>'s macros are defined before the module's text once it is
  // rewritten: a variable HCR_SLOT would become `__attribute__((unused))`.
  // (test/hcr-rewrite/error-hcr-macros.test declares each macro that
  // include/hcr/hcr.h defines, so this list cannot fall behind it.)
  for (const char *Name :
       {"HCR_AFTER_RELOAD", "HCR_ANNOTATE_", "HCR_API", "HCR_BEFORE_RELOAD",
        "HCR_BOOL", "HCR_ENTRY_POINT_FIELD_", "HCR_GENERATED_BEGIN",
        "HCR_GENERATED_END", "HCR_HCR_H", "HCR_HOST_ENTRY", "HCR_HOST_PREFIX",
        "HCR_MIGRATE", "HCR_MODULE_ABI_VERSION",
        "HCR_MODULE_ABI_VERSION_SYMBOL", "HCR_MODULE_ENTRY_POINTS",
        "HCR_MODULE_EXPORT", "HCR_MODULE_PREFIX", "HCR_NON_RELOADABLE",
        "HCR_SLOT"})
    Taken[Name];
  llvm::StringSet<> Reported;
  auto Report = [&](SourceLocation L, llvm::StringRef Name) {
    if (!Reported.insert(Name).second)
      return;
    const std::string &Function = Taken[Name];
    if (Function.empty())
      report(L, RewriteDiag::GeneratedNameTaken) << Name;
    else
      report(L, RewriteDiag::ActualNameTaken) << Name << Function;
  };
  // Declarations in the ordinary name space, at any scope: a local f_actual
  // would hide the code that a direct call names.
  struct Finder : RecursiveASTVisitor<Finder> {
    ModuleRewriter &R;
    llvm::StringMap<std::string> &Taken;
    std::function<void(SourceLocation, llvm::StringRef)> Report;
    bool VisitNamedDecl(NamedDecl *D) {
      if (!isa<VarDecl, FunctionDecl, TypedefNameDecl, EnumConstantDecl>(D) ||
          !D->getIdentifier() || !Taken.contains(D->getName()) ||
          !R.isProjectLoc(D->getLocation()))
        return true;
      // <hcr/hcr.h> itself, if a project root holds it.
      OptionalFileEntryRef File = R.SM.getFileEntryRefForID(
          R.SM.getFileID(R.SM.getSpellingLoc(D->getLocation())));
      if (File && File->getName().ends_with("hcr/hcr.h"))
        return true;
      Report(D->getLocation(), D->getName());
      return true;
    }
  } Find{{}, *this, Taken, Report};
  Find.TraverseDecl(Ctx.getTranslationUnitDecl());
  if (!PP)
    return;
  for (const auto &Entry : Taken) {
    auto It = Ctx.Idents.find(Entry.getKey());
    if (It == Ctx.Idents.end() || !It->getValue()->hadMacroDefinition())
      continue;
    // Not <hcr/hcr.h>'s own definitions: the module may include it.
    for (const MacroDirective *MD =
             PP->getLocalMacroDirectiveHistory(It->getValue());
         MD; MD = MD->getPrevious())
      if (isa<DefMacroDirective>(MD) && MD->getLocation().isValid() &&
          !SM.getFilename(SM.getSpellingLoc(MD->getLocation()))
               .ends_with("hcr/hcr.h"))
        Report(MD->getLocation(), Entry.getKey());
  }
}

const MacroInfo *ModuleRewriter::macroAt(const IdentifierInfo *Name,
                                         SourceLocation L) {
  if (!Name || !Name->hadMacroDefinition())
    return nullptr;
  MacroDirective *MD = PP->getLocalMacroDirectiveHistory(Name);
  if (!MD)
    return nullptr;
  // The definition active at L, which may be undefined later; or the last
  // one, if it was not undefined.
  MacroDirective::DefInfo Def =
      L.isValid() ? MD->findDirectiveAtLoc(L, SM) : MD->getDefinition();
  if (!Def || (L.isInvalid() && Def.isUndefined()))
    return nullptr;
  return Def.getMacroInfo();
}

void ModuleRewriter::restoreMacros(llvm::StringRef Text, SourceLocation L,
                                   const llvm::StringSet<> &Undefined,
                                   std::string &Before, std::string &After) {
  // The macros the text names, and those their bodies name, as at L, in
  // the order they first appear.
  std::vector<const IdentifierInfo *> Work;
  llvm::DenseSet<const IdentifierInfo *> Seen;
  auto Add = [&](const IdentifierInfo *II) {
    if (II && II->hadMacroDefinition() && Seen.insert(II).second)
      Work.push_back(II);
  };
  for (llvm::StringRef Name : identifiersOf(Text, LO)) {
    auto It = Ctx.Idents.find(Name);
    if (It != Ctx.Idents.end())
      Add(It->getValue());
  }
  std::string Directives, Pops;
  for (size_t Next = 0; Next < Work.size(); ++Next) {
    const IdentifierInfo *II = Work[Next];
    const MacroInfo *There = macroAt(II, L);
    const MacroInfo *Here =
        Undefined.contains(II->getName()) ? nullptr : macroAt(II, {});
    if (There)
      for (const Token &T : There->tokens())
        Add(T.getIdentifierInfo());
    if (There == Here ||
        (There && Here && There->isIdenticalTo(*Here, *PP, true)))
      continue;
    std::string Name = II->getName().str();
    Directives += "#pragma push_macro(\"" + Name + "\")\n#undef " + Name + "\n";
    if (There) {
      // Its text as rewritten: a project macro's body names slots.
      SourceLocation B = There->getDefinitionLoc();
      SourceLocation E = There->getDefinitionEndLoc();
      auto [File, Begin] = SM.getDecomposedLoc(B);
      auto [EndFile, End] = SM.getDecomposedLoc(E);
      End += Lexer::MeasureTokenLength(E, SM, LO);
      Directives += "#define " + Edits.rewrittenText(File, Begin, End) + "\n";
    }
    Pops = "#pragma pop_macro(\"" + Name + "\")\n" + Pops;
  }
  Before += Directives;
  After = Pops + After;
}

std::string ModuleRewriter::entryPointsText(ModulePlan &P) {
  if (!PP)
    return emitEntryPoints(P);
  // The names the entry points write themselves (the module's symbols, C's
  // keywords): a macro defined after a declaration, which did not
  // change it, would change the entry points' use; a keyword may be one
  // too. <hcr/hcr.h>'s macros stay, and the moved initializers' and the
  // producer's text keep their macros (restoreMacros).
  ModulePlan Skeleton = P;
  for (ModulePlan::Global &G : Skeleton.Globals)
    if (!G.Init.empty())
      G.Init = "0";
  for (ModulePlan::Table &T : Skeleton.Tables)
    T.Init = "0";
  Skeleton.ExtraDeclarations.clear();
  Skeleton.ExtraRegistrations.clear();
  Skeleton.ExtraInit.clear();
  std::string Text = emitEntryPoints(Skeleton);
  llvm::StringSet<> Undefined;
  for (llvm::StringRef Name : identifiersOf(Text, LO)) {
    auto It = Ctx.Idents.find(Name);
    if (Name.starts_with("HCR_") || It == Ctx.Idents.end() ||
        !macroAt(It->getValue(), {}) || !Undefined.insert(Name).second)
      continue;
    P.MacrosBefore +=
        ("#pragma push_macro(\"" + Name + "\")\n#undef " + Name + "\n").str();
    P.MacrosAfter =
        ("#pragma pop_macro(\"" + Name + "\")\n").str() + P.MacrosAfter;
  }

  assert(P.Globals.size() == OwnGlobals.size() &&
         P.Tables.size() == Tables.size());
  for (size_t I = 0; I < P.Globals.size(); ++I)
    if (!P.Globals[I].Init.empty())
      restoreMacros(
          P.Globals[I].Init, InitLocs.lookup(OwnGlobals[I]->getCanonicalDecl()),
          Undefined, P.Globals[I].MacrosBefore, P.Globals[I].MacrosAfter);
  for (size_t I = 0; I < P.Tables.size(); ++I)
    restoreMacros(P.Tables[I].Init,
                  InitLocs.lookup(Tables[I].Var->getCanonicalDecl()), Undefined,
                  P.Tables[I].MacrosBefore, P.Tables[I].MacrosAfter);
  return emitEntryPoints(P);
}

} // namespace hcr::rewrite
