//===- ModuleCode.cpp - One loaded copy of a module's code ----------------===//

#include "ModuleCode.h"

#include "KeptData.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hcr {

static FileIdentity identityOf(const struct stat &St) {
  FileIdentity Id;
  Id.Exists = true;
  Id.Device = St.st_dev;
  Id.Inode = St.st_ino;
  Id.Size = St.st_size;
  Id.ModifiedAt = St.st_mtim;
  return Id;
}

FileIdentity FileIdentity::of(const std::string &Path) {
  struct stat St;
  if (stat(Path.c_str(), &St) != 0)
    return FileIdentity();
  return identityOf(St);
}

bool FileIdentity::operator==(const FileIdentity &O) const {
  if (Exists != O.Exists)
    return false;
  return !Exists || (Device == O.Device && Inode == O.Inode && Size == O.Size &&
                     ModifiedAt.tv_sec == O.ModifiedAt.tv_sec &&
                     ModifiedAt.tv_nsec == O.ModifiedAt.tv_nsec);
}

static std::string errnoText(const std::string &What, const std::string &Path) {
  return What + " '" + Path + "': " + std::strerror(errno);
}

/// Copies Size bytes of In (already open) into Out (named To, for
/// messages); false with Err on failure.
static bool copyBytes(int In, off_t Size, int Out, const std::string &To,
                      std::string &Err) {
  off_t Done = 0;
  while (Done < Size) {
    ssize_t N = copy_file_range(In, nullptr, Out, nullptr, Size - Done, 0);
    if (N < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL)) {
      // No kernel copy between these file systems: copy through a buffer.
      char Buf[1 << 16];
      N = pread(In, Buf, sizeof(Buf), Done);
      if (N > 0 && write(Out, Buf, N) != N)
        N = -1;
    }
    if (N <= 0) {
      Err = N == 0 ? "'" + To + "': source file shrank while being copied"
                   : errnoText("cannot copy to", To);
      return false;
    }
    Done += N;
  }
  return true;
}

/// Copies In to a new file at To; false with Err (and no file) on failure.
static bool copyToFile(int In, off_t Size, const std::string &To,
                       std::string &Err) {
  int Out = open(To.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
  if (Out < 0) {
    Err = errnoText("cannot create", To);
    return false;
  }
  bool Ok = copyBytes(In, Size, Out, To, Err);
  if (close(Out) != 0 && Ok) {
    Err = errnoText("cannot write", To);
    Ok = false;
  }
  if (!Ok)
    unlink(To.c_str());
  return Ok;
}

/// Copies In to a new memory file named Name; its descriptor, or -1 with
/// Err.
static int copyToMemoryFile(int In, off_t Size, const std::string &Name,
                            std::string &Err) {
  int Out = memfd_create(("hcr-" + Name).c_str(), MFD_CLOEXEC);
  if (Out < 0) {
    Err = errnoText("cannot create a memory file for", Name);
    return -1;
  }
  if (!copyBytes(In, Size, Out, Name, Err)) {
    close(Out);
    return -1;
  }
  return Out;
}

bool ModuleCode::memoryFilesWork() {
  int Fd = memfd_create("hcr-probe", MFD_CLOEXEC);
  if (Fd < 0)
    return false;
  std::string Name =
      "/proc/" + std::to_string(getpid()) + "/fd/" + std::to_string(Fd);
  bool Works = access(Name.c_str(), R_OK) == 0;
  close(Fd);
  return Works;
}

std::unique_ptr<ModuleCode>
ModuleCode::forHost(const hcr_module_entry_points &Entries, std::string &Err) {
  std::unique_ptr<ModuleCode> Code(new ModuleCode());
  Code->Entries = Entries;
  if (!Code->readMetadata(Err))
    return nullptr;
  Code->findCodeRanges();
  return Code;
}

std::unique_ptr<ModuleCode> ModuleCode::load(const std::string &Path,
                                             const CopyPlace &Place,
                                             hcr_status &Kind,
                                             std::string &Err) {
  Kind = HCR_ERROR_MODULE_LOAD;
  int In = open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (In < 0) {
    Err = errnoText("cannot open module", Path);
    return nullptr;
  }
  struct stat St;
  if (fstat(In, &St) != 0) {
    Err = errnoText("cannot stat module", Path);
    close(In);
    return nullptr;
  }
  using Clock = std::chrono::steady_clock;
  auto Ms = [](Clock::time_point Since) {
    return std::chrono::duration<double, std::milli>(Clock::now() - Since)
        .count();
  };
  Clock::time_point Start = Clock::now();
  std::string CopyPath;
  int MemoryFile = -1;
  bool Copied;
  if (!Place.Dir.empty()) {
    CopyPath = Place.Dir + "/" + Place.Name + ".so";
    Copied = copyToFile(In, St.st_size, CopyPath, Err);
  } else {
    MemoryFile = copyToMemoryFile(In, St.st_size, Place.Name + ".so", Err);
    Copied = MemoryFile >= 0;
    CopyPath = "/proc/" + std::to_string(getpid()) + "/fd/" +
               std::to_string(MemoryFile);
  }
  double CopyMs = Ms(Start);
  close(In);
  if (!Copied)
    return nullptr;

  std::unique_ptr<ModuleCode> Code(new ModuleCode());
  Code->Identity = identityOf(St);
  // From here on the destructor removes the copy.
  Code->CopyPath = CopyPath;
  Code->CopyIsFile = !Place.Dir.empty();
  Code->KeepData = Place.KeepData;
  Code->MemoryFile = MemoryFile;
  Code->CopyMs = CopyMs;
  Start = Clock::now();
  bool Opened = Code->openCopy(Path, Kind, Err);
  Code->DlopenMs = Ms(Start);
  if (!Opened)
    return nullptr;
  return Code;
}

bool ModuleCode::openCopy(const std::string &Path, hcr_status &Kind,
                          std::string &Err) {
  Kind = HCR_ERROR_MODULE_LOAD;
  Handle = dlopen(CopyPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!Handle) {
    const char *Why = dlerror();
    Err = "cannot load module '" + Path + "': " + (Why ? Why : "dlopen failed");
    return false;
  }

  auto Find = [&](const char *Name, void *&Out) {
    dlerror();
    Out = dlsym(Handle, Name);
    if (Out)
      return true;
    Err = "module '" + Path + "' does not export the entry point '" + Name +
          "' (is it a module built by hcr?)";
    return false;
  };
  Kind = HCR_ERROR_MODULE_ABI; // The file loads; what follows is the ABI.
  void *Version;
  if (!Find(HCR_MODULE_ABI_VERSION_SYMBOL, Version))
    return false;
  unsigned Found = reinterpret_cast<unsigned (*)(void)>(Version)();
  if (Found != HCR_MODULE_ABI_VERSION) {
    Err = "module '" + Path + "' was built for module ABI version " +
          std::to_string(Found) + ", this runtime implements version " +
          std::to_string(HCR_MODULE_ABI_VERSION);
    return false;
  }
  void *Entry;
#define HCR_FIND_ENTRY_POINT_(name, type, what)                                \
  if (!Find(HCR_MODULE_PREFIX #name, Entry))                                   \
    return false;                                                              \
  Entries.name = reinterpret_cast<type (*)(void)>(Entry);
  HCR_MODULE_ENTRY_POINTS(HCR_FIND_ENTRY_POINT_)
#undef HCR_FIND_ENTRY_POINT_
  Imports.clear();
  if (!readMetadata(Err)) {
    Err = "module '" + Path + "': " + Err;
    return false;
  }
  findCodeRanges();
  return true;
}

void ModuleCode::unload() {
  if (KeepData)
    dlcloseKeepingData(Handle);
  else
    dlclose(Handle);
}

bool ModuleCode::sleep() {
  if (Sleeping || !Handle || CopyPath.empty() ||
      (!CopyIsFile && MemoryFile < 0))
    return false;
  unload();
  Handle = nullptr;
  // A copy the dynamic loader keeps (a unique symbol makes it undeletable)
  // stays as it was: loaded.
  if (void *Still = dlopen(CopyPath.c_str(), RTLD_LAZY | RTLD_NOLOAD)) {
    Handle = Still;
    return false;
  }
  Sleeping = true;
  Entries = {};
  Code.clear();
  return true;
}

bool ModuleCode::wake(std::string &Err) {
  if (!Sleeping)
    return true;
  hcr_status Kind;
  if (!openCopy(CopyPath, Kind, Err)) {
    if (Handle)
      dlclose(Handle);
    Handle = nullptr;
    return false;
  }
  Sleeping = false;
  return true;
}

bool ModuleCode::readMetadata(std::string &Err) {
#define HCR_CHECK_ENTRY_POINT_(name, type, what)                               \
  if (!Entries.name) {                                                         \
    Err = "the entry point '" #name "' of the module ABI is missing";          \
    return false;                                                              \
  }
  HCR_MODULE_ENTRY_POINTS(HCR_CHECK_ENTRY_POINT_)
#undef HCR_CHECK_ENTRY_POINT_
  const char *Sig = Entries.signature();
  Signature = Sig ? Sig : "";
  const char *const *List = Entries.imports();
  for (; List && *List; ++List) {
    std::string Name = *List;
    if (Name.empty() || Name.find('/') != std::string::npos) {
      Err = "invalid import name '" + Name + "'";
      return false;
    }
    Imports.push_back(std::move(Name));
  }
  return true;
}

void ModuleCode::findCodeRanges() {
  // The object that holds the module's own entry point.
  struct Search {
    uintptr_t Inside;
    std::vector<CodeRange> &Out;
  } S{reinterpret_cast<uintptr_t>(Entries.register_symbols), Code};
  dl_iterate_phdr(
      [](dl_phdr_info *Info, size_t, void *Data) {
        auto &S = *static_cast<Search *>(Data);
        std::vector<CodeRange> Ranges;
        bool Holds = false;
        for (unsigned I = 0; I < Info->dlpi_phnum; ++I) {
          const ElfW(Phdr) &P = Info->dlpi_phdr[I];
          if (P.p_type != PT_LOAD || !(P.p_flags & PF_X))
            continue;
          CodeRange R{Info->dlpi_addr + P.p_vaddr,
                      Info->dlpi_addr + P.p_vaddr + P.p_memsz};
          Holds |= S.Inside >= R.Begin && S.Inside < R.End;
          Ranges.push_back(R);
        }
        if (!Holds)
          return 0;
        S.Out = std::move(Ranges);
        return 1;
      },
      &S);
}

void ModuleCode::removeCopy() {
  if (CopyIsFile && !CopyPath.empty())
    unlink(CopyPath.c_str());
  CopyIsFile = false;
}

ModuleCode::~ModuleCode() {
  if (Handle)
    unload();
  removeCopy();
  if (MemoryFile < 0)
    return;
  // The dynamic loader finds an object by its name before anything else: if
  // dlclose left this copy loaded (a unique symbol makes it undeletable),
  // its /proc name must never be given to another copy, so its descriptor
  // stays open.
  if (void *Still = dlopen(CopyPath.c_str(), RTLD_LAZY | RTLD_NOLOAD)) {
    dlclose(Still);
    return;
  }
  close(MemoryFile);
}

} // namespace hcr
