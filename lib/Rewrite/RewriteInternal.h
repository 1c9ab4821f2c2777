//===- RewriteInternal.h - The module rewriter's pipeline -------*- C++ -*-===//
//
// Private to lib/Rewrite. One module's rewrite is a pipeline over its AST:
//   Classification.cpp  which functions and variables the rewrite changes
//                       (pure decisions);
//   Conventions.cpp     what one producer of C (Nim) spells its own way;
//   DeclarationEdits.cpp the edit primitives (a name, a storage class, a
//                       declarator, an initializer that moves);
//   Traversal.cpp       the AST visit that applies them to every
//                       declaration and use;
//   ModuleIndexer.cpp   the module's entry in the project index;
//   PlanBuilder.cpp     the plan of the module ABI's entry points
//                       (EntryPoints.cpp turns it into text) and the result;
//   GeneratedNames.cpp  what the names in the generated code mean: the
//                       module may not take them, and the macros of the
//                       end of the file may not change them;
//   RewriteAction.cpp   the frontend glue and the diagnostics.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_REWRITE_REWRITEINTERNAL_H
#define HCR_LIB_REWRITE_REWRITEINTERNAL_H

#include "EntryPoints.h"
#include "SourceEdits.h"

#include "hcr/Rewrite/ModuleRewriter.h"
#include "hcr/Rewrite/ProjectFiles.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

#include <functional>
#include <optional>
#include <set>

namespace clang {
class Preprocessor;
}

namespace hcr::rewrite {

/// A raw token of a declaration's text, with its spelling after line
/// continuations for an identifier (`exte\` then `rn` is `extern`).
struct WrittenToken {
  clang::Token Tok;
  std::string Spelling; ///< Empty but for identifiers and keywords.
};

/// The raw tokens of the text from Begin's expansion to End's, which must
/// be in one file (none otherwise): what a declaration says before its
/// name, macros unexpanded (DeclarationEdits.cpp).
std::vector<WrittenToken> writtenTokens(const clang::SourceManager &SM,
                                        const clang::LangOptions &LO,
                                        clang::SourceLocation Begin,
                                        clang::SourceLocation End);

//===-- Classification ----------------------------------------------------===//

/// What the rewrite does with one function or variable.
enum class Verdict {
  LeaveAlone, ///< Not the project's, or not reloadable.
  Own,        ///< Defined by this module: registered.
  Imported,   ///< Defined by another module: looked up.
  /// Errors: the rewrite cannot make it reloadable.
  DeclaredOutsideProject, ///< A project symbol also declared in a system
                          ///< header.
  ThreadLocal,
};

/// What classification knows of the module and the project.
struct ClassifyContext {
  std::string Module;
  const ProjectIndex *Project = nullptr;
  const llvm::StringSet<> *NonReloadable = nullptr;
  /// Whether text at a location belongs to the project.
  std::function<bool(clang::SourceLocation)> IsProjectLoc;
  /// Whether a location is (expanded) in the main file.
  std::function<bool(clang::SourceLocation)> InMainFile;
  /// The producer writes program state as const data (Nim's `let`): such a
  /// global is kept across reloads like any other, not re-copied.
  bool ConstGlobalsAreState = false;
  bool StaticLocalsAreState = true;
  /// Whether an initializer names a symbol the rewrite makes a pointer.
  std::function<bool(const clang::Expr *)> ReadsRewrittenSymbol;
};

struct FunctionDecision {
  Verdict What = Verdict::LeaveAlone;
  std::string Owner; ///< Defining module (Own or Imported).
  /// For DeclaredOutsideProject: the declaration outside the project.
  clang::SourceLocation Culprit;
};

struct VariableDecision {
  Verdict What = Verdict::LeaveAlone;
  std::string Owner;
  /// A function-local static, moved to file scope; Function is its
  /// function's name.
  bool Hoisted = false;
  std::string Function;
  bool AlwaysInit = false; ///< const data, re-copied at every load.
  clang::SourceLocation Culprit;
};

FunctionDecision classifyFunction(const clang::FunctionDecl *FD,
                                  const ClassifyContext &C);
VariableDecision classifyVariable(const clang::VarDecl *VD,
                                  const clang::ASTContext &Ctx,
                                  const ClassifyContext &C);

/// Whether any declaration of D carries annotation What (the attributes
/// behind HCR_NON_RELOADABLE and the reload handlers of hcr.h).
bool hasAnnotation(const clang::Decl *D, llvm::StringRef What);
/// The global an HCR_MIGRATE function migrates (its annotation
/// "hcr_migrate:<global>"); empty if it is not one.
llvm::StringRef migratedGlobal(const clang::Decl *D);

/// Whether Asm names Name as a whole identifier.
bool mentions(llvm::StringRef Asm, llvm::StringRef Name);

//===-- Producer conventions ----------------------------------------------===//

/// How one producer of C spells what the rewrite edits. Plain C is the
/// default; Nim declares functions through macros with a _PTR variant.
class ProducerConventions {
public:
  virtual ~ProducerConventions();
  /// The token and its replacement that turn declarator D into pointer
  /// Slot, if the producer has its own spelling; none: the rewrite wraps
  /// the name as (*Slot).
  virtual std::optional<std::pair<clang::SourceLocation, std::string>>
  pointerDeclarator(const clang::DeclaratorDecl *D, llvm::StringRef Slot,
                    clang::ASTContext &Ctx) const;
  /// The text to drop from D when it becomes static: a macro that expands
  /// to nothing but a visibility attribute (meaningless on a static, and gcc
  /// warns), such as Nim's N_LIB_PRIVATE.
  virtual std::optional<std::pair<clang::SourceLocation, unsigned>>
  visibilityToDrop(const clang::DeclaratorDecl *D,
                   clang::ASTContext &Ctx) const;
  /// Whether the producer's externally visible const globals are program
  /// state (kept across reloads) rather than constant data (re-copied at
  /// every load, plain C's reading of const).
  virtual bool constGlobalsAreState() const { return false; }
  /// The part of a C name that stays the same when other declarations of
  /// the module change: the name itself in plain C; Nim's counters dropped
  /// (`getInt__m_12` is `getInt__m`). Symbols register under it (made
  /// unique within the module, see ModuleRewriter::ownKey).
  virtual std::string stableName(llvm::StringRef Name) const {
    return Name.str();
  }
  /// Whether a function's static locals are program state, kept across
  /// reloads; Nim's are per-copy tables its DatInit000 fills at every load.
  virtual bool staticLocalsAreState() const { return true; }
  /// Whether the producer's main module initializes every module (Nim's
  /// PreMain calling each DatInit000 and Init000): the rewrite then moves
  /// that out of the host and has each module initialize itself when a
  /// reload first loads it (NimHost.cpp, NimInit.cpp).
  virtual bool initializesModulesFromMain() const { return false; }
  /// Whether the module's kept state points into the constant data of the
  /// copy of the module that set it (Nim's ORC string literals, GnuCOBOL's
  /// field descriptors): the copies that reloads replace then stay loaded
  /// (hcr_retain_replaced_code).
  virtual bool stateOutlivesCopies() const { return false; }
  /// Whether a kept global whose type changed may be migrated field by
  /// field, with added fields taking the new initializer (docs/Runtime.md).
  /// Not where the producer's code fills globals at its first run instead
  /// of through C initializers (CHICKEN's literal frame, which its
  /// toplevel fills): those register without a layout, and a change of
  /// size is refused as before.
  virtual bool globalsMigrate() const { return true; }
};

/// Nim's conventions if the translation unit includes nimbase.h,
/// GnuCOBOL's if it includes libcob.h, CHICKEN's if it includes chicken.h,
/// else plain C's.
std::unique_ptr<ProducerConventions>
detectConventions(const clang::SourceManager &SM);

//===-- The rewrite of one module -----------------------------------------===//

/// How the rewrite treats one function.
struct FunctionPlan {
  std::string Name;
  std::string Key;   ///< Registered name (ProjectIndex::keyOf).
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

/// The diagnostics the rewrite reports (RewriteAction.cpp has the text).
enum class RewriteDiag {
  DeclaredOutsideProject,
  GlobalDeclaredOutsideProject,
  ThreadLocal,
  TextOutsideProject,
  InsideMacro,
  ExternInMacro,
  TwoRewrites,
  CannotInsert,
  CannotSpellType,
  InitializerNotInMainFile,
  CannotMoveInitializer,
  OwnDeclaration,
  OwnLocalStaticDeclaration,
  AsmNamesGlobal,
  AsmNamesFunction,
  FileAsmNamesSymbol,
  MigratorWithoutGlobal,
  ActualNameTaken,
  GeneratedNameTaken,
  LocalNameInInitializer,
  CompoundLiteralInInitializer,
};

/// One module's rewrite: the traversal's state and the edits it makes.
class ModuleRewriter : public clang::RecursiveASTVisitor<ModuleRewriter> {
public:
  /// PP (may be null) is the preprocessor whose macros the rewrite keeps
  /// the meaning of in the text it moves (GeneratedNames.cpp).
  ModuleRewriter(clang::ASTContext &Ctx, const RewriteOptions &Opts,
                 const ProjectIndex *Project, clang::Preprocessor *PP);

  /// Rewrites the translation unit (PlanBuilder.cpp).
  ModuleRewrite run();

  // Traversal callbacks (Traversal.cpp; RecursiveASTVisitor, pre-order).
  bool VisitFunctionDecl(clang::FunctionDecl *FD);
  bool VisitVarDecl(clang::VarDecl *VD);
  bool VisitDeclStmt(clang::DeclStmt *DS);
  bool VisitCallExpr(clang::CallExpr *CE);
  bool VisitUnaryOperator(clang::UnaryOperator *UO);
  bool VisitDeclRefExpr(clang::DeclRefExpr *DRE);
  bool VisitGCCAsmStmt(clang::GCCAsmStmt *S);
  bool VisitFileScopeAsmDecl(clang::FileScopeAsmDecl *D);

  /// The plans of the rewritten symbols (Classification.cpp); null: left
  /// alone. The first request classifies, reporting any error.
  FunctionPlan *planFor(const clang::FunctionDecl *FD);
  VarPlan *planFor(const clang::VarDecl *VD);

  /// Records an external symbol this module uses (ModuleIndexer.cpp).
  void noteReference(const clang::ValueDecl *D);

  /// Skips the statements that the rewrite removes (NimHost.cpp).
  bool TraverseStmt(clang::Stmt *S, DataRecursionQueue *Queue = nullptr);
  /// Notes that the uses inside are operands of __typeof__ (Traversal.cpp).
  bool TraverseTypeOfExprTypeLoc(clang::TypeOfExprTypeLoc TL);

  /// The name under which an own function or file-scope variable
  /// registers: the producer's stable name, made unique in the module by
  /// the prototype, then by what the body names, then by rank
  /// (SymbolKeys.cpp).
  const std::string &ownKey(const clang::NamedDecl *D);

private:
  bool isProjectFile(clang::FileID F);
  bool isProjectLoc(clang::SourceLocation L) {
    return L.isValid() && isProjectFile(SM.getFileID(SM.getSpellingLoc(L)));
  }
  bool inMainFile(clang::SourceLocation L) {
    return L.isValid() &&
           SM.getFileID(SM.getExpansionLoc(L)) == SM.getMainFileID();
  }
  ClassifyContext classifyContext();

  // Edits (DeclarationEdits.cpp).
  std::optional<clang::SourceLocation> editableToken(clang::SourceLocation L,
                                                     llvm::StringRef What);
  void replaceToken(clang::SourceLocation L, llvm::StringRef Text,
                    llvm::StringRef What);
  void insertAt(clang::SourceLocation FileLoc, llvm::StringRef Text,
                SourceEdits::Rank Rank = SourceEdits::InPlace);
  /// Places a whole declaration (Text) just before D, on D's line.
  void declareBefore(const clang::Decl *D, llvm::StringRef Text) {
    insertAt(declBegin(D), Text, SourceEdits::Declaration);
  }
  clang::SourceLocation declBegin(const clang::Decl *D) {
    return SM.getExpansionLoc(D->getBeginLoc());
  }
  clang::SourceLocation declaratorEnd(const clang::DeclaratorDecl *D);
  void makeStatic(const clang::DeclaratorDecl *D, clang::StorageClass SC);
  void makePointer(const clang::DeclaratorDecl *D, const std::string &Slot);
  /// A declaration inside one function-like macro invocation becomes the
  /// slot's declaration, the invocation replaced; false if it is not one.
  bool replaceMacroDeclaration(const clang::DeclaratorDecl *D,
                               const std::string &Slot);
  void removeInitializer(const clang::VarDecl *VD, VarPlan &Plan);
  /// Reports a compound literal in the file-scope initializer of VD, which
  /// cannot move into a function; true if there is one.
  bool reportCompoundLiteral(const clang::VarDecl *VD);
  std::string spell(clang::QualType T, const std::string &Name,
                    const clang::NamedDecl *For);
  /// Edits the initializer of a static local that moves to file scope so
  /// that it names nothing declared in its function.
  void moveToFileScope(const clang::VarDecl *VD);
  /// The slot of a static local declared with its own type's definition
  /// (`static struct { int n; } x;`): that definition at file scope; empty
  /// if the declaration is not of that shape.
  std::string slotWithOwnType(const clang::DeclStmt *DS,
                              const clang::VarDecl *VD,
                              const std::string &Slot);
  /// "static <FD's type> Name_actual; ", an early declaration of its code.
  std::string declarationOfActual(const clang::FunctionDecl *FD,
                                  const std::string &Name);
  /// "static <pointer to D's type> Name HCR_SLOT; ".
  std::string slotDeclaration(const clang::ValueDecl *D,
                              const std::string &Name);

  /// Reports an error (RewriteAction.cpp); stream its arguments into the
  /// result.
  clang::DiagnosticBuilder report(clang::SourceLocation L, RewriteDiag D);

  // Results (ModuleIndexer.cpp, PlanBuilder.cpp).
  /// The index entry; the references come from the rewrite's traversal
  /// unless TraverseForReferences (index only) asks for one of their own.
  ModuleIndex collectIndex(bool TraverseForReferences);
  void moveInitializers();
  // Nim's module initialization. Before the traversal: what leaves the
  // host (NimHost.cpp). After the plan: the host's PreMain calls the
  // program module; a module's Init000 runs once per load of its code,
  // only for what is new on a reload (NimInit.cpp).
  void planNimHost();
  void finishNimHost(ModulePlan &P);
  void finishNimInit(ModulePlan &P);
  /// Removes [Begin, End) of the main file, or puts Text there.
  void replaceRange(clang::SourceLocation Begin, clang::SourceLocation End,
                    llvm::StringRef Text);
  /// The location just past S, its ';' included.
  clang::SourceLocation endOfStatement(const clang::Stmt *S);
  ModulePlan buildPlan();
  bool readsRewrittenSymbol(const clang::Expr *Init);
  // The names of the generated code (GeneratedNames.cpp). A declaration or
  // macro of the module that takes one is an error.
  void checkGeneratedNames(const ModulePlan &P);
  /// The entry points' text, with the directives that keep every name in
  /// it meaning what it meant where it was written: the module's symbols,
  /// not macros defined after them, and each moved initializer's macros
  /// as they were at the initializer.
  std::string entryPointsText(ModulePlan &P);
  /// The macro Name is at L (the end of the file if L is invalid); null if
  /// none.
  const clang::MacroInfo *macroAt(const clang::IdentifierInfo *Name,
                                  clang::SourceLocation L);
  /// Directives that make the macros of Text (and of their bodies) what
  /// they were at L, where the state is the end of the file's but for the
  /// names in Undefined; appended to Before and prepended to After.
  void restoreMacros(llvm::StringRef Text, clang::SourceLocation L,
                     const llvm::StringSet<> &Undefined, std::string &Before,
                     std::string &After);

  clang::ASTContext &Ctx;
  clang::SourceManager &SM;
  const clang::LangOptions &LO;
  const RewriteOptions &Opts;
  const ProjectIndex *Project;
  clang::Preprocessor *PP;
  std::unique_ptr<ProducerConventions> Conventions;
  SourceEdits Edits;
  clang::PrintingPolicy Policy;
  llvm::StringSet<> NonReloadable;
  std::string MainPath, Module;
  std::vector<std::string> Roots;
  llvm::DenseMap<clang::FileID, bool> ProjectFiles;
  std::set<std::string> ExternalReferences;

  llvm::DenseMap<const clang::FunctionDecl *, std::optional<FunctionPlan>>
      Functions;
  llvm::DenseMap<const clang::VarDecl *, std::optional<VarPlan>> Vars;
  llvm::StringSet<> HoistedSlots;
  std::optional<llvm::DenseMap<const clang::Decl *, std::string>> OwnKeys;
  void computeOwnKeys();
  llvm::DenseSet<const clang::DeclRefExpr *> DirectCalls;
  /// Every function reference in the callee position of a call.
  llvm::DenseSet<const clang::DeclRefExpr *> Callees;
  /// Every rewritten function reference that is the operand of '&'.
  llvm::DenseSet<const clang::DeclRefExpr *> AddressOperands;
  /// The depth of __typeof__ operands the traversal is in.
  unsigned InTypeOf = 0;
  /// Filled by the traversal (host, handlers), completed by buildPlan.
  ModulePlan Plan;
  /// Own functions and globals in definition order (for registration).
  std::vector<const clang::FunctionDecl *> OwnFunctions;
  std::vector<const clang::VarDecl *> OwnGlobals;
  /// HCR_MIGRATE functions and the name of the global each migrates.
  std::vector<std::pair<const clang::FunctionDecl *, std::string>> Migrators;
  llvm::DenseMap<const clang::VarDecl *, std::string> Inits;
  /// Where each moved initializer (and table's) was written.
  llvm::DenseMap<const clang::VarDecl *, clang::SourceLocation> InitLocs;
  /// Text that moves: [Cut, End) of File goes, and the initializer in
  /// [InitBegin, InitEnd) (empty if none) moves into hcr_module_init.
  struct MovedText {
    const clang::VarDecl *Var;
    clang::FileID File;
    unsigned Cut, InitBegin, InitEnd, End;
  };
  std::vector<MovedText> Moved;
  /// Constant data filled at link time (ModulePlan::Tables): its text in
  /// the same shape; Cut is the '=' before the initializer.
  std::vector<MovedText> Tables;
  /// Constant data whose initializer names a rewritten symbol becomes a
  /// variable the link fills (RuntimeTables.cpp).
  void makeLinkTimeTable(const clang::VarDecl *VD);
  /// Statements the traversal skips: text that the rewrite removes.
  llvm::DenseSet<const clang::Stmt *> SkippedStmts;
  struct RangeEdit {
    clang::SourceLocation Begin, End;
    std::string Text;
  };
  std::vector<RangeEdit> NimHostEdits;
  bool NimHost = false;
  /// The top-level declaration being traversed (for hoisted insertions).
  const clang::Decl *Top = nullptr;
  bool Failed = false;
};

} // namespace hcr::rewrite

#endif
