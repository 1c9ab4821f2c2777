//===- Runtime.cpp - Start-up, queries and the bad-call stub --------------===//

#include "Runtime.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

namespace hcr {

static bool parseCount(const char *Text, unsigned long &Out) {
  if (!Text || !*Text)
    return false;
  char *End = nullptr;
  errno = 0;
  unsigned long V = std::strtoul(Text, &End, 10);
  if (errno || *End)
    return false;
  Out = V;
  return true;
}

static bool isSet(const char *Value) {
  return Value && *Value && std::strcmp(Value, "0") != 0;
}

void Knobs::readAtInit() {
  NoInotify = isSet(std::getenv("HCR_NO_INOTIFY"));
  NoMapQuery = isSet(std::getenv("HCR_NO_MAP_QUERY"));
  NoKeptData = isSet(std::getenv("HCR_NO_KEPT_DATA"));
  unsigned long V;
  MaxPinned = 64;
  if (parseCount(std::getenv("HCR_MAX_PINNED"), V) && V <= 100000)
    MaxPinned = static_cast<unsigned>(V);
}

Knobs Knobs::fromEnvironment() {
  Knobs K;
  unsigned long V;
  if (parseCount(std::getenv("HCR_JUMP_TABLE_CHUNK"), V) && V > 0 &&
      V <= (1ul << 20))
    K.JumpTableChunk = V;
  K.StackSignal = defaultStackSignal();
  if (parseCount(std::getenv("HCR_STACK_SIGNAL"), V) && V > 0 &&
      V < static_cast<unsigned long>(NSIG))
    K.StackSignal = static_cast<int>(V);
  if (const char *Dir = std::getenv("HCR_COPY_DIR"))
    K.CopyDir = Dir;
  if (const char *M = std::getenv("HCR_MODULE_DIR"))
    K.ModuleDir = M;
  K.Trace = isSet(std::getenv("HCR_TRACE"));
  K.readAtInit();
  return K;
}

Runtime &Runtime::get() {
  // Never destroyed: trampolines must outlive every thread and static
  // destructor that might still call through them at exit.
  static Runtime *Instance = new Runtime();
  return *Instance;
}

Runtime::Runtime()
    : Config(Knobs::fromEnvironment()),
      Redirect(makeJumpTable(Config.JumpTableChunk, &Runtime::badCall,
                             reinterpret_cast<const void *>(&Runtime::get))) {}

RuntimeState Runtime::state() {
  return RuntimeState{Symbols, Modules, Redirect, Orphans,
                      [this](const std::string &Msg) { trace(Msg); }};
}

void Runtime::trace(const std::string &Msg) const {
  if (Config.Trace)
    std::fprintf(stderr, "hcr: %s\n", Msg.c_str());
}

std::string Runtime::modulePath(const std::string &Name) const {
  return ModuleDir + "/" + Name + ".so";
}

bool Runtime::fileChanged(const Module &M) const {
  return !M.Path.empty() && (!Changes || Changes->isSuspect(M.Name)) &&
         FileIdentity::of(M.Path) != M.Code->identity();
}

static std::string executableDir() {
  char Buf[PATH_MAX];
  ssize_t N = readlink("/proc/self/exe", Buf, sizeof(Buf) - 1);
  if (N <= 0)
    return ".";
  std::string Path(Buf, static_cast<size_t>(N));
  size_t Slash = Path.rfind('/');
  return Slash == std::string::npos ? "." : Path.substr(0, Slash);
}

static bool validName(const char *Name) {
  return Name && *Name && !std::strchr(Name, '/');
}

/// Removes the copy folders (hcr-PID-XXXXXX) that processes which no longer
/// exist left in Parent: a killed process cannot remove its own.
static void removeCopiesOfDeadProcesses(const std::string &Parent) {
  DIR *D = opendir(Parent.c_str());
  if (!D)
    return;
  while (dirent *E = readdir(D)) {
    char *End;
    if (std::strncmp(E->d_name, "hcr-", 4) != 0)
      continue;
    long Pid = std::strtol(E->d_name + 4, &End, 10);
    if (Pid <= 0 || *End != '-' || std::strlen(End) != 7 ||
        kill(static_cast<pid_t>(Pid), 0) == 0 || errno != ESRCH)
      continue;
    std::string Dir = Parent + "/" + E->d_name;
    if (DIR *Copies = opendir(Dir.c_str())) {
      while (dirent *C = readdir(Copies)) {
        size_t N = std::strlen(C->d_name);
        if (N > 3 && std::strcmp(C->d_name + N - 3, ".so") == 0)
          unlinkat(dirfd(Copies), C->d_name, 0);
      }
      closedir(Copies);
    }
    rmdir(Dir.c_str());
  }
  closedir(D);
}

/// Removes the private copies when the process exits. Nothing is unloaded:
/// other threads and exit handlers may still run module code.
static void removeCopiesAtExit() {
  Runtime &R = Runtime::get();
  R.shutdownFiles();
}

Status Runtime::init(const char *HostName, const hcr_module_entry_points *Host,
                     const char *Dir) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (Initialized || Reloading)
    return Status(HCR_ERROR_ALREADY_INITIALIZED,
                  "the runtime is already initialized");
  if (!validName(HostName) || !Host)
    return Status(HCR_ERROR_INVALID_ARGUMENT,
                  "a host module name without '/' and its entry points are "
                  "required");
  ModuleDir = !Config.ModuleDir.empty() ? Config.ModuleDir
              : Dir && *Dir             ? Dir
                                        : executableDir();
  // Copies are memory files, which nothing outlives; files in a folder only
  // if HCR_COPY_DIR asks (or memory files do not work here).
  std::string Parent = Config.CopyDir;
  if (Parent.empty() && !ModuleCode::memoryFilesWork()) {
    const char *Tmp = std::getenv("TMPDIR");
    Parent = Tmp && *Tmp ? Tmp : "/tmp";
  }
  CopyDir.clear();
  if (!Parent.empty()) {
    removeCopiesOfDeadProcesses(Parent);
    std::string Template =
        Parent + "/hcr-" + std::to_string(getpid()) + "-XXXXXX";
    std::vector<char> Buf(Template.begin(), Template.end());
    Buf.push_back('\0');
    if (!mkdtemp(Buf.data()))
      return Status(HCR_ERROR_RESOURCE,
                    "cannot create a directory for module copies from '" +
                        Template + "': " + std::strerror(errno));
    CopyDir = Buf.data();
  }
  static bool AtExitRegistered = false;
  if (!AtExitRegistered)
    AtExitRegistered = std::atexit(removeCopiesAtExit) == 0;

  std::string Why;
  std::unique_ptr<ModuleCode> HostCode = ModuleCode::forHost(*Host, Why);
  if (!HostCode) {
    removeCopyDir();
    return Status(HCR_ERROR_MODULE_ABI,
                  "host module '" + std::string(HostName) + "': " + Why);
  }
  Modules.setRoot(HostName);
  Generation = 0;
  Config.readAtInit();
  Changes = std::make_unique<ChangeMonitor>(Config.NoInotify);
  trace("init: host '" + Modules.root() + "', modules in '" + ModuleDir + "'");
  // The start is a reload of the whole tree from the host.
  ReloadTransaction T(ReloadTransaction::Scope::Reload, 0, state());
  T.NewCode[Modules.root()] = std::move(HostCode);
  if (Status S =
          runReload(T, /*RunHandlers=*/false, __builtin_frame_address(0));
      !S.ok()) {
    removeCopyDir();
    return S;
  }
  Initialized = true;
  describeToDebuggers();
  return Status::success();
}

void Runtime::shutdownFiles() {
  std::unique_lock<std::recursive_mutex> G(Lock, std::try_to_lock);
  if (!G.owns_lock())
    return;
  Modules.removeCopies();
  removeCopyDir();
}

void Runtime::removeCopyDir() {
  if (!CopyDir.empty())
    rmdir(CopyDir.c_str());
}

void Runtime::shutdown() {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (!Initialized || Reloading)
    return;
  trace("shutdown");
  // The modules' slots go with their code: only trampolines are killed.
  Redirect.forgetAllBindings();
  for (auto &[Key, P] : Symbols.procs()) {
    if (P.Live)
      Redirect.kill(P.Trampoline);
    P.Live = false;
    P.Importers.clear();
  }
  for (auto &[Key, Gl] : Symbols.globals())
    std::free(Gl.Storage);
  Symbols.globals().clear();
  for (void *Mem : Orphans)
    std::free(Mem);
  Orphans.clear();
  Modules.clear(); // Unloads every module's code, retired code too.
  FailedBuilds.clear();
  Changes.reset();
  removeCopyDir();
  CopyDir.clear();
  Generation = 0;
  Initialized = false;
}

bool Runtime::reloadNeeded() {
  std::lock_guard<std::recursive_mutex> G(Lock);
  if (!Initialized || Reloading)
    return false;
  lookForNewDebugger();
  // Only the modules whose files an event named are stat-ed (all of them
  // without inotify).
  Changes->poll();
  for (const std::string &Name : Changes->suspects()) {
    const Module *M = Modules.find(Name);
    if (!M || M->Path.empty()) {
      Changes->clear(Name); // No longer loaded.
      continue;
    }
    FileIdentity Now = FileIdentity::of(M->Path);
    if (Now == M->Code->identity()) {
      Changes->clear(Name);
      continue;
    }
    auto Failed = FailedBuilds.find(Name);
    if (Failed == FailedBuilds.end() || Failed->second != Now)
      return true;
  }
  return false;
}

Status Runtime::hasModuleChanged(const char *Name, bool &Changed) {
  std::lock_guard<std::recursive_mutex> G(Lock);
  Changed = false;
  const Module *M = Name ? Modules.find(Name) : nullptr;
  if (!M)
    return Status(HCR_ERROR_INVALID_ARGUMENT, std::string("no module '") +
                                                  (Name ? Name : "(null)") +
                                                  "' is loaded");
  Changes->poll();
  Changed = fileChanged(*M);
  return Status::success();
}

hcr_reload_stats Runtime::lastStats() {
  std::lock_guard<std::recursive_mutex> G(Lock);
  return LastStats;
}

uint64_t Runtime::generation() {
  std::lock_guard<std::recursive_mutex> G(Lock);
  return Generation;
}

void Runtime::badCall(uint64_t Id) {
  Runtime &R = get();
  uint32_t Index = static_cast<uint32_t>(Id);
  // The calling thread may hold the lock (a call from a handler); another
  // thread may hold it for long: never wait here.
  std::unique_lock<std::recursive_mutex> G(R.Lock, std::try_to_lock);
  const SymbolKey *Owner = G.owns_lock() ? R.Symbols.ownerOf(Index) : nullptr;
  if (Owner) {
    const SymbolKey &K = *Owner;
    std::fprintf(stderr,
                 "hcr: fatal: call to proc '%s' of module '%s', which is no "
                 "longer loaded (removed by a reload or never registered)\n",
                 K.second.c_str(), K.first.c_str());
  } else {
    std::fprintf(stderr,
                 "hcr: fatal: call through trampoline %u, whose proc is no "
                 "longer loaded\n",
                 Index);
  }
  std::fflush(stderr);
  std::abort();
}

} // namespace hcr
