//===- ChangeMonitor.cpp - Which module files may have changed ------------===//

#include "ChangeMonitor.h"

#include <cerrno>
#include <climits>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hcr {

// Every way a build can produce a new file: written in place, renamed over,
// deleted and created again, or only touched.
static constexpr uint32_t FileEvents = IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB |
                                       IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                                       IN_MOVED_TO;

ChangeMonitor::ChangeMonitor(bool Disabled) {
  if (!Disabled)
    Fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
}

ChangeMonitor::~ChangeMonitor() {
  if (Fd >= 0)
    close(Fd);
}

/// Splits Path into its directory and file name, the two parts an event
/// names.
static std::pair<std::string, std::string> splitPath(const std::string &Path) {
  size_t Slash = Path.rfind('/');
  if (Slash == std::string::npos)
    return {".", Path};
  return {Slash == 0 ? "/" : Path.substr(0, Slash), Path.substr(Slash + 1)};
}

static std::string fileKey(const std::string &Dir, const std::string &Name) {
  return Dir + '\0' + Name;
}

void ChangeMonitor::addDirectory(const std::string &Dir) {
  if (Fd < 0 || WatchedDirs.contains(Dir))
    return;
  int Wd = inotify_add_watch(Fd, Dir.c_str(), FileEvents | IN_ONLYDIR);
  if (Wd < 0) {
    // Out of watches or an unreadable directory: fall back to stat.
    close(Fd);
    Fd = -1;
    return;
  }
  WatchedDirs.insert(Dir);
  DirOfWatch[Wd] = Dir;
}

void ChangeMonitor::watch(const std::string &Module, const std::string &Path) {
  if (Watched.insert(Module).second) {
    auto [Dir, File] = splitPath(Path);
    addDirectory(Dir);
    ModulesOfPath[fileKey(Dir, File)].push_back(Module);
    struct stat St;
    if (lstat(Path.c_str(), &St) == 0 && S_ISLNK(St.st_mode))
      AlwaysSuspect.insert(Module);
  }
  Suspects.insert(Module);
}

void ChangeMonitor::poll() {
  if (Fd < 0)
    return;
  alignas(inotify_event) char Buf[16 * (sizeof(inotify_event) + NAME_MAX + 1)];
  for (;;) {
    ssize_t N = read(Fd, Buf, sizeof(Buf));
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return; // EAGAIN: nothing more is pending.
    for (char *P = Buf; P < Buf + N;) {
      auto *E = reinterpret_cast<inotify_event *>(P);
      P += sizeof(inotify_event) + E->len;
      if (E->mask & IN_Q_OVERFLOW) {
        suspectAll();
        continue;
      }
      if (E->mask & IN_IGNORED) {
        // The directory itself went away: no more events will come from
        // it, so stop trusting inotify at all.
        close(Fd);
        Fd = -1;
        return;
      }
      auto Dir = DirOfWatch.find(E->wd);
      if (Dir == DirOfWatch.end() || E->len == 0)
        continue;
      auto Mods = ModulesOfPath.find(fileKey(Dir->second, E->name));
      if (Mods != ModulesOfPath.end())
        Suspects.insert(Mods->second.begin(), Mods->second.end());
    }
  }
}

bool ChangeMonitor::wait(int TimeoutMs) const {
  if (Fd < 0)
    return false;
  pollfd P{Fd, POLLIN, 0};
  int N;
  do
    N = ::poll(&P, 1, TimeoutMs);
  while (N < 0 && errno == EINTR);
  return N > 0;
}

bool ChangeMonitor::isSuspect(const std::string &Module) const {
  return Fd < 0 || Suspects.contains(Module) || AlwaysSuspect.contains(Module);
}

std::vector<std::string> ChangeMonitor::suspects() const {
  const auto &From = Fd < 0 ? Watched : Suspects;
  std::vector<std::string> Out(From.begin(), From.end());
  if (Fd >= 0)
    for (const std::string &M : AlwaysSuspect)
      if (!Suspects.contains(M))
        Out.push_back(M);
  return Out;
}

void ChangeMonitor::clear(const std::string &Module) { Suspects.erase(Module); }

void ChangeMonitor::suspectAll() {
  Suspects.insert(Watched.begin(), Watched.end());
}

} // namespace hcr
