//===- hcr/Rewrite/ModuleRewriter.h - The C transform -----------*- C++ -*-===//
//
// Rewrites one C translation unit (one module) into the form that libhcr
// reloads (docs/Rewrite.md): project functions called through pointers to
// trampolines, globals through slots, and the module ABI's entry points.
// The library computes edits; it never writes a file.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_REWRITE_MODULEREWRITER_H
#define HCR_REWRITE_MODULEREWRITER_H

#include "hcr/Rewrite/ProjectIndex.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Tooling/Core/Replacement.h"
#include "clang/Tooling/Tooling.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hcr::rewrite {

struct RewriteOptions {
  /// Module name; empty: the main file's stem.
  std::string ModuleName;
  /// Directories whose headers belong to the project (absolute). Empty: the
  /// directory of each main file. System headers never do.
  std::vector<std::string> ProjectRoots;
  /// Send calls to the module's own functions through the trampolines too
  /// (as Nim's own hot code reloading does), instead of straight to
  /// <name>_actual.
  bool AllCallsIndirect = false;
  /// Slot patching: an imported function that this module only calls gets
  /// its slot bound with hcr_bind_proc, so the slot holds the code address
  /// and the runtime rewrites it on reload; one whose address the module
  /// uses keeps the trampoline.
  bool SlotPatching = false;
  /// Functions left alone, besides those marked HCR_NON_RELOADABLE.
  std::vector<std::string> NonReloadable;
  /// Only collect the index entry; compute no edit.
  bool IndexOnly = false;
  /// Leave the table of renamed symbols (`hcr_debug_names`) for the
  /// debug-names clang plugin (lib/DebugNames), which deletes it. Off: a
  /// module compiled without the plugin would keep it as data.
  bool DebugNames = false;

  /// Every field, as text: edits made under one serialization are valid
  /// only under the same one (hcr-build's cache key). The implementation
  /// binds every field by structured binding, so a new field does not
  /// compile until it is serialized.
  std::string serialize() const;
};

/// The outcome for one translation unit.
struct ModuleRewrite {
  ModuleIndex Index;
  /// Edits per absolute file path: the main file and every project header
  /// it includes (with no edit if the header needs none).
  std::map<std::string, clang::tooling::Replacements> Edits;
  /// False if a diagnostic error was reported: nothing may be written.
  bool Succeeded = false;
};

/// Indexes and rewrites each translation unit a tool runs on, appending
/// one ModuleRewrite per unit to Out. Use it through
/// clang::tooling::newFrontendActionFactory(&Action).
class RewriteAction {
public:
  /// Project is the index of the other modules (may be null: only this
  /// translation unit is the project).
  RewriteAction(RewriteOptions Options, const ProjectIndex *Project,
                std::vector<ModuleRewrite> &Out)
      : Options(std::move(Options)), Project(Project), Out(Out) {}
  std::unique_ptr<clang::ASTConsumer> newASTConsumer();

private:
  RewriteOptions Options;
  const ProjectIndex *Project;
  std::vector<ModuleRewrite> &Out;
};

/// A factory that owns a RewriteAction (for callers that keep no action of
/// their own, e.g. runToolOnCode's users and benchmarks).
std::unique_ptr<clang::tooling::FrontendActionFactory>
newRewriteActionFactory(const RewriteOptions &Options,
                        const ProjectIndex *Project,
                        std::vector<ModuleRewrite> &Out);

/// Applies Edits to Code (for tests and drivers).
llvm::Expected<std::string>
applyEdits(llvm::StringRef Code, const clang::tooling::Replacements &Edits);

} // namespace hcr::rewrite

#endif
