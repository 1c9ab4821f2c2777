//===- HcrWatch.cpp - Rebuild on every save
//---------------------------------===//
//
//   hcr-watch [--max-builds N] <hcr-build's options and sources>
//
// Builds, then watches the sources and every project header they include
// (inotify) and runs the incremental build again after each save. A host
// that calls hcr_reload_needed()/hcr_perform_reload() in its loop picks the
// new code up; a failing build leaves the running program untouched.
//
//===----------------------------------------------------------------------===//

#include "hcr/Build/Builder.h"
#include "hcr/Rewrite/ProjectFiles.h"
#include "hcr/Rewrite/ProjectIndex.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include "llvm/Support/FormatVariadic.h"
#include <chrono>
#include <climits>
#include <cstdlib>
#include <map>
#include <poll.h>
#include <set>
#include <sys/inotify.h>
#include <unistd.h>

using namespace hcr::build;
using hcr::rewrite::absolutePath;
namespace path = llvm::sys::path;

namespace {

int fail(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "hcr-watch") << Message << "\n";
  return 1;
}

void say(const llvm::Twine &Message) {
  llvm::errs() << "hcr-watch: " << Message << "\n";
  llvm::errs().flush();
}

/// The files a build reads: the sources and, from the project index, every
/// project header they include.
std::set<std::string> watchedFiles(const BuildOptions &Opts) {
  std::set<std::string> Files;
  for (const std::string &S : Opts.Sources)
    Files.insert(absolutePath(S));
  auto Buffer = llvm::MemoryBuffer::getFile(absolutePath(Opts.OutDir) +
                                            "/.hcr/index.json");
  if (Buffer)
    if (auto Index =
            hcr::rewrite::ProjectIndex::fromJSON((*Buffer)->getBuffer()))
      for (const auto &[Name, M] : Index->modules())
        for (const auto &Input : M.Inputs)
          Files.insert(Input.Path);
  return Files;
}

class Watcher {
public:
  explicit Watcher(int Fd) : Fd(Fd) {}
  /// Watches the directories of Files (a save may replace a file by
  /// renaming, so the directory is what to watch).
  void watch(const std::set<std::string> &NewFiles) {
    Files = NewFiles;
    for (const std::string &F : Files) {
      std::string Dir = path::parent_path(F).str();
      if (Dirs.count(Dir))
        continue;
      int Wd = inotify_add_watch(Fd, Dir.c_str(),
                                 IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE |
                                     IN_DELETE);
      if (Wd >= 0)
        Dirs[Dir] = Wd, ByWd[Wd] = Dir;
    }
  }
  /// Reads pending events; the watched files among them.
  std::set<std::string> changed() {
    alignas(
        inotify_event) char Buf[16 * (sizeof(inotify_event) + NAME_MAX + 1)];
    std::set<std::string> Out;
    ssize_t N = read(Fd, Buf, sizeof Buf);
    for (char *P = Buf; N > 0 && P < Buf + N;) {
      auto *E = reinterpret_cast<inotify_event *>(P);
      if (E->len) {
        std::string File = ByWd[E->wd] + "/" + E->name;
        if (Files.count(File))
          Out.insert(File);
      }
      P += sizeof(inotify_event) + E->len;
    }
    return Out;
  }

private:
  int Fd;
  std::set<std::string> Files;
  std::map<std::string, int> Dirs;
  std::map<int, std::string> ByWd;
};

bool readable(int Fd, int TimeoutMs) {
  pollfd P{Fd, POLLIN, 0};
  return poll(&P, 1, TimeoutMs) > 0;
}

} // namespace

int main(int argc, char **argv) {
  // --max-builds N (for scripts and tests) is ours; the rest is hcr-build's.
  long MaxBuilds = -1;
  std::vector<char *> Args;
  for (int I = 0; I < argc; ++I) {
    if (std::string(argv[I]) == "--max-builds" && I + 1 < argc) {
      MaxBuilds = std::atol(argv[++I]);
      continue;
    }
    Args.push_back(argv[I]);
  }
  BuildOptions Opts;
  std::string Err;
  bool Help;
  if (!parseCommandLine(static_cast<int>(Args.size()), Args.data(), Opts, Err,
                        Help))
    return fail(Err + "\nusage: hcr-watch [--max-builds N] " + BuildUsage);
  if (Help) {
    llvm::outs() << "usage: hcr-watch [--max-builds N] " << BuildUsage;
    return 0;
  }
  int Fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (Fd < 0)
    return fail("inotify is not available");
  Watcher W(Fd);

  long Builds = 0;
  auto BuildOnce = [&] {
    auto Start = std::chrono::steady_clock::now();
    auto Result = build(Opts, llvm::errs());
    double Ms = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - Start)
                    .count();
    ++Builds;
    if (!Result) {
      llvm::WithColor::error(llvm::errs(), "hcr-watch")
          << llvm::toString(Result.takeError()) << "\n";
      say("build failed: the running program keeps its code; fix the error "
          "and save again");
    } else if (Result->Compiled.empty()) {
      say("nothing to rebuild");
    } else {
      say(llvm::formatv("build done in {0:F0} ms: a running program picks the "
                        "new code up at its next reload",
                        Ms));
    }
    W.watch(watchedFiles(Opts));
  };
  BuildOnce();
  say("watching " + llvm::Twine(watchedFiles(Opts).size()) +
      " files; save one to rebuild (Ctrl-C to stop)");
  while (MaxBuilds < 0 || Builds < MaxBuilds) {
    if (!readable(Fd, -1))
      continue;
    std::set<std::string> Changed = W.changed();
    if (Changed.empty())
      continue;
    // An editor's save is several events: wait until they settle.
    while (readable(Fd, 50)) {
      std::set<std::string> More = W.changed();
      Changed.insert(More.begin(), More.end());
    }
    std::string List;
    for (const std::string &F : Changed)
      List += " " + path::filename(F).str();
    say("changed:" + List);
    BuildOnce();
  }
  return 0;
}
