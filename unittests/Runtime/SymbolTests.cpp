//===- SymbolTests.cpp - Procs and globals through the C API
//---------------===//

#include "RuntimeTestSupport.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <thread>

using namespace hcr::test;

namespace {

int one(int X) { return X + 1; }
int two(int X) { return X + 2; }
using IntFn = int (*)(int);

TEST(ProcTest, RegisterReturnsATrampolineToTheFunction) {
  void *Tramp = hcr_register_proc("procs", "f", reinterpret_cast<void *>(one));
  ASSERT_NE(Tramp, nullptr);
  EXPECT_NE(Tramp, reinterpret_cast<void *>(one));
  EXPECT_EQ(reinterpret_cast<IntFn>(Tramp)(10), 11);
}

TEST(ProcTest, RegisteringAgainRetargetsTheSameTrampoline) {
  void *First = hcr_register_proc("procs", "g", reinterpret_cast<void *>(one));
  void *Second = hcr_register_proc("procs", "g", reinterpret_cast<void *>(two));
  EXPECT_EQ(First, Second);
  EXPECT_EQ(reinterpret_cast<IntFn>(First)(10), 12);
  EXPECT_EQ(hcr_get_proc("procs", "g"), First);
}

TEST(ProcTest, GetOfAnUnregisteredProcFails) {
  EXPECT_EQ(hcr_get_proc("procs", "nobody"), nullptr);
  EXPECT_NE(std::strstr(hcr_last_error(), "'nobody'"), nullptr)
      << hcr_last_error();
}

TEST(ProcTest, NullArgumentsAreRefused) {
  EXPECT_EQ(hcr_register_proc(nullptr, "f", reinterpret_cast<void *>(one)),
            nullptr);
  EXPECT_EQ(hcr_register_proc("procs", "", reinterpret_cast<void *>(one)),
            nullptr);
  EXPECT_EQ(hcr_register_proc("procs", "f", nullptr), nullptr);
  EXPECT_NE(std::strstr(hcr_last_error(), "hcr_register_proc"), nullptr);
}

TEST(GlobalTest, FirstRegistrationAllocatesZeroedStorage) {
  void *Slot = nullptr;
  ASSERT_TRUE(hcr_register_global("globals", "a", 64, 8, &Slot));
  ASSERT_NE(Slot, nullptr);
  unsigned char Zero[64] = {};
  EXPECT_EQ(std::memcmp(Slot, Zero, sizeof(Zero)), 0);
  EXPECT_EQ(hcr_get_global("globals", "a"), Slot);
}

TEST(GlobalTest, SecondRegistrationReusesTheStorage) {
  void *First = nullptr, *Second = nullptr;
  ASSERT_TRUE(hcr_register_global("globals", "b", sizeof(int), 4, &First));
  *static_cast<int *>(First) = 42;
  EXPECT_FALSE(hcr_register_global("globals", "b", sizeof(int), 4, &Second));
  EXPECT_EQ(First, Second);
  EXPECT_EQ(*static_cast<int *>(Second), 42);
}

TEST(GlobalTest, AlignmentIsHonoured) {
  void *Slot = nullptr;
  ASSERT_TRUE(hcr_register_global("globals", "aligned", 3, 256, &Slot));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(Slot) % 256, 0u);
}

TEST(GlobalTest, ASizeConflictIsReportedNotReused) {
  void *First = nullptr, *Second = nullptr;
  ASSERT_TRUE(hcr_register_global("globals", "c", 4, 4, &First));
  EXPECT_FALSE(hcr_register_global("globals", "c", 8, 8, &Second));
  EXPECT_NE(Second, nullptr); // Scratch storage, so a writer cannot crash.
  EXPECT_NE(Second, First);
  EXPECT_NE(std::strstr(hcr_last_error(), "size 4 and alignment 4, now with "
                                          "size 8 and alignment 8"),
            nullptr)
      << hcr_last_error();
}

TEST(GlobalTest, AnAlignmentThatIsNotAPowerOfTwoIsRefused) {
  void *Slot = reinterpret_cast<void *>(1);
  EXPECT_FALSE(hcr_register_global("globals", "d", 4, 3, &Slot));
  EXPECT_EQ(Slot, nullptr);
  EXPECT_NE(std::strstr(hcr_last_error(), "power of two"), nullptr);
}

TEST(GlobalTest, GetOfAnUnregisteredGlobalFails) {
  EXPECT_EQ(hcr_get_global("globals", "nobody"), nullptr);
  EXPECT_NE(std::strstr(hcr_last_error(), "'nobody'"), nullptr);
}

TEST(ApiTest, ReloadBeforeInitIsAnError) {
  EXPECT_EQ(hcr_perform_reload(), HCR_ERROR_NOT_INITIALIZED);
  EXPECT_FALSE(hcr_reload_needed());
  EXPECT_FALSE(hcr_has_module_changed("nothing"));
  EXPECT_NE(std::strstr(hcr_last_error(), "'nothing'"), nullptr);
}

TEST(ApiTest, LastStatusTellsAConflictFromABadArgument) {
  void *Slot = nullptr;
  ASSERT_TRUE(hcr_register_global("status", "g", 4, 4, &Slot));
  EXPECT_FALSE(hcr_register_global("status", "g", 8, 8, &Slot));
  EXPECT_EQ(hcr_last_status(), HCR_ERROR_SYMBOL_CONFLICT);
  // The call's context comes first, once.
  EXPECT_THAT(hcr_last_error(),
              ::testing::StartsWith("hcr_register_global(status, g): global "
                                    "'g' of module 'status' was registered"));
  EXPECT_FALSE(hcr_register_global("status", "g", 4, 3, &Slot));
  EXPECT_EQ(hcr_last_status(), HCR_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(hcr_get_proc("status", "nobody"), nullptr);
  EXPECT_EQ(hcr_last_status(), HCR_ERROR_UNRESOLVED_SYMBOL);
  EXPECT_THAT(hcr_last_error(),
              ::testing::StartsWith("hcr_get_proc(status, nobody): "));
}

TEST(ApiTest, LastStatusAndErrorArePerThread) {
  EXPECT_EQ(hcr_get_global("status", "nobody"), nullptr);
  ASSERT_EQ(hcr_last_status(), HCR_ERROR_UNRESOLVED_SYMBOL);
  hcr_status Other = HCR_ERROR_BUSY;
  std::string OtherError = "unset";
  std::thread([&] {
    Other = hcr_last_status();
    OtherError = hcr_last_error();
  }).join();
  EXPECT_EQ(Other, HCR_OK);
  EXPECT_EQ(OtherError, "");
  EXPECT_EQ(hcr_last_status(), HCR_ERROR_UNRESOLVED_SYMBOL);
}

TEST(ApiTest, HandlersNeedALoadedModule) {
  EXPECT_EQ(hcr_add_reload_handler("nothing", HCR_BEFORE_RELOAD, [] {}),
            HCR_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(hcr_last_status(), HCR_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(hcr_last_error(),
              ::testing::HasSubstr("no module 'nothing' is loaded"));
}

} // namespace
