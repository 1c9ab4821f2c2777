//===- ModuleCode.h - One loaded copy of a module's code --------*- C++ -*-===//
//
// A module's code is a private copy of its shared object, opened with
// dlopen, so the original file can be rebuilt while the program runs. The
// host's code is the executable itself and comes with its entry points.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_MODULECODE_H
#define HCR_LIB_RUNTIME_MODULECODE_H

#include "hcr/hcr.h"

#include <ctime>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

namespace hcr {

/// What identifies one build of a file: a rebuild that replaces the file
/// (rename) or rewrites it changes at least one field.
struct FileIdentity {
  bool Exists = false;
  dev_t Device = 0;
  ino_t Inode = 0;
  off_t Size = 0;
  timespec ModifiedAt = {0, 0};

  static FileIdentity of(const std::string &Path);
  bool operator==(const FileIdentity &O) const;
  bool operator!=(const FileIdentity &O) const { return !(*this == O); }
};

class ModuleCode {
public:
  /// The host's code: never copied, loaded or unloaded.
  static std::unique_ptr<ModuleCode>
  forHost(const hcr_module_entry_points &Entries, std::string &Err);

  /// Copies the shared object at Path into CopyPath, opens the copy and reads
  /// the module ABI's entry points. Null with Err set on any failure, with
  /// nothing left behind; Kind then says whether the file could not be
  /// loaded (HCR_ERROR_MODULE_LOAD) or breaks the module ABI.
  static std::unique_ptr<ModuleCode> load(const std::string &Path,
                                          const std::string &CopyPath,
                                          hcr_status &Kind, std::string &Err);
  ~ModuleCode();
  ModuleCode(const ModuleCode &) = delete;
  ModuleCode &operator=(const ModuleCode &) = delete;

  const hcr_module_entry_points &entries() const { return Entries; }
  /// The identity of the file this code was copied from (at the copy).
  const FileIdentity &identity() const { return Identity; }
  const std::vector<std::string> &imports() const { return Imports; }
  const std::string &signature() const { return Signature; }
  const std::string &copyPath() const { return CopyPath; }

  /// How long the copy and the dlopen took, in milliseconds.
  double copyMs() const { return CopyMs; }
  double dlopenMs() const { return DlopenMs; }

  /// Removes the private copy without unloading (for process exit).
  void removeCopy();

private:
  ModuleCode() = default;
  bool readMetadata(std::string &Err);

  hcr_module_entry_points Entries = {};
  FileIdentity Identity;
  std::vector<std::string> Imports;
  std::string Signature;
  void *Handle = nullptr;
  std::string CopyPath;
  double CopyMs = 0, DlopenMs = 0;
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_MODULECODE_H
