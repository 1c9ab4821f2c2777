//===- WriteFiles.cpp - The all-or-nothing output writer -----------------===//
//
// A project-level utility of the drivers (the transform never writes): the
// rewritten files, the index and the build's state are replaced together or
// not at all.
//
//===----------------------------------------------------------------------===//

#include "hcr/Rewrite/ProjectFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace hcr::rewrite {

/// Each file goes to a temporary beside its target, and only when all are
/// written are they renamed into place.
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

} // namespace hcr::rewrite
