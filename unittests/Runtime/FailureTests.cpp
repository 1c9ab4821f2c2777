//===- FailureTests.cpp - A failed reload changes nothing
//------------------===//
//
// Each test loads counter v1, advances its state, breaks the next build in
// one way, and checks that the reload fails with a clear error while the old
// code keeps running with its state; then that a good build still reloads.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestSupport.h"

#include <cstring>

using namespace hcr::test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

using IntFn = int (*)(void);

class FailedReloadTest : public HostTest {
protected:
  void SetUp() override {
    Dir.install("counter_v1", "counter");
    ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
    Next = proc<IntFn>("counter", "next");
    ASSERT_EQ(Next(), 101);
    takeEvents();
  }

  /// The old code still runs with its state.
  void expectOldCodeRuns() {
    EXPECT_EQ(Next(), 102);
    EXPECT_EQ(proc<IntFn>("counter", "version")(), 1);
    EXPECT_EQ(proc<IntFn>("counter", "extra")(), 7);
    EXPECT_EQ(hcr_generation(), 0u);
  }

  /// A fixed build then reloads, keeping the state.
  void expectFixedBuildReloads() {
    Dir.install("counter_v2", "counter");
    EXPECT_TRUE(hcr_reload_needed());
    ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
    EXPECT_EQ(Next(), 112);
    EXPECT_EQ(hcr_generation(), 1u);
  }

  /// A failure found while loading: no handler ran at all.
  void expectLoadFailure(hcr_status Expected, const char *Message) {
    EXPECT_TRUE(hcr_reload_needed());
    EXPECT_EQ(hcr_perform_reload(), Expected);
    EXPECT_EQ(hcr_last_status(), Expected);
    EXPECT_THAT(hcr_last_error(), HasSubstr(Message));
    EXPECT_THAT(hcr_last_error(),
                ::testing::StartsWith(
                    "reload failed, the old code keeps running: module "));
    EXPECT_TRUE(takeEvents().empty());
    // The same broken build is not reported as a pending reload again.
    EXPECT_FALSE(hcr_reload_needed());
    EXPECT_TRUE(hcr_has_module_changed("counter"));
    expectOldCodeRuns();
    expectFixedBuildReloads();
  }

  /// A failure found while registering: the old code's after-reload
  /// handlers run again, so the program resumes as after a reload.
  void expectRegistrationFailure(hcr_status Expected, const char *Message) {
    EXPECT_EQ(hcr_perform_reload(), Expected);
    EXPECT_EQ(hcr_last_status(), Expected);
    EXPECT_THAT(hcr_last_error(), HasSubstr(Message));
    EXPECT_THAT(takeEvents(), ElementsAre("counter.before.v1", "host.before",
                                          "counter.after.v1", "host.after"));
    EXPECT_FALSE(hcr_reload_needed());
    expectOldCodeRuns();
    expectFixedBuildReloads();
  }

  IntFn Next = nullptr;
};

TEST_F(FailedReloadTest, MissingFile) {
  Dir.remove("counter");
  expectLoadFailure(HCR_ERROR_MODULE_LOAD, "cannot open module");
}

TEST_F(FailedReloadTest, CorruptFile) {
  Dir.corrupt("counter");
  expectLoadFailure(HCR_ERROR_MODULE_LOAD, "cannot load module");
}

TEST_F(FailedReloadTest, UnresolvedSymbolAtDlopen) {
  Dir.install("counter_undefined", "counter");
  expectLoadFailure(HCR_ERROR_MODULE_LOAD,
                    "hcr_test_function_that_nobody_defines");
}

TEST_F(FailedReloadTest, MissingEntryPoint) {
  Dir.install("counter_no_init", "counter");
  expectLoadFailure(HCR_ERROR_MODULE_ABI, "'hcr_module_init'");
}

TEST_F(FailedReloadTest, WrongAbiVersion) {
  Dir.install("counter_abi", "counter");
  expectLoadFailure(HCR_ERROR_MODULE_ABI, "module ABI version 99");
}

TEST_F(FailedReloadTest, GlobalChangesSize) {
  Dir.install("counter_conflict", "counter");
  expectRegistrationFailure(HCR_ERROR_SYMBOL_CONFLICT,
                            "global 'count' of module 'counter' was "
                            "registered with size 4");
}

TEST_F(FailedReloadTest, LookupThatNoModuleRegisters) {
  Dir.install("counter_unresolved", "counter");
  expectRegistrationFailure(HCR_ERROR_UNRESOLVED_SYMBOL,
                            "proc 'missing' of module 'host'");
}

TEST_F(FailedReloadTest, ProcRegisteredTwice) {
  Dir.install("counter_twice", "counter");
  expectRegistrationFailure(HCR_ERROR_SYMBOL_CONFLICT,
                            "proc 'next' of module 'counter' is registered "
                            "twice");
}

class FailedImportTest : public HostTest {};

TEST_F(FailedImportTest, ANewImportThatFailsKeepsTheWholeOldTree) {
  Dir.install("a_v1", "a");
  Dir.install("b_v1", "b");
  ASSERT_EQ(start({"a"}), HCR_OK) << hcr_last_error();
  takeEvents();
  Dir.install("a_v2", "a"); // Imports c, which was never built.
  EXPECT_EQ(hcr_perform_reload(), HCR_ERROR_MODULE_LOAD);
  EXPECT_THAT(hcr_last_error(),
              HasSubstr("module 'c' (imported by 'a'): cannot open module"));
  EXPECT_TRUE(takeEvents().empty());
  EXPECT_EQ(proc<IntFn>("a", "call")(), 'b');
  Dir.install("c_v1", "c");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_EQ(proc<IntFn>("a", "call")(), 'c');
}

TEST_F(FailedImportTest, AKeptModuleMayNotLoseWhatItUses) {
  Dir.install("a_v1", "a");
  Dir.install("b_v1", "b");
  ASSERT_EQ(start({"a"}), HCR_OK) << hcr_last_error();
  takeEvents();
  // b v3 no longer defines b.value, which a (kept, not rebuilt) calls.
  Dir.install("b_v3", "b");
  EXPECT_EQ(hcr_perform_reload(), HCR_ERROR_UNRESOLVED_SYMBOL);
  EXPECT_THAT(hcr_last_error(),
              HasSubstr("module 'a' uses proc 'value' of module 'b', which "
                        "its new code no longer defines; rebuild 'a' too"));
  EXPECT_EQ(proc<IntFn>("a", "call")(), 'b');
  EXPECT_EQ(*static_cast<int *>(hcr_get_global("b", "inits")), 1);
}

TEST_F(FailedImportTest, ReloadFromAHandlerIsRefused) {
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  static hcr_status Nested;
  ASSERT_EQ(hcr_add_reload_handler("counter", HCR_BEFORE_RELOAD,
                                   [] { Nested = hcr_perform_reload(); }),
            HCR_OK);
  Dir.install("counter_v2", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_EQ(Nested, HCR_ERROR_BUSY);
}

} // namespace
