//===- EntryPatchTests.cpp - The entry-patching library -----------------===//
//
// Real shared objects built by CMake (Inputs/, several versions of each):
// a test loads version 1, keeps the addresses a program would keep, reloads
// a later version and calls through the old addresses. Each test runs in
// its own process under ctest (gtest_discover_tests); run together they do
// not share a module (a module's globals stay in the global scope forever).
//
//===----------------------------------------------------------------------===//

#include "entry_patch.h"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <string>

namespace {

using IntFn = int (*)();
using TinyFn = int (*)(int);
using SumFn = int (*)(const int *, int);

std::string fixture(const char *Name) {
  return std::string(EP_FIXTURE_DIR) + "/" + Name + ".so";
}

struct EntryPatch : ::testing::Test {
  void TearDown() override { ep_shutdown(); }

  /// ep_load that must succeed.
  ep_module *load(const char *Name, unsigned Flags = 0) {
    ep_module *M = nullptr;
    EXPECT_EQ(ep_load(fixture(Name).c_str(), Flags, &M), EP_OK)
        << ep_last_error();
    return M;
  }

  ep_reload_stats stats(const ep_module *M) {
    ep_reload_stats S{};
    ep_last_stats(M, &S);
    return S;
  }
};

TEST_F(EntryPatch, OldAddressRunsNewCode) {
  ep_module *M = load("versions_v1");
  ASSERT_NE(M, nullptr);
  auto Version = reinterpret_cast<IntFn>(ep_symbol(M, "ep_version"));
  ASSERT_NE(Version, nullptr);
  EXPECT_EQ(Version(), 1);

  ASSERT_EQ(ep_reload(M, fixture("versions_v2").c_str()), EP_OK)
      << ep_last_error();
  EXPECT_EQ(Version(), 2);
  EXPECT_EQ(ep_symbol(M, "ep_version"), reinterpret_cast<void *>(Version));
  ep_reload_stats S = stats(M);
  EXPECT_EQ(S.version, 2u);
  EXPECT_GE(S.patched, 1u);
  EXPECT_EQ(S.abs64, 0u);
}

TEST_F(EntryPatch, FunctionSmallerThanAJumpIsRefusedWithoutPadding) {
  ep_module *M = load("versions_v1");
  ASSERT_NE(M, nullptr);
  auto Tiny = reinterpret_cast<TinyFn>(ep_symbol(M, "ep_tiny"));
  ASSERT_NE(Tiny, nullptr);

  ASSERT_EQ(ep_reload(M, fixture("versions_v2").c_str()), EP_OK)
      << ep_last_error();
  ep_reload_stats S = stats(M);
  EXPECT_GE(S.refused_small, 1u);
  EXPECT_EQ(S.into_padding, 0u);
  EXPECT_EQ(Tiny(10), 11) << "the refused entry still runs version 1";
  auto Version = reinterpret_cast<IntFn>(ep_symbol(M, "ep_version"));
  EXPECT_EQ(Version(), 2) << "the larger function was patched";
}

TEST_F(EntryPatch, PaddingMakesRoomForTheJump) {
  ep_module *M = load("versions_v1", EP_USE_PADDING);
  ASSERT_NE(M, nullptr);
  auto Tiny = reinterpret_cast<TinyFn>(ep_symbol(M, "ep_tiny"));
  ASSERT_NE(Tiny, nullptr);

  ASSERT_EQ(ep_reload(M, fixture("versions_v2").c_str()), EP_OK)
      << ep_last_error();
  ep_reload_stats S = stats(M);
  EXPECT_EQ(S.refused_small, 0u);
  EXPECT_GE(S.into_padding, 1u);
  EXPECT_EQ(Tiny(10), 12);
}

TEST_F(EntryPatch, EveryEarlierVersionJumpsToTheNewest) {
  ep_module *M = load("versions_v1");
  ASSERT_NE(M, nullptr);
  auto V1 = reinterpret_cast<IntFn>(ep_symbol(M, "ep_version"));
  ASSERT_EQ(ep_reload(M, fixture("versions_v2").c_str()), EP_OK)
      << ep_last_error();
  auto V2 =
      reinterpret_cast<IntFn>(dlsym(ep_version_handle(M, 2), "ep_version"));
  ASSERT_NE(V2, nullptr);
  ASSERT_NE(V2, V1);

  ASSERT_EQ(ep_reload(M, fixture("versions_v3").c_str()), EP_OK)
      << ep_last_error();
  EXPECT_EQ(ep_versions(M), 3u);
  EXPECT_EQ(stats(M).version, 3u);
  EXPECT_GE(stats(M).patched, 2u) << "ep_version of versions 1 and 2";
  EXPECT_EQ(V1(), 3);
  EXPECT_EQ(V2(), 3);
}

TEST_F(EntryPatch, AbsoluteJumpWhenForced) {
  ep_module *M = load("versions_v1", EP_FORCE_ABS64);
  ASSERT_NE(M, nullptr);
  auto Sum = reinterpret_cast<SumFn>(ep_symbol(M, "ep_sum"));
  ASSERT_NE(Sum, nullptr);
  const int V[] = {1, 2, 3};
  EXPECT_EQ(Sum(V, 3), 1 + 14);

  ASSERT_EQ(ep_reload(M, fixture("versions_v2").c_str()), EP_OK)
      << ep_last_error();
  ep_reload_stats S = stats(M);
  EXPECT_GE(S.abs64, 1u);
  EXPECT_EQ(S.atomic + S.split_rel32, 0u);
  EXPECT_EQ(Sum(V, 3), 2 + 14);
}

// The first version's globals are the storage every later version binds
// to; a static local of the new build is a new variable.
TEST_F(EntryPatch, GlobalsKeptStaticLocalsNot) {
  ep_module *Probe = load("probe_v1");
  ep_module *User = load("user");
  ASSERT_TRUE(Probe && User);
  auto UserCallF =
      reinterpret_cast<int (*)(int *)>(ep_symbol(User, "user_call_f"));
  auto *Global = static_cast<int *>(ep_symbol(Probe, "global_counter"));
  ASSERT_TRUE(UserCallF && Global);
  int Calls = 0;
  for (int I = 0; I < 3; ++I)
    EXPECT_EQ(UserCallF(&Calls), 1);

  ASSERT_NE(load("added"), nullptr) << "version 2 needs it loaded first";
  ASSERT_EQ(ep_reload(Probe, fixture("probe_v2").c_str()), EP_OK)
      << ep_last_error();
  EXPECT_EQ(UserCallF(&Calls), 2) << "through user's PLT to the old entry";
  EXPECT_EQ(*Global, 4);
  EXPECT_EQ(Calls, 1) << "the static local of version 2 starts again";
  auto AddressOfGlobal =
      reinterpret_cast<int *(*)()>(ep_symbol(Probe, "address_of_global"));
  EXPECT_EQ(AddressOfGlobal(), Global) << "the new code sees the old storage";
}

TEST_F(EntryPatch, InvalidArguments) {
  ep_module *M = nullptr;
  EXPECT_EQ(ep_load(nullptr, 0, &M), EP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(ep_load("", 0, &M), EP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(ep_load(fixture("versions_v1").c_str(), 0, nullptr),
            EP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(ep_reload(nullptr, fixture("versions_v2").c_str()),
            EP_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(ep_last_error()).find("ep_reload"), std::string::npos);
  M = load("versions_v1");
  ASSERT_NE(M, nullptr);
  EXPECT_EQ(ep_reload(M, nullptr), EP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(ep_reload(M, ""), EP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(ep_versions(M), 1u);
  EXPECT_EQ(ep_symbol(nullptr, "ep_version"), nullptr);
  EXPECT_EQ(ep_version_handle(M, 0), nullptr);
  EXPECT_EQ(ep_version_handle(M, 2), nullptr);
  EXPECT_EQ(ep_versions(nullptr), 0u);
}

TEST_F(EntryPatch, MissingFileIsAnIoError) {
  ep_module *M = nullptr;
  EXPECT_EQ(ep_load(fixture("no_such_module").c_str(), 0, &M), EP_ERROR_IO);
  EXPECT_EQ(M, nullptr);
  EXPECT_NE(std::string(ep_last_error()).find("no_such_module"),
            std::string::npos);
}

TEST_F(EntryPatch, NotAnElfFileIsRefusedBeforeLoading) {
  ep_module *M = load("versions_v1");
  ASSERT_NE(M, nullptr);
  EXPECT_EQ(ep_reload(M, EP_INPUTS_DIR "/versions.c"), EP_ERROR_ELF);
  EXPECT_EQ(ep_versions(M), 1u);
  ep_module *Other = nullptr;
  EXPECT_EQ(ep_load(EP_INPUTS_DIR "/versions.c", 0, &Other), EP_ERROR_ELF);
}

TEST_F(EntryPatch, UnresolvedReloadLeavesTheModuleAlone) {
  ep_module *M = load("versions_v1");
  ASSERT_NE(M, nullptr);
  auto Version = reinterpret_cast<IntFn>(ep_symbol(M, "ep_version"));
  EXPECT_EQ(ep_reload(M, fixture("versions_unresolved").c_str()),
            EP_ERROR_DLOPEN);
  EXPECT_NE(std::string(ep_last_error()).find("ep_nowhere"), std::string::npos)
      << ep_last_error();
  EXPECT_EQ(ep_versions(M), 1u);
  EXPECT_EQ(Version(), 1);
  ASSERT_EQ(ep_reload(M, fixture("versions_v2").c_str()), EP_OK)
      << ep_last_error();
  EXPECT_EQ(Version(), 2);
}

} // namespace
