//===- hcr/Rewrite/ProjectRewriter.h - A whole project ----------*- C++ -*-===//
//
// The pipeline over every module of a project, shared by hcr-rewrite and
// hcr-build: bring the project index up to date, rewrite the modules whose
// files or dependencies changed (reusing the edits of the others), and give
// back the rewritten text of every file. Nothing is written: the driver
// decides where the text goes.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_REWRITE_PROJECTREWRITER_H
#define HCR_REWRITE_PROJECTREWRITER_H

#include "hcr/Rewrite/ModuleRewriter.h"

#include "clang/Tooling/CompilationDatabase.h"

namespace hcr::rewrite {

/// One module's edits of every file it read, by absolute path.
using FileEdits =
    std::map<std::string, std::vector<clang::tooling::Replacement>>;

struct ProjectRewriteInput {
  /// Absolute main files, one per module.
  std::vector<std::string> Sources;
  /// ProjectRoots must be set; IndexOnly only brings the index up to date.
  RewriteOptions Options;
  /// The index of an earlier run (may be empty).
  ProjectIndex Index;
  /// Per module, its edits from an earlier run with the same options: a
  /// module whose files did not change and whose edits are here is not
  /// parsed again.
  std::map<std::string, FileEdits> PreviousEdits;
};

struct ProjectRewrite {
  /// Up to date for every source.
  ProjectIndex Index;
  /// Per module, its edits (reused or new).
  std::map<std::string, FileEdits> Edits;
  /// The modules parsed and rewritten by this run, with why.
  std::map<std::string, std::string> Rewritten;
  /// Rewritten text of every project file, by original path.
  std::map<std::string, std::string> Texts;
};

/// A module failed to rewrite; its diagnostics were already reported.
class RewriteFailed : public llvm::ErrorInfo<RewriteFailed> {
public:
  static char ID;
  explicit RewriteFailed(std::string File) : File(std::move(File)) {}
  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override;
  std::string File;
};

/// Rewrites the project; an error if a module fails (RewriteFailed), if two
/// modules define one symbol, or if a header needs different edits for
/// different modules.
llvm::Expected<ProjectRewrite>
rewriteProject(const clang::tooling::CompilationDatabase &DB,
               ProjectRewriteInput Input);

/// The edits of one file from every module that includes it: a header gets
/// the union of what each includer needs (a macro body is rewritten only by
/// the modules that expand it). An error if two edit the same text
/// differently.
llvm::Expected<clang::tooling::Replacements>
unionOfEdits(llvm::StringRef File,
             std::vector<clang::tooling::Replacement> All);

} // namespace hcr::rewrite

#endif
