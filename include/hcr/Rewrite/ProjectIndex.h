//===- hcr/Rewrite/ProjectIndex.h - Who defines what ------------*- C++ -*-===//
//
// Rewriting module M needs the whole project: which module owns each
// function and global that M declares. The index records, per module, the
// symbols with external linkage it defines and those it references; it is
// saved as JSON so that after an edit only the changed module is parsed.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_REWRITE_PROJECTINDEX_H
#define HCR_REWRITE_PROJECTINDEX_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hcr::rewrite {

/// A file a module's translation unit read, to tell when an entry is stale.
struct FileStamp {
  std::string Path;
  uint64_t Size = 0;
  int64_t ModifiedNs = 0;
  bool operator==(const FileStamp &O) const {
    return Path == O.Path && Size == O.Size && ModifiedNs == O.ModifiedNs;
  }
};

/// What one module (one translation unit) defines and references.
struct ModuleIndex {
  std::string Name;     ///< Module name (the main file's stem by default).
  std::string MainFile; ///< Absolute path of the translation unit's file.
  bool IsHost = false;  ///< Defines main().
  std::vector<std::string> Functions;  ///< Reloadable, external linkage.
  std::vector<std::string> Globals;    ///< External linkage.
  std::vector<std::string> References; ///< External names it uses.
  /// The name under which a symbol of Functions or Globals registers, where
  /// it is not the C name: a producer whose C names shift between builds
  /// (Nim's `f__m_12`) registers under a name that survives an edit.
  std::map<std::string, std::string> Keys;
  /// Functions of Functions with default visibility: what a program linked
  /// with -Wl,-E exports to the shared objects it loads.
  std::vector<std::string> Exported;
  std::vector<FileStamp> Inputs; ///< Main file and project headers.
};

/// A symbol defined by more than one module (a native link would fail on it
/// too).
struct DuplicateDefinition {
  std::string Name;
  std::vector<std::string> Modules; ///< Sorted.
  bool operator==(const DuplicateDefinition &O) const {
    return Name == O.Name && Modules == O.Modules;
  }
};

class ProjectIndex {
public:
  /// Adds or replaces the entry of M.Name.
  void add(ModuleIndex M);
  const ModuleIndex *module(llvm::StringRef Name) const;
  const std::map<std::string, ModuleIndex> &modules() const { return Modules; }

  /// The module defining an external function or global, if any module does.
  std::optional<std::string> functionOwner(llvm::StringRef Name) const;
  std::optional<std::string> globalOwner(llvm::StringRef Name) const;
  /// The registered name of an external function or global: its owner's
  /// key for it, or the C name itself.
  std::string keyOf(llvm::StringRef Name) const;

  /// Symbols defined by more than one module, by name.
  std::vector<DuplicateDefinition> duplicateDefinitions() const;

  std::string toJSON() const;
  static llvm::Expected<ProjectIndex> fromJSON(llvm::StringRef Text);

private:
  void rebuildOwners();
  std::map<std::string, ModuleIndex> Modules;
  llvm::StringMap<std::vector<std::string>> FunctionOwners, GlobalOwners;
};

/// Stamps Path as it is now on disk (Size 0 and time 0 if missing).
FileStamp stampFile(llvm::StringRef Path);

} // namespace hcr::rewrite

#endif
