//===- hcr/Rewrite/ModuleRewriter.h - The reloadable-C transform -*- C++
//-*-===//
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

#include "clang/Tooling/Core/Replacement.h"
#include "clang/Tooling/Tooling.h"

#include <map>
#include <memory>
#include <optional>
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
  /// (Nim's strategy), instead of straight to <name>_actual.
  bool AllCallsIndirect = false;
  /// Slot patching (strategy 3 of docs/experiments.md): an imported function
  /// that this module only calls gets its slot bound with hcr_bind_proc, so
  /// the slot holds the code address and the runtime rewrites it on reload;
  /// one whose address the module uses keeps the trampoline.
  bool SlotPatching = false;
  /// Functions left alone, besides those marked HCR_NON_RELOADABLE.
  std::vector<std::string> NonReloadable;
  /// Only collect the index entry; compute no edit.
  bool IndexOnly = false;
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

/// A factory of the frontend action that indexes and rewrites each
/// translation unit it runs on, appending one ModuleRewrite per unit to Out.
/// Project is the index of the other modules (may be null: only this
/// translation unit is the project).
std::unique_ptr<clang::tooling::FrontendActionFactory>
newRewriteActionFactory(const RewriteOptions &Options,
                        const ProjectIndex *Project,
                        std::vector<ModuleRewrite> &Out);

/// The edits of one file from every module that includes it: a header gets
/// the union of what each includer needs (a macro body is rewritten only by
/// the modules that expand it). An error if two edit the same text
/// differently.
llvm::Expected<clang::tooling::Replacements>
unionOfEdits(llvm::StringRef File,
             std::vector<clang::tooling::Replacement> All);

/// Where the rewritten copy of Path goes in an output tree: below OutDir as
/// it is below Roots[0], or below OutDir/.hcr-roots/<k> for Roots[k] (e.g.
/// Nim's lib directory, whose nimbase.h declares a project global); builds
/// put those directories first in the include path. None if Path is under
/// no root.
std::optional<std::string> mirrorPath(llvm::StringRef Path,
                                      const std::vector<std::string> &Roots,
                                      llvm::StringRef OutDir);

/// Writes every file (path -> text) or none: each goes to a temporary beside
/// its target, and only when all are written are they renamed into place.
/// The one place this project writes files for its tools.
llvm::Error
writeFilesAtomically(const std::map<std::string, std::string> &Files);

/// Path made absolute, with "." and ".." removed (no symlink resolution).
std::string absolutePath(llvm::StringRef Path);

/// The deepest directory containing every path (the default project root).
std::string commonDirectory(const std::vector<std::string> &Paths);

/// Applies Edits to Code (for tests and drivers).
llvm::Expected<std::string>
applyEdits(llvm::StringRef Code, const clang::tooling::Replacements &Edits);

} // namespace hcr::rewrite

#endif
