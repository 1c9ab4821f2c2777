//===- ChangeMonitor.h - Which module files may have changed -----*- C++-*-===//
//
// hcr_reload_needed() is called every frame by a game loop; stat-ing every
// module's file makes it cost O(modules) system calls (0.5 ms at 1000
// modules). The monitor keeps an inotify watch on the directories of the
// module files and hands out the few modules whose files an event named:
// the "suspects". Only those are stat-ed and compared with the loaded build.
// Without inotify (or after its queue overflowed) every module is a suspect,
// which is the plain stat-everything behaviour. hcr-watch uses the same
// monitor on source files, each watched under its own path as its name.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_CHANGEMONITOR_H
#define HCR_LIB_RUNTIME_CHANGEMONITOR_H

#include "Containers.h"

#include <string>
#include <vector>

namespace hcr {

class ChangeMonitor {
public:
  /// Uses inotify unless Disabled (HCR_NO_INOTIFY) or unavailable.
  explicit ChangeMonitor(bool Disabled);
  ~ChangeMonitor();
  ChangeMonitor(const ChangeMonitor &) = delete;
  ChangeMonitor &operator=(const ChangeMonitor &) = delete;

  /// Starts watching Module's file at Path; the module is a suspect until
  /// it is next found unchanged (its file may have changed before the
  /// watch existed).
  void watch(const std::string &Module, const std::string &Path);
  /// Reads the pending events (one non-blocking read when nothing
  /// happened) and makes the modules they name suspects.
  void poll();
  /// Blocks until events are pending or TimeoutMs passes (-1: no limit);
  /// true if some are. For a process that only watches (hcr-watch).
  bool wait(int TimeoutMs) const;
  /// True if Module's file may differ from when it was last cleared.
  bool isSuspect(const std::string &Module) const;
  /// The suspects, for a caller that stats each of them.
  std::vector<std::string> suspects() const;
  /// Module's file was just found equal to its loaded build.
  void clear(const std::string &Module);
  /// Every watched module becomes a suspect (after a reload, a failure).
  void suspectAll();
  /// False if every module is always a suspect (no inotify).
  bool active() const { return Fd >= 0; }

private:
  void addDirectory(const std::string &Dir);

  int Fd = -1;
  HashMap<int, std::string> DirOfWatch;
  HashSet<std::string> WatchedDirs;
  /// (directory, file name) of a module file -> module names (usually one).
  HashMap<std::string, std::vector<std::string>> ModulesOfPath;
  HashSet<std::string> Watched;
  /// Modules whose file is a symbolic link: a change of the target shows
  /// no event in the link's directory, so they are always suspects.
  HashSet<std::string> AlwaysSuspect;
  HashSet<std::string> Suspects;
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_CHANGEMONITOR_H
