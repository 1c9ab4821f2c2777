//===- ProjectPaths.cpp - Where a project's files are and go -------------===//
//
// Absolute paths, the default project root, and the path of a rewritten
// copy in an output tree.
//
//===----------------------------------------------------------------------===//

#include "hcr/Rewrite/ProjectFiles.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace hcr::rewrite {

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

} // namespace hcr::rewrite
