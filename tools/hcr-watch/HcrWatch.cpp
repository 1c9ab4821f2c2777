//===- HcrWatch.cpp - Rebuild on every save -------------------------------===//
//
//   hcr-watch [--max-builds N] <hcr-build's options and sources>
//
// Builds, then watches what the build read (the sources and every project
// header they include) with the runtime's change monitor, and runs the
// incremental build again after each save. A host that calls
// hcr_reload_needed()/hcr_perform_reload() in its loop picks the new code
// up; a failing build leaves the running program untouched.
//
//===----------------------------------------------------------------------===//

#include "ChangeMonitor.h"
#include "hcr/Build/Builder.h"
#include "hcr/Rewrite/ProjectFiles.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <set>
#include <vector>

using namespace hcr::build;
namespace cl = llvm::cl;

static cl::opt<unsigned>
    MaxBuilds("max-builds",
              cl::desc("Stop after N builds, the first included (0: never)"),
              cl::value_desc("N"), cl::init(0), cl::cat(BuildCategory));

static const char *const Overview = R"(hcr-watch: rebuild on every save

Builds as hcr-build does, then rebuilds whenever a source or a project
header it includes is saved (for MAIN.nim: a .nim file nim read). Compiler
flags, or nim's, follow "--".
)";

namespace {

int fail(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "hcr-watch") << Message << "\n";
  return 1;
}

void say(const llvm::Twine &Message) {
  llvm::errs() << "hcr-watch: " << Message << "\n";
  llvm::errs().flush();
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

/// Runs the build and says how it went; what it read, for the watch.
std::vector<std::string> buildOnce(const BuildOptions &Opts) {
  auto Start = std::chrono::steady_clock::now();
  auto Result = build(Opts, llvm::errs());
  double Ms = std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - Start)
                  .count();
  if (!Result) {
    llvm::WithColor::error(llvm::errs(), "hcr-watch")
        << llvm::toString(Result.takeError()) << "\n";
    say("build failed: the running program keeps its code; fix the error "
        "and save again");
    std::vector<std::string> Sources;
    for (const std::string &S : Opts.Sources)
      Sources.push_back(hcr::rewrite::absolutePath(S));
    return Sources;
  }
  if (Result->Compiled.empty())
    say("nothing to rebuild");
  else
    say(llvm::formatv("build done in {0:F0} ms: a running program picks the "
                      "new code up at its next reload",
                      Ms));
  return Result->Inputs;
}

} // namespace

int main(int argc, char **argv) {
  BuildOptions Opts;
  std::string Err;
  if (!parseCommandLine(argc, argv, Overview, Opts, Err))
    return fail(Err + "\nusage: hcr-watch [--max-builds N] " + BuildUsage);
  // Made before the first build, so a save during a build is not missed.
  hcr::ChangeMonitor Monitor(/*Disabled=*/false);
  if (!Monitor.active())
    return fail("inotify is not available");
  std::set<std::string> Watched;
  for (unsigned Builds = 1;; ++Builds) {
    Monitor.poll();
    for (const std::string &F : Watched)
      Monitor.clear(F); // This build reads them as they are now.
    for (const std::string &F : buildOnce(Opts))
      if (Watched.insert(F).second) {
        Monitor.watch(F, F);
        Monitor.clear(F);
      }
    if (Builds == MaxBuilds)
      return 0;
    if (Builds == 1)
      say("watching " + llvm::Twine(Watched.size()) +
          " files; save one to rebuild (Ctrl-C to stop)");
    std::vector<std::string> Changed = waitForSave(Monitor);
    if (Changed.empty())
      return fail("stopped watching: a watched directory went away");
    std::string List;
    for (const std::string &F : Changed)
      List += " " + llvm::sys::path::filename(F).str();
    say("changed:" + List);
  }
}
