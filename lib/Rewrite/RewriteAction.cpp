//===- RewriteAction.cpp - Frontend glue and the rewrite's diagnostics ----===//
//
// The one ASTConsumer that runs a ModuleRewriter over each translation unit
// (RewriteAction is its factory, for tooling::newFrontendActionFactory),
// the text of every diagnostic the rewrite reports, and the options'
// serialization.
//
//===----------------------------------------------------------------------===//

#include "RewriteInternal.h"

#include "hcr/Rewrite/ProjectFiles.h"

#include "clang/Basic/DiagnosticIDs.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Sema/Sema.h"
#include "clang/Sema/SemaConsumer.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace hcr::rewrite {

ModuleRewriter::ModuleRewriter(ASTContext &Ctx, const RewriteOptions &Opts,
                               const ProjectIndex *Project, Preprocessor *PP)
    : Ctx(Ctx), SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()), Opts(Opts),
      Project(Project), PP(PP), Conventions(detectConventions(SM)), Edits(SM),
      Policy(LO) {
  Policy.SuppressUnwrittenScope = true;
  for (const std::string &Name : Opts.NonReloadable)
    NonReloadable.insert(Name);
  OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID());
  MainPath = absolutePath(Main ? Main->getName() : "input.c");
  Module = Opts.ModuleName.empty() ? llvm::sys::path::stem(MainPath).str()
                                   : Opts.ModuleName;
  for (const std::string &R : Opts.ProjectRoots)
    Roots.push_back(absolutePath(R));
  if (Roots.empty())
    Roots.push_back(llvm::sys::path::parent_path(MainPath).str());
}

/// The text of each diagnostic; %0, %1 are its arguments.
static const char *diagText(RewriteDiag D) {
  switch (D) {
  case RewriteDiag::DeclaredOutsideProject:
    return "'%0' is defined in this project and also declared outside it (a "
           "system header?), so hcr cannot turn it into a pointer; mark it "
           "HCR_NON_RELOADABLE or rename it";
  case RewriteDiag::GlobalDeclaredOutsideProject:
    return "global '%0' of this project is also declared outside it (a "
           "system header?), so hcr cannot turn it into a slot; rename it";
  case RewriteDiag::ThreadLocal:
    return "thread-local variable '%0' cannot be made reloadable: the "
           "runtime keeps one copy of each global; make it an ordinary "
           "global, or keep it in a file that hcr does not rewrite";
  case RewriteDiag::TextOutsideProject:
    return "hcr cannot rewrite this use of '%0': its text is outside the "
           "project";
  case RewriteDiag::InsideMacro:
    return "hcr cannot rewrite this use of '%0' inside macro '%1', which is "
           "defined outside the project or pastes tokens; use the name "
           "outside the macro";
  case RewriteDiag::ExternInMacro:
    return "hcr cannot make '%0' static: its 'extern' comes from macro '%1', "
           "which holds more than storage class and attributes; write "
           "'extern' outside the macro";
  case RewriteDiag::TwoRewrites:
    return "hcr cannot rewrite '%0' here: the same text needs two different "
           "rewrites (a macro used for different symbols?)";
  case RewriteDiag::CannotInsert:
    return "hcr cannot insert its declarations here (inside text that is "
           "rewritten otherwise)";
  case RewriteDiag::CannotSpellType:
    return "hcr cannot spell the type of '%0' at file scope; declare its type "
           "at file scope with a name";
  case RewriteDiag::InitializerNotInMainFile:
    return "hcr cannot move the initializer of '%0' (it is not written in the "
           "module's files: the main file or a project header)";
  case RewriteDiag::CannotMoveInitializer:
    return "hcr cannot move the initializer of '%0'";
  case RewriteDiag::OwnDeclaration:
    return "declare '%0' in its own declaration";
  case RewriteDiag::OwnLocalStaticDeclaration:
    return "declare the function-local static '%0' in its own declaration";
  case RewriteDiag::AsmNamesGlobal:
    return "inline assembly names global '%0', which hcr moves behind a "
           "pointer; pass it as an operand instead";
  case RewriteDiag::AsmNamesFunction:
    return "inline assembly names function '%0', which hcr renames; call it "
           "from C instead";
  case RewriteDiag::FileAsmNamesSymbol:
    return "assembly names '%0', which hcr rewrites; keep it out of assembly "
           "or mark it HCR_NON_RELOADABLE";
  case RewriteDiag::MigratorWithoutGlobal:
    return "HCR_MIGRATE(%0) names no global of this module that hcr keeps "
           "(a file-scope variable defined in this file)";
  case RewriteDiag::ActualNameTaken:
    return "'%0' is the name hcr gives to the code of function '%1'; rename "
           "one of them";
  case RewriteDiag::LocalNameInInitializer:
    return "hcr cannot move the initializer of '%0' to file scope: it names "
           "'%1', which is declared in the function; declare it at file "
           "scope";
  case RewriteDiag::CompoundLiteralInInitializer:
    return "hcr cannot move the initializer of '%0' into a function: its "
           "compound literal would no longer be static; make the literal a "
           "static variable of its own";
  case RewriteDiag::GeneratedNameTaken:
    return "'%0' is a name of hcr's generated code or of <hcr/hcr.h>; "
           "rename it";
  }
  llvm_unreachable("unknown rewrite diagnostic");
}

DiagnosticBuilder ModuleRewriter::report(SourceLocation L, RewriteDiag D) {
  DiagnosticsEngine &Diags = Ctx.getDiagnostics();
  unsigned ID = Diags.getDiagnosticIDs()->getCustomDiagID(DiagnosticIDs::Error,
                                                          diagText(D));
  Failed = true;
  return Diags.Report(L, ID);
}

namespace {

/// A SemaConsumer for the preprocessor, whose macro history the rewrite
/// reads once the translation unit is parsed.
class RewriteConsumer : public SemaConsumer {
public:
  RewriteConsumer(const RewriteOptions &Opts, const ProjectIndex *Project,
                  std::vector<ModuleRewrite> &Out)
      : Opts(Opts), Project(Project), Out(Out) {}
  void InitializeSema(Sema &S) override { PP = &S.getPreprocessor(); }
  void ForgetSema() override { PP = nullptr; }
  void HandleTranslationUnit(ASTContext &Ctx) override {
    Out.push_back(ModuleRewriter(Ctx, Opts, Project, PP).run());
  }

private:
  const RewriteOptions &Opts;
  const ProjectIndex *Project;
  std::vector<ModuleRewrite> &Out;
  Preprocessor *PP = nullptr;
};

} // namespace

std::unique_ptr<ASTConsumer> RewriteAction::newASTConsumer() {
  return std::make_unique<RewriteConsumer>(Options, Project, Out);
}

namespace {

class OwningFactory : public tooling::FrontendActionFactory {
public:
  OwningFactory(const RewriteOptions &Options, const ProjectIndex *Project,
                std::vector<ModuleRewrite> &Out)
      : Action(Options, Project, Out),
        Inner(tooling::newFrontendActionFactory(&Action)) {}
  std::unique_ptr<FrontendAction> create() override { return Inner->create(); }

private:
  RewriteAction Action;
  std::unique_ptr<tooling::FrontendActionFactory> Inner;
};

} // namespace

std::unique_ptr<tooling::FrontendActionFactory>
newRewriteActionFactory(const RewriteOptions &Options,
                        const ProjectIndex *Project,
                        std::vector<ModuleRewrite> &Out) {
  return std::make_unique<OwningFactory>(Options, Project, Out);
}

std::string RewriteOptions::serialize() const {
  // Binding every field: adding one breaks this line until it is listed.
  const auto &[Name, Roots, Indirect, Patching, Excluded, OnlyIndex, Debug] =
      *this;
  // The rewrite's own version: raised when what it writes or indexes
  // changes, so that a build made by an older hcr is redone.
  constexpr int RewriteFormat = 9;
  llvm::json::Object O{{"rewrite-format", RewriteFormat},
                       {"module-name", Name},
                       {"project-roots", llvm::json::Array(Roots)},
                       {"all-calls-indirect", Indirect},
                       {"slot-patching", Patching},
                       {"non-reloadable", llvm::json::Array(Excluded)},
                       {"index-only", OnlyIndex},
                       {"debug-names", Debug}};
  std::string Out;
  llvm::raw_string_ostream(Out) << llvm::json::Value(std::move(O));
  return Out;
}

llvm::Expected<std::string> applyEdits(llvm::StringRef Code,
                                       const tooling::Replacements &Edits) {
  return tooling::applyAllReplacements(Code, Edits);
}

} // namespace hcr::rewrite
