//===- hcr/Rewrite/ProjectFiles.h - Paths and writes ------------*- C++ -*-===//
//
// Project-level file utilities shared by hcr-rewrite and hcr-build: where a
// rewritten file goes, and the all-or-nothing writer. The transform itself
// never writes a file.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_REWRITE_PROJECTFILES_H
#define HCR_REWRITE_PROJECTFILES_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hcr::rewrite {

/// Where the rewritten copy of Path goes in an output tree: below OutDir as
/// it is below Roots[0], or below OutDir/.hcr-roots/<k> for Roots[k] (e.g.
/// Nim's lib directory, whose nimbase.h declares a project global); builds
/// put those directories first in the include path. None if Path is under
/// no root.
std::optional<std::string> mirrorPath(llvm::StringRef Path,
                                      const std::vector<std::string> &Roots,
                                      llvm::StringRef OutDir);

/// Path made absolute, with "." and ".." removed (no symlink resolution).
std::string absolutePath(llvm::StringRef Path);

/// The deepest directory containing every path (the default project root).
std::string commonDirectory(const std::vector<std::string> &Paths);

/// Writes every file (path -> text) or none: each goes to a temporary beside
/// its target, and only when all are written are they renamed into place.
/// The one place this project writes files for its tools.
llvm::Error
writeFilesAtomically(const std::map<std::string, std::string> &Files);

} // namespace hcr::rewrite

#endif
