//===- ModuleCode.h - One loaded copy of a module's code --------*- C++ -*-===//
//
// A module's code is a private copy of its shared object, opened with
// dlopen, so the original file can be rebuilt while the program runs. The
// host's code is the executable itself and comes with its entry points.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_MODULECODE_H
#define HCR_LIB_RUNTIME_MODULECODE_H

#include "StackScan.h"
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

/// Where a module's private copy is made.
struct CopyPlace {
  /// A folder for copy files (HCR_COPY_DIR). Empty: an anonymous memory file
  /// (memfd_create), opened as /proc/PID/fd/N, which goes with the process
  /// however it ends; a debugger attached to the process opens the same
  /// name.
  std::string Dir;
  std::string Name; ///< "<module>.<load count>".
  /// Unloaded, the copy leaves its data pages where they were (KeptData.h).
  bool KeepData = true;
};

class ModuleCode {
public:
  /// The host's code: never copied, loaded or unloaded.
  static std::unique_ptr<ModuleCode>
  forHost(const hcr_module_entry_points &Entries, std::string &Err);

  /// Copies the shared object at Path to Place, opens the copy and reads
  /// the module ABI's entry points. Null with Err set on any failure, with
  /// nothing left behind; Kind then says whether the file could not be
  /// loaded (HCR_ERROR_MODULE_LOAD) or breaks the module ABI.
  static std::unique_ptr<ModuleCode> load(const std::string &Path,
                                          const CopyPlace &Place,
                                          hcr_status &Kind, std::string &Err);
  /// Whether copies can be memory files here (memfd_create and /proc).
  static bool memoryFilesWork();
  ~ModuleCode();
  ModuleCode(const ModuleCode &) = delete;
  ModuleCode &operator=(const ModuleCode &) = delete;

  const hcr_module_entry_points &entries() const { return Entries; }
  /// The identity of the file this code was copied from (at the copy).
  const FileIdentity &identity() const { return Identity; }
  const std::vector<std::string> &imports() const { return Imports; }
  const std::string &signature() const { return Signature; }
  /// The name the copy was opened by (a file, or /proc/PID/fd/N).
  const std::string &copyPath() const { return CopyPath; }
  /// Where the copy's (or the program's) executable segments are mapped.
  const std::vector<CodeRange> &codeRanges() const { return Code; }

  /// How long the copy and the dlopen took, in milliseconds.
  double copyMs() const { return CopyMs; }
  double dlopenMs() const { return DlopenMs; }

  /// Removes the private copy without unloading (for process exit).
  void removeCopy();

  /// Unloads the copy but keeps it, to be loaded again by wake(): replaced
  /// code that only a rollback may need leaves the program, and so the
  /// debugger's view, where it would stand beside the new code under the
  /// same names. False, with nothing changed, where the copy cannot be
  /// loaded again (no copy, or one the dynamic loader keeps).
  bool sleep();
  /// Loads a sleeping copy again, afresh as at its first load (constructors
  /// run, entry points and code found again). True if it was awake.
  bool wake(std::string &Err);
  bool asleep() const { return Sleeping; }

private:
  ModuleCode() = default;
  /// dlopen's the copy and finds the module ABI's entry points; Path names
  /// the module in errors.
  bool openCopy(const std::string &Path, hcr_status &Kind, std::string &Err);
  bool readMetadata(std::string &Err);
  void findCodeRanges();
  /// dlclose, keeping the data pages unless the place said not to.
  void unload();

  hcr_module_entry_points Entries = {};
  FileIdentity Identity;
  std::vector<std::string> Imports;
  std::string Signature;
  void *Handle = nullptr;
  std::string CopyPath;
  bool CopyIsFile = false; ///< Else a memory file, open as MemoryFile.
  bool KeepData = false;   ///< CopyPlace::KeepData.
  int MemoryFile = -1;
  bool Sleeping = false;
  std::vector<CodeRange> Code;
  double CopyMs = 0, DlopenMs = 0;
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_MODULECODE_H
