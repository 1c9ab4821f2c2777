//===- StackSafetyTests.cpp - Replaced code that frames still run in ------===//
//
// Module loop (Inputs/loop.c) keeps frames on stacks while reloads replace
// it: its own loop calling back into reloads, a thread spinning in it, a
// thread blocked in a system call it made. Its replaced copies must stay
// loaded exactly as long as some frame runs in them. Each test runs twice:
// where each stack ends asked of the kernel one mapping at a time
// (PROCMAP_QUERY), and read from the whole of /proc/self/maps
// (HCR_NO_MAP_QUERY, as on kernels before 6.11).
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestSupport.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <dlfcn.h>
#include <fstream>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

using namespace hcr::test;

namespace {

using BodyFn = int (*)(int);
using RunFn = long (*)(BodyFn);
using VersionFn = int (*)(void);
using CodeFn = void *(*)(void);

class StackSafetyTest : public KnobTest {
protected:
  StackSafetyTest() : KnobTest("HCR_NO_MAP_QUERY") {}
};

hcr_reload_stats lastStats() {
  hcr_reload_stats S = {};
  hcr_last_reload_stats(&S, sizeof S);
  return S;
}

/// An address in v1's code, kept off the stack: a code address on a stack
/// (one the program might call) keeps its code loaded.
void *V1Code;

/// Whether Addr lies in a loaded shared object.
bool isLoaded(const void *Addr) {
  Dl_info Info;
  return dladdr(Addr, &Info) != 0;
}

// run()'s body in the first test: reloads the module whose loop calls it.
struct ReloadingBody {
  ModuleDir *Dir = nullptr;
  int Reloads = 0, Failures = 0, WrongVersions = 0;
  unsigned MostStillRunning = 0;
  std::string Error;
};
ReloadingBody *Body;

int reloadOnEachCall(int I) {
  if (I >= Body->Reloads)
    return 0;
  int Want = I % 2 ? 1 : 2;
  Body->Dir->install(Want == 1 ? "loop_v1" : "loop_v2", "loop");
  if (hcr_perform_reload() != HCR_OK) {
    ++Body->Failures;
    Body->Error = hcr_last_error();
    return 0;
  }
  Body->WrongVersions += proc<VersionFn>("loop", "version")() != Want;
  Body->MostStillRunning =
      std::max(Body->MostStillRunning, lastStats().versions_still_running);
  return 1;
}

TEST_P(StackSafetyTest, AModuleReloadsAThousandTimesWhileItsOwnLoopRuns) {
  Dir.install("loop_v1", "loop");
  ASSERT_EQ(start({"loop"}), HCR_OK) << hcr_last_error();
  V1Code = proc<CodeFn>("loop", "code")();
  ReloadingBody B;
  B.Dir = &Dir;
  B.Reloads = 1000;
  Body = &B;
  // v1's loop runs to its end, its frame surviving every reload.
  EXPECT_EQ(proc<RunFn>("loop", "run")(reloadOnEachCall), 100000 + 1001);
  EXPECT_EQ(B.Failures, 0) << B.Error;
  EXPECT_EQ(B.WrongVersions, 0);
  // v1 stays loaded; each later copy goes at the reload after its own.
  EXPECT_EQ(B.MostStillRunning, 1u);
  EXPECT_TRUE(isLoaded(V1Code));
  Dir.install("loop_v3", "loop");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_EQ(lastStats().versions_still_running, 0u);
  EXPECT_FALSE(isLoaded(V1Code)) << "v1 has no frame left: unloaded";
}

/// What /proc says thread Tid is blocked in ("0 ..." is read(2)).
std::string syscallOf(pid_t Tid) {
  std::ifstream In("/proc/self/task/" + std::to_string(Tid) + "/syscall");
  std::string Line;
  std::getline(In, Line);
  return Line;
}

TEST_P(StackSafetyTest, ThreadsInReplacedCodeKeepItLoadedUntilTheyLeave) {
  Dir.install("loop_v1", "loop");
  ASSERT_EQ(start({"loop"}), HCR_OK) << hcr_last_error();
  V1Code = proc<CodeFn>("loop", "code")();
  volatile int Flags[2] = {0, 0};
  int Pipe[2];
  ASSERT_EQ(pipe(Pipe), 0);
  std::atomic<int> SpinResult{0}, BlockResult{0};
  std::atomic<pid_t> BlockerTid{0};
  auto Spin = proc<int (*)(volatile int *)>("loop", "spin");
  auto Block = proc<int (*)(int)>("loop", "block");
  std::thread Spinner([&] { SpinResult = Spin(Flags); });
  std::thread Blocker([&] {
    BlockerTid = static_cast<pid_t>(syscall(SYS_gettid));
    BlockResult = Block(Pipe[0]);
  });
  // Both inside v1: one running its loop, one in read(2).
  for (int I = 0; I < 2000 && (!Flags[1] || BlockerTid == 0 ||
                               syscallOf(BlockerTid).rfind("0 ", 0) != 0);
       ++I)
    usleep(1000);
  ASSERT_TRUE(Flags[1]);
  ASSERT_EQ(syscallOf(BlockerTid).rfind("0 ", 0), 0u);

  for (int I = 0; I < 10; ++I) {
    Dir.install(I % 2 ? "loop_v3" : "loop_v2", "loop");
    ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
    hcr_reload_stats S = lastStats();
    EXPECT_EQ(S.versions_still_running, 1u) << "reload " << I;
    EXPECT_EQ(S.threads_scanned, 3u) << "reload " << I;
  }
  EXPECT_TRUE(isLoaded(V1Code));
  EXPECT_EQ(proc<VersionFn>("loop", "version")(), 3);

  // They return through v1's code, which is still there.
  Flags[0] = 1;
  ASSERT_EQ(write(Pipe[1], "x", 1), 1);
  Spinner.join();
  Blocker.join();
  EXPECT_EQ(SpinResult.load(), 1);
  EXPECT_EQ(BlockResult.load(), 1);
  close(Pipe[0]);
  close(Pipe[1]);
  Dir.install("loop_v2", "loop");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_EQ(lastStats().versions_still_running, 0u);
  EXPECT_FALSE(isLoaded(V1Code));
}

// run()'s body in the last test: each call reloads the next build and
// runs that build's loop inside, so each copy keeps a frame.
struct NestingBody {
  ModuleDir *Dir = nullptr;
  int Depth = 0;
  std::vector<hcr_status> Statuses;
  std::string LastError;
};
NestingBody *Nest;

int reloadAndNest(int I) {
  if (I > 0 || Nest->Depth == 3)
    return 0;
  static const char *const Builds[] = {"loop_v2", "loop_v3", "loop_v1"};
  Nest->Dir->install(Builds[Nest->Depth++], "loop");
  hcr_status S = hcr_perform_reload();
  Nest->Statuses.push_back(S);
  if (S != HCR_OK) {
    Nest->LastError = hcr_last_error();
    return 0;
  }
  proc<RunFn>("loop", "run")(reloadAndNest);
  return 0;
}

TEST_P(StackSafetyTest, ReloadsPastTheLimitOfRunningCopiesAreRefused) {
  setenv("HCR_MAX_PINNED", "2", 1);
  Dir.install("loop_v1", "loop");
  hcr_status Started = start({"loop"});
  unsetenv("HCR_MAX_PINNED");
  ASSERT_EQ(Started, HCR_OK) << hcr_last_error();
  NestingBody N;
  N.Dir = &Dir;
  Nest = &N;
  EXPECT_EQ(proc<RunFn>("loop", "run")(reloadAndNest), 100000 + 1);
  // v1 and v2 run, each in its loop: a third copy would pass the limit.
  EXPECT_THAT(N.Statuses,
              ::testing::ElementsAre(HCR_OK, HCR_OK, HCR_ERROR_RESOURCE));
  EXPECT_THAT(N.LastError,
              ::testing::HasSubstr("2 copies of replaced code still run on a "
                                   "thread's stack ('loop' replaced by reload "
                                   "1, 'loop' replaced by reload 2)"));
  EXPECT_THAT(N.LastError, ::testing::HasSubstr("HCR_MAX_PINNED=2"));
  EXPECT_EQ(proc<VersionFn>("loop", "version")(), 3) << "v3 goes on";
  // The frames returned: the refused build now loads.
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_EQ(proc<VersionFn>("loop", "version")(), 1);
  EXPECT_EQ(lastStats().versions_still_running, 0u);
}

INSTANTIATE_TEST_SUITE_P(MapQuery, StackSafetyTest, ::testing::Values(false),
                         [](const auto &) { return std::string("MapQuery"); });
INSTANTIATE_TEST_SUITE_P(WholeMap, StackSafetyTest, ::testing::Values(true),
                         [](const auto &) { return std::string("WholeMap"); });

} // namespace
