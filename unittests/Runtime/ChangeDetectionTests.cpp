//===- ChangeDetectionTests.cpp - hcr_reload_needed on real files ---------===//
//
// Every way a build can replace a module's file must be noticed, with the
// inotify monitor and without it (HCR_NO_INOTIFY, the stat-everything
// fallback), and nothing else may be.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestSupport.h"

#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace hcr::test;

namespace {

using IntFn = int (*)(void);

class ChangeDetectionTest : public KnobTest {
protected:
  ChangeDetectionTest() : KnobTest("HCR_NO_INOTIFY") {}
  /// Starts with counter v1 and checks that nothing is pending.
  void startCounter() {
    Dir.install("counter_v1", "counter");
    ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
    ASSERT_FALSE(hcr_reload_needed());
  }
  /// Reloads and checks that v2 runs and nothing more is pending.
  void expectReloadToV2() {
    ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
    EXPECT_EQ(proc<IntFn>("counter", "version")(), 2);
    EXPECT_FALSE(hcr_reload_needed());
  }
};

TEST_P(ChangeDetectionTest, ARenameOverTheFileIsNoticed) {
  startCounter();
  Dir.install("counter_v2", "counter");
  EXPECT_TRUE(hcr_reload_needed());
  expectReloadToV2();
}

TEST_P(ChangeDetectionTest, ARewriteInPlaceIsNoticed) {
  startCounter();
  Dir.overwrite("counter_v2", "counter");
  EXPECT_TRUE(hcr_reload_needed());
  expectReloadToV2();
}

TEST_P(ChangeDetectionTest, DeleteThenCreateIsNoticed) {
  startCounter();
  Dir.remove("counter");
  EXPECT_TRUE(hcr_reload_needed()); // A reload would fail; the check says so.
  Dir.install("counter_v2", "counter");
  EXPECT_TRUE(hcr_reload_needed());
  expectReloadToV2();
}

TEST_P(ChangeDetectionTest, ATouchIsNoticed) {
  startCounter();
  struct timespec Later[2] = {{0, UTIME_OMIT}, {1, 0}}; // mtime 1970
  ASSERT_EQ(utimensat(AT_FDCWD, Dir.fileOf("counter").c_str(), Later, 0), 0);
  EXPECT_TRUE(hcr_reload_needed());
}

TEST_P(ChangeDetectionTest, OtherFilesInTheDirectoryAreIgnored) {
  startCounter();
  std::ofstream(Dir.path() + "/notes.txt") << "not a module\n";
  Dir.install("counter_v2", "unrelated");
  for (int I = 0; I < 3; ++I)
    EXPECT_FALSE(hcr_reload_needed());
  EXPECT_FALSE(hcr_has_module_changed("counter"));
}

TEST_P(ChangeDetectionTest, AChangeAfterAReloadIsNoticedAgain) {
  startCounter();
  Dir.install("counter_v2", "counter");
  ASSERT_TRUE(hcr_reload_needed());
  expectReloadToV2();
  Dir.install("counter_v3", "counter");
  EXPECT_TRUE(hcr_has_module_changed("counter"));
  EXPECT_TRUE(hcr_reload_needed());
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_EQ(proc<IntFn>("counter", "version")(), 3);
  EXPECT_FALSE(hcr_reload_needed());
}

TEST_P(ChangeDetectionTest, AFailedBuildIsReportedOnceAndItsFixAgain) {
  startCounter();
  Dir.corrupt("counter");
  EXPECT_TRUE(hcr_reload_needed());
  EXPECT_NE(hcr_perform_reload(), HCR_OK);
  EXPECT_FALSE(hcr_reload_needed()); // The same broken file: not again.
  Dir.install("counter_v2", "counter");
  EXPECT_TRUE(hcr_reload_needed());
  expectReloadToV2();
}

TEST_P(ChangeDetectionTest, AModuleReachedThroughASymlinkIsWatchedThroughIt) {
  // The link's directory sees no event when the target changes: such a
  // module is stat-ed on every check.
  std::string Target = Dir.path() + "/builds";
  ASSERT_EQ(mkdir(Target.c_str(), 0755), 0);
  std::string Build = Target + "/counter.so";
  {
    std::ifstream In(ModuleDir::fixture("counter_v1"), std::ios::binary);
    std::ofstream(Build, std::ios::binary) << In.rdbuf();
  }
  ASSERT_EQ(symlink(Build.c_str(), Dir.fileOf("counter").c_str()), 0);
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  EXPECT_FALSE(hcr_reload_needed());
  {
    std::ifstream In(ModuleDir::fixture("counter_v2"), std::ios::binary);
    std::ofstream(Build + ".tmp", std::ios::binary) << In.rdbuf();
  }
  ASSERT_EQ(rename((Build + ".tmp").c_str(), Build.c_str()), 0);
  EXPECT_TRUE(hcr_reload_needed());
  expectReloadToV2();
}

TEST_P(ChangeDetectionTest, AModuleDirectoryMadeAgainIsStillChecked) {
  // The watch dies with the directory; the deletion's events leave the
  // module a suspect, so the new directory's file is still stat-ed.
  startCounter();
  std::string Cmd = "rm -rf '" + Dir.path() + "'";
  ASSERT_EQ(std::system(Cmd.c_str()), 0);
  ASSERT_EQ(mkdir(Dir.path().c_str(), 0755), 0);
  EXPECT_TRUE(hcr_reload_needed()); // The module file is gone.
  Dir.install("counter_v2", "counter");
  EXPECT_TRUE(hcr_reload_needed());
  expectReloadToV2();
}

INSTANTIATE_TEST_SUITE_P(Inotify, ChangeDetectionTest, ::testing::Values(false),
                         [](const auto &) { return std::string("Inotify"); });
INSTANTIATE_TEST_SUITE_P(StatEveryModule, ChangeDetectionTest,
                         ::testing::Values(true),
                         [](const auto &) { return std::string("Stat"); });

} // namespace
