//===- ReloadTests.cpp - Loading and reloading real modules ---------------===//

#include "RuntimeTestSupport.h"

#include <cstddef>
#include <cstring>

#include <algorithm>
#include <dirent.h>
#include <dlfcn.h>
#include <fstream>
#include <string>

using namespace hcr::test;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

namespace {

using IntFn = int (*)(void);

class ReloadTest : public HostTest {};

TEST_F(ReloadTest, InitLoadsAndInitializesTheImportTree) {
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  EXPECT_THAT(takeEvents(), ElementsAre("counter.init.v1", "host.init"));
  IntFn Next = proc<IntFn>("counter", "next");
  ASSERT_NE(Next, nullptr);
  EXPECT_EQ(Next(), 101);
  EXPECT_EQ(Next(), 102);
  EXPECT_EQ(hcr_generation(), 0u);
}

TEST_F(ReloadTest, NothingChangedMeansNoReloadAndNoHandler) {
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  takeEvents();
  EXPECT_FALSE(hcr_reload_needed());
  EXPECT_FALSE(hcr_has_module_changed("counter"));
  EXPECT_EQ(hcr_perform_reload(), HCR_OK);
  EXPECT_TRUE(takeEvents().empty());
  EXPECT_EQ(hcr_generation(), 0u);
}

TEST_F(ReloadTest, AChangedModuleRunsNewCodeWithItsState) {
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  IntFn Next = proc<IntFn>("counter", "next");
  EXPECT_EQ(Next(), 101);
  takeEvents();

  Dir.install("counter_v2", "counter");
  EXPECT_TRUE(hcr_reload_needed());
  EXPECT_TRUE(hcr_has_module_changed("counter"));
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_FALSE(hcr_reload_needed());
  EXPECT_EQ(hcr_generation(), 1u);
  // Old handlers before, leaves first; new init; new handlers after.
  EXPECT_THAT(takeEvents(),
              ElementsAre("counter.before.v1", "host.before", "counter.init.v2",
                          "counter.after.v2", "host.after"));
  // Same address, new code, kept state: v2's initializer (999) is ignored.
  EXPECT_EQ(proc<IntFn>("counter", "next"), Next);
  EXPECT_EQ(Next(), 111);
  EXPECT_EQ(proc<IntFn>("counter", "version")(), 2);
}

TEST_F(ReloadTest, AReloadedModulesHandlersAreReplaced) {
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  Dir.install("counter_v2", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  takeEvents();
  Dir.install("counter_v3", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_THAT(takeEvents(),
              ElementsAre("counter.before.v2", "host.before", "counter.init.v3",
                          "counter.after.v3", "host.after"));
}

TEST_F(ReloadTest, ARemovedThenReaddedGlobalIsInitializedAgain) {
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  IntFn Extra = proc<IntFn>("counter", "extra");
  EXPECT_EQ(Extra(), 7);
  Dir.install("counter_v2", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_EQ(hcr_get_global("counter", "extra"), nullptr);
  EXPECT_EQ(hcr_get_proc("counter", "extra"), nullptr);
  Dir.install("counter_v3", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_EQ(Extra(), 8); // Re-initialized by v3, through the same address.
  EXPECT_EQ(proc<IntFn>("counter", "extra"), Extra);
}

TEST_F(ReloadTest, AStalePointerToARemovedProcReachesTheBadCallStub) {
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  IntFn Extra = proc<IntFn>("counter", "extra");
  Dir.install("counter_v2", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_DEATH(Extra(), "call to proc 'extra' of module 'counter', which is "
                        "no longer loaded");
}

TEST_F(ReloadTest, ImportsFollowTheNewTree) {
  Dir.install("a_v1", "a");
  Dir.install("b_v1", "b");
  Dir.install("c_v1", "c");
  ASSERT_EQ(start({"a"}), HCR_OK) << hcr_last_error();
  EXPECT_THAT(takeEvents(), ElementsAre("b.init.v1", "a.init.v1", "host.init"));
  IntFn Call = proc<IntFn>("a", "call");
  IntFn BValue = proc<IntFn>("b", "value");
  EXPECT_EQ(Call(), 'b');

  // a now imports c: c is loaded and initialized once, b is unloaded.
  Dir.install("a_v2", "a");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_THAT(takeEvents(),
              ElementsAre("b.before.v1", "a.before.v1", "host.before",
                          "c.init.v1", "a.init.v2", "c.after.v1", "a.after.v2",
                          "host.after"));
  EXPECT_EQ(Call(), 'c');
  EXPECT_EQ(*static_cast<int *>(hcr_get_global("c", "inits")), 1);
  EXPECT_EQ(*static_cast<int *>(hcr_get_global("a", "inits")), 2);
  EXPECT_EQ(hcr_get_proc("b", "value"), nullptr);
  EXPECT_EQ(hcr_get_global("b", "inits"), nullptr);
  EXPECT_DEATH(BValue(), "call to proc 'value' of module 'b'");

  // a drops every import: c goes too, and its handlers stop running.
  Dir.install("a_v3", "a");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_THAT(takeEvents(),
              ElementsAre("c.before.v1", "a.before.v2", "host.before",
                          "a.init.v3", "a.after.v3", "host.after"));
  EXPECT_EQ(Call(), -1);
  EXPECT_EQ(hcr_get_proc("c", "value"), nullptr);

  // b comes back: it is a new module again, its global initialized anew.
  Dir.install("a_v1", "a");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_EQ(Call(), 'b');
  EXPECT_EQ(*static_cast<int *>(hcr_get_global("b", "inits")), 1);
  EXPECT_EQ(proc<IntFn>("b", "value"), BValue); // Same trampoline, revived.
}

TEST_F(ReloadTest, AModuleImportedTwiceRunsItsHandlersOnce) {
  Dir.install("a_v1", "a");
  Dir.install("b_v1", "b");
  ASSERT_EQ(start({"a", "b"}), HCR_OK) << hcr_last_error();
  EXPECT_THAT(takeEvents(), ElementsAre("b.init.v1", "a.init.v1", "host.init"));
  Dir.install("b_v2", "b");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_THAT(takeEvents(),
              ElementsAre("b.before.v1", "a.before.v1", "host.before",
                          "b.init.v2", "b.after.v2", "a.after.v1",
                          "host.after"));
  // a was kept; its pointer to b.value reaches b's new code.
  EXPECT_EQ(proc<IntFn>("a", "call")(), 'b');
}

TEST_F(ReloadTest, ModulesThatImportEachOtherResolve) {
  Dir.install("x", "x");
  Dir.install("y", "y");
  ASSERT_EQ(start({"x"}), HCR_OK) << hcr_last_error();
  // x.sum = y.base + 1 = 21, x.value = sum + 2 * base = 61.
  EXPECT_EQ(proc<IntFn>("x", "value")(), 61);
}

static size_t filesIn(const std::string &Dir) {
  size_t N = 0;
  if (DIR *D = opendir(Dir.c_str())) {
    while (dirent *E = readdir(D))
      N += E->d_name[0] != '.';
    closedir(D);
  }
  return N;
}

// No frame runs in a replaced copy here: it stays until the next reload
// (a crash of the new code may roll back to it, CrashTests), then goes
// (StackSafetyTests covers copies that frames still run in).
TEST_F(ReloadTest, ReplacedCopiesAreUnloadedAtTheNextReload) {
  // main() points HCR_COPY_DIR here; the runtime makes one folder per init.
  std::string Parent = std::getenv("HCR_COPY_DIR");
  size_t Before = filesIn(Parent);
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  ASSERT_EQ(filesIn(Parent), Before + 1);
  std::string Copies;
  {
    DIR *D = opendir(Parent.c_str());
    while (dirent *E = readdir(D))
      if (std::string(E->d_name).rfind("hcr-", 0) == 0)
        Copies = Parent + "/" + E->d_name;
    closedir(D);
  }
  EXPECT_EQ(filesIn(Copies), 1u);
  Dir.install("counter_v2", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_EQ(filesIn(Copies), 2u);
  Dir.install("counter_v3", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_EQ(filesIn(Copies), 2u); // v2 and v3: v1 went.
  hcr_shutdown();
  EXPECT_EQ(filesIn(Parent), Before);
}

TEST_F(ReloadTest, InitTwiceIsRefused) {
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  EXPECT_EQ(start({"counter"}), HCR_ERROR_ALREADY_INITIALIZED);
}

} // namespace

namespace {

TEST_F(ReloadTest, StatsDescribeTheLatestReload) {
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  hcr_reload_stats S;
  ASSERT_EQ(hcr_last_reload_stats(&S, sizeof S), HCR_OK);
  EXPECT_EQ(S.generation, 0u);
  EXPECT_EQ(S.modules_loaded, 1u); // The host is not loaded from a file.
  EXPECT_EQ(S.modules_in_tree, 2u);
  Dir.install("counter_v2", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  ASSERT_EQ(hcr_last_reload_stats(&S, sizeof S), HCR_OK);
  EXPECT_EQ(S.generation, 1u);
  EXPECT_EQ(S.modules_loaded, 1u);
  EXPECT_EQ(S.procs_registered, 3u);   // v2: next, version and name.
  EXPECT_EQ(S.globals_registered, 1u); // count.
  EXPECT_GT(S.dlopen_ms, 0.0);
  EXPECT_GE(S.discover_ms, S.copy_ms + S.dlopen_ms);
  double Parts = S.discover_ms + S.handlers_ms + S.register_ms + S.commit_ms +
                 S.init_ms + S.cleanup_ms;
  EXPECT_NEAR(S.total_ms, Parts, 0.5);
  // A reload that finds nothing to do leaves the stats alone.
  ASSERT_EQ(hcr_perform_reload(), HCR_OK);
  hcr_reload_stats Again;
  ASSERT_EQ(hcr_last_reload_stats(&Again, sizeof Again), HCR_OK);
  EXPECT_EQ(Again.generation, 1u);
}

int added() { return 5; }

TEST_F(ReloadTest, RegistrationsOutsideAReloadBelongToTheirModule) {
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  takeEvents();
  // The host registers into a module whose code stays and into one that a
  // reload replaces; each is a transaction of its own, committed at once.
  ASSERT_EQ(hcr_add_reload_handler("host", HCR_AFTER_RELOAD,
                                   [] { eventLog().push_back("host.extra"); }),
            HCR_OK);
  ASSERT_EQ(
      hcr_add_reload_handler("counter", HCR_AFTER_RELOAD,
                             [] { eventLog().push_back("counter.extra"); }),
      HCR_OK);
  void *Added =
      hcr_register_proc("counter", "added", reinterpret_cast<void *>(&added));
  ASSERT_NE(Added, nullptr) << hcr_last_error();
  EXPECT_EQ(proc<IntFn>("counter", "added")(), 5);

  Dir.install("counter_v2", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  // The host's handler stays; counter's left with its old code, and so did
  // the proc its new code does not register.
  EXPECT_THAT(takeEvents(),
              ElementsAre("counter.before.v1", "host.before", "counter.init.v2",
                          "counter.after.v2", "host.after", "host.extra"));
  EXPECT_EQ(hcr_get_proc("counter", "added"), nullptr);
}

TEST_F(ReloadTest, StatsHonourTheCallersSize) {
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  // A caller built when the struct ended before procs_registered.
  const size_t OldSize = offsetof(hcr_reload_stats, procs_registered);
  hcr_reload_stats S;
  std::memset(&S, 0xab, sizeof S);
  ASSERT_EQ(hcr_last_reload_stats(&S, OldSize), HCR_OK);
  EXPECT_EQ(S.modules_loaded, 1u);
  const unsigned char *Bytes = reinterpret_cast<unsigned char *>(&S);
  for (size_t I = OldSize; I < sizeof S; ++I)
    ASSERT_EQ(Bytes[I], 0xab) << "byte " << I << " written";
  EXPECT_EQ(hcr_last_reload_stats(nullptr, sizeof S),
            HCR_ERROR_INVALID_ARGUMENT);
}

// A collector registers hcr_visit_globals once (Nim's refc GC); each global's
// visitor is its current code's, and goes with the global.
TEST_F(ReloadTest, GlobalVisitorsFollowTheCodeAndTheGlobals) {
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  takeEvents();
  hcr_visit_globals();
  EXPECT_THAT(takeEvents(), UnorderedElementsAre("counter.visit_count.v1",
                                                 "counter.visit_extra.v1"));

  // A reload that fails (a v2 whose link looks up what nobody registers,
  // after its registrations staged visitors) keeps the visitors of the code
  // that stays.
  Dir.install("counter_unresolved", "counter");
  EXPECT_EQ(hcr_perform_reload(), HCR_ERROR_UNRESOLVED_SYMBOL);
  takeEvents();
  hcr_visit_globals();
  EXPECT_THAT(takeEvents(), UnorderedElementsAre("counter.visit_count.v1",
                                                 "counter.visit_extra.v1"));

  // v2 drops extra, and its visitor with it.
  Dir.install("counter_v2", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  takeEvents();
  hcr_visit_globals();
  EXPECT_THAT(takeEvents(), ElementsAre("counter.visit_count.v2"));

  // v3 brings extra back, with v3's visitor.
  Dir.install("counter_v3", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  takeEvents();
  hcr_visit_globals();
  EXPECT_THAT(takeEvents(), UnorderedElementsAre("counter.visit_count.v3",
                                                 "counter.visit_extra.v3"));
}

static void noVisit() {}

TEST_F(ReloadTest, AVisitorBelongsToARegisteredGlobal) {
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  EXPECT_EQ(hcr_set_global_visitor("counter", "nothing", noVisit),
            HCR_ERROR_UNRESOLVED_SYMBOL);
  EXPECT_NE(std::string(hcr_last_error()).find("'nothing'"), std::string::npos)
      << hcr_last_error();
  EXPECT_EQ(hcr_set_global_visitor(nullptr, "count", noVisit),
            HCR_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(hcr_set_global_visitor("counter", "count", nullptr),
            HCR_ERROR_INVALID_ARGUMENT);
}

TEST_F(ReloadTest, OnlyALoadedModuleRetainsItsCode) {
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  EXPECT_EQ(hcr_retain_replaced_code(nullptr), HCR_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(hcr_retain_replaced_code("nothing"), HCR_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(hcr_last_error()).find("no module 'nothing'"),
            std::string::npos)
      << hcr_last_error();
  EXPECT_EQ(hcr_retain_replaced_code("counter"), HCR_OK);
}

// Nim's ORC strings point into a copy's constant data: a module that
// retains its replaced code keeps every copy loaded; others unload theirs
// once no frame runs in them.
TEST_F(ReloadTest, RetainedCodeStaysLoadedAfterItIsReplaced) {
  using NameFn = const char *(*)(void);
  // Which copy (file) a pointer is in, if any is loaded there.
  auto CopyOf = [](const void *P) {
    Dl_info Info;
    return dladdr(P, &Info) && Info.dli_fname ? std::string(Info.dli_fname)
                                              : std::string();
  };
  Dir.install("counter_retain", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  NameFn Name = proc<NameFn>("counter", "name");
  const char *V1 = Name();
  std::string V1Copy = CopyOf(V1);
  Dir.install("counter_v2", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  const char *V2 = Name();
  std::string V2Copy = CopyOf(V2);
  ASSERT_FALSE(V1Copy.empty());
  ASSERT_FALSE(V2Copy.empty());
  Dir.install("counter_v3", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  Dir.install("counter_v2", "counter");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_STREQ(Name(), "counter-v2");

  EXPECT_EQ(CopyOf(V1), V1Copy) << "v1 retained its code";
  EXPECT_STREQ(V1, "counter-v1");
  EXPECT_NE(CopyOf(V2), V2Copy) << "v2 did not retain its code: unloaded";
}

} // namespace
