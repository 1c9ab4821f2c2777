//===- CrashTests.cpp - New code that crashes is rolled back --------------===//
//
// Module crash (Inputs/crash.c): builds whose new code crashes in its
// initializer, in an after-reload handler, or later in a call that the
// host guards with hcr_run_guarded. The reload that brought that code in
// is undone: the old code runs, every global as it was before the reload,
// and the crashed build is not offered again until its file changes. A
// crash anywhere else is not swallowed.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestSupport.h"

#include <csignal>
#include <cstdint>
#include <cstring>
#include <link.h>
#include <string>
#include <unistd.h>

using namespace hcr::test;
using ::testing::HasSubstr;

namespace {

using IntFn = int (*)(void);
using WorkFn = int (*)(int);

/// The file name of the loaded copy of module crash ("" for none).
std::string loadedCopy() {
  std::string Name;
  dl_iterate_phdr(
      [](dl_phdr_info *Info, size_t, void *Out) {
        const char *Name = Info->dlpi_name ? Info->dlpi_name : "";
        if (std::strstr(Name, "/crash."))
          *static_cast<std::string *>(Out) = Name;
        return 0;
      },
      &Name);
  return Name;
}

/// How many copies of module crash are loaded (files crash.N.so in the
/// tests' copy folder, else memory files): what a debugger lists.
int loadedCopies() {
  int N = 0;
  dl_iterate_phdr(
      [](dl_phdr_info *Info, size_t, void *Count) {
        const char *Name = Info->dlpi_name ? Info->dlpi_name : "";
        if (std::strstr(Name, "/crash.") || std::strstr(Name, "/fd/"))
          ++*static_cast<int *>(Count);
        return 0;
      },
      &N);
  return N;
}

class CrashTest : public HostTest {
protected:
  void startV1() {
    Dir.install("crash_v1", "crash");
    ASSERT_EQ(start({"crash"}), HCR_OK) << hcr_last_error();
    Next = proc<IntFn>("crash", "next");
    Version = proc<IntFn>("crash", "version");
    Work = proc<WorkFn>("crash", "work");
    ASSERT_TRUE(Next && Version && Work);
  }
  int global(const char *Name) {
    return *static_cast<int *>(hcr_get_global("crash", Name));
  }
  IntFn Next = nullptr, Version = nullptr;
  WorkFn Work = nullptr;
};

TEST_F(CrashTest, ACrashInTheNewInitializerRollsTheReloadBack) {
  startV1();
  Next(), Next(), Next();
  void *Dropped = hcr_get_global("crash", "dropped");
  Dir.install("crash_init", "crash");
  ASSERT_TRUE(hcr_reload_needed());
  EXPECT_EQ(hcr_perform_reload(), HCR_ERROR_CRASHED);
  EXPECT_THAT(hcr_last_error(),
              HasSubstr("SIGSEGV in function 'crash_here' of module 'crash', "
                        "in the initialization of module 'crash'"));
  EXPECT_THAT(hcr_last_error(), HasSubstr("was rolled back"));
  EXPECT_EQ(Version(), 1);
  EXPECT_EQ(global("count"), 103) << "the crashed init wrote 555";
  EXPECT_EQ(Next(), 104);
  // The global the crashed build dropped is back, at the same address.
  EXPECT_EQ(hcr_get_global("crash", "dropped"), Dropped);
  EXPECT_EQ(global("dropped"), 7);
  EXPECT_EQ(hcr_get_global("crash", "added"), nullptr);
  EXPECT_FALSE(hcr_reload_needed()) << "the crashed build is not offered";
  // The next build loads.
  Dir.install("crash_v2", "crash");
  ASSERT_TRUE(hcr_reload_needed());
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_EQ(Version(), 2);
  EXPECT_EQ(Next(), 106);
}

TEST_F(CrashTest, ACrashInAnAfterReloadHandlerRollsTheReloadBack) {
  startV1();
  Next();
  takeEvents();
  Dir.install("crash_after", "crash");
  EXPECT_EQ(hcr_perform_reload(), HCR_ERROR_CRASHED);
  EXPECT_THAT(hcr_last_error(),
              HasSubstr("SIGSEGV in function 'crash_here' of module 'crash', "
                        "in an after-reload handler of module 'crash'"));
  // The crashed handler, then the old tree's (the host's after the
  // module's), as after a failed reload.
  EXPECT_THAT(takeEvents(),
              ::testing::ElementsAre("host.before", "crash.after.v3",
                                     "crash.after.v1", "host.after"));
  EXPECT_EQ(Version(), 1);
  EXPECT_EQ(global("count"), 101);
}

/// hcr_run_guarded's function: calls Work(x) of the test.
struct WorkCall {
  WorkFn Work;
  int X, Result;
};
void callWork(void *Arg) {
  auto *C = static_cast<WorkCall *>(Arg);
  C->Result = C->Work(C->X);
}

TEST_F(CrashTest, AGuardedCallThatCrashesInNewCodeRollsTheReloadBack) {
  startV1();
  Next(), Next();
  int Copies = loadedCopies();
  Dir.install("crash_work", "crash");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  // The replaced code, kept for a rollback, is not loaded meanwhile: a
  // debugger sees only the new code under the module's names.
  EXPECT_EQ(loadedCopies(), Copies);
  EXPECT_EQ(Version(), 3);
  EXPECT_EQ(Next(), 105); // New code changes the state after the reload.
  WorkCall Safe{Work, 0, -1};
  EXPECT_EQ(hcr_run_guarded(callWork, &Safe), HCR_OK);
  EXPECT_EQ(Safe.Result, 0);
  WorkCall Crashing{Work, 1, -1};
  EXPECT_EQ(hcr_run_guarded(callWork, &Crashing), HCR_ERROR_CRASHED);
  EXPECT_THAT(hcr_last_error(),
              HasSubstr("SIGSEGV in function 'crash_here' of module 'crash', "
                        "in a guarded call: reload 1 was rolled back"));
  EXPECT_EQ(Version(), 1);
  EXPECT_EQ(loadedCopies(), Copies) << "the old code, loaded again; the "
                                       "crashed code, unloaded";
  EXPECT_EQ(global("count"), 102) << "as just before the reload";
  EXPECT_EQ(global("dropped"), 7);
  EXPECT_FALSE(hcr_reload_needed());
  WorkCall Again{Work, 1, -1};
  EXPECT_EQ(hcr_run_guarded(callWork, &Again), HCR_OK);
  EXPECT_EQ(Again.Result, 1) << "v1's work";
}

TEST_F(CrashTest, ARollbackWhoseOldCodeCannotLoadAgainSaysSo) {
  startV1();
  std::string OldCopy = loadedCopy();
  ASSERT_FALSE(OldCopy.empty()) << "the tests' copies are files";
  Dir.install("crash_work", "crash");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  // The replaced copy, unloaded until a rollback needs it, is gone.
  ASSERT_EQ(unlink(OldCopy.c_str()), 0);
  WorkCall Crashing{Work, 1, -1};
  EXPECT_EQ(hcr_run_guarded(callWork, &Crashing), HCR_ERROR_CRASHED);
  EXPECT_THAT(hcr_last_error(),
              HasSubstr("the rollback failed: cannot load the code of "
                        "module 'crash' again"));
  EXPECT_EQ(Version(), 3) << "the crashed code stays";
}

TEST_F(CrashTest, ACrashInALibraryIsBlamedOnTheNewCodeThatCalledIt) {
  startV1();
  Dir.install("crash_libc", "crash");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  WorkCall Crashing{Work, 1, -1};
  EXPECT_EQ(hcr_run_guarded(callWork, &Crashing), HCR_ERROR_CRASHED);
  EXPECT_THAT(hcr_last_error(),
              HasSubstr("SIGSEGV in function 'work' of module 'crash' (in a "
                        "function it called), in a guarded call"));
  EXPECT_EQ(Version(), 1);
}

TEST_F(CrashTest, AnAbortInNewCodeRollsTheReloadBack) {
  startV1();
  Dir.install("crash_abort", "crash");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  WorkCall Crashing{Work, 1, -1};
  EXPECT_EQ(hcr_run_guarded(callWork, &Crashing), HCR_ERROR_CRASHED);
  EXPECT_THAT(hcr_last_error(), HasSubstr("SIGABRT in function 'work' of "
                                          "module 'crash' (in a function it "
                                          "called)"));
  EXPECT_EQ(Version(), 1);
}

void crashInTheHost(void *) { *(volatile int *)(uintptr_t)0 = 1; }

void crashInOldCode(void *Arg) {
  // v1's work, which the latest reload did not bring in, made to crash.
  WorkCall *C = static_cast<WorkCall *>(Arg);
  C->Result = C->Work(C->X);
  crashInTheHost(nullptr);
}

TEST_F(CrashTest, ACrashOutsideTheLatestReloadsCodeIsNotSwallowed) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  startV1();
  // Before any reload: nothing to roll back.
  EXPECT_EXIT(hcr_run_guarded(crashInTheHost, nullptr),
              ::testing::KilledBySignal(SIGSEGV), "");
  Dir.install("crash_v2", "crash");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  // After one: a crash in the host's code is still the program's.
  EXPECT_EXIT(hcr_run_guarded(crashInTheHost, nullptr),
              ::testing::KilledBySignal(SIGSEGV), "");
  WorkCall C{Work, 1, -1};
  EXPECT_EXIT(hcr_run_guarded(crashInOldCode, &C),
              ::testing::KilledBySignal(SIGSEGV), "");
  EXPECT_EQ(Version(), 2);
}

TEST_F(CrashTest, AGuardedCallWithoutACrashReturnsOk) {
  startV1();
  WorkCall C{Work, 4, -1};
  EXPECT_EQ(hcr_run_guarded(callWork, &C), HCR_OK);
  EXPECT_EQ(C.Result, 4);
  EXPECT_EQ(hcr_run_guarded(nullptr, nullptr), HCR_ERROR_INVALID_ARGUMENT);
}

} // namespace
