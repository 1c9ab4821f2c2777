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

#include "ChangeMonitor.h"
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
#include <cstdlib>
#include <set>
#include <vector>

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

/// Waits for a save and for the events of that save to settle; the files
/// that may have changed (none if the monitor stopped working).
std::vector<std::string> waitForSave(hcr::ChangeMonitor &M) {
  while (M.active()) {
    M.wait(-1);
    M.poll();
    if (M.suspects().empty())
      continue; // Another file in a watched directory.
    // An editor's save is several events: wait until they settle.
    while (M.wait(50))
      M.poll();
    return M.suspects();
  }
  return {};
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
  // The runtime's monitor, each file watched under its own path. Made
  // before the first build, so a save during a build is not missed.
  hcr::ChangeMonitor Monitor(/*Disabled=*/false);
  if (!Monitor.active())
    return fail("inotify is not available");
  std::set<std::string> Watched;
  long Builds = 0;
  auto BuildOnce = [&] {
    Monitor.poll();
    for (const std::string &F : Watched)
      Monitor.clear(F); // This build reads them as they are now.
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
    for (const std::string &F : watchedFiles(Opts))
      if (Watched.insert(F).second) {
        Monitor.watch(F, F);
        Monitor.clear(F);
      }
  };
  BuildOnce();
  say("watching " + llvm::Twine(Watched.size()) +
      " files; save one to rebuild (Ctrl-C to stop)");
  while (MaxBuilds < 0 || Builds < MaxBuilds) {
    std::vector<std::string> Changed = waitForSave(Monitor);
    if (Changed.empty())
      return fail("stopped watching: a watched directory went away");
    std::string List;
    for (const std::string &F : Changed)
      List += " " + path::filename(F).str();
    say("changed:" + List);
    BuildOnce();
  }
  return 0;
}
