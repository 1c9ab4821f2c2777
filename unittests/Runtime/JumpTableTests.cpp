//===- JumpTableTests.cpp - Trampoline code and the jump table ------------===//
//
// TrampolineX86_64 byte by byte and JumpTable<TrampolineX86_64>, the jump
// table of libhcr.so (Nim's encoding is tested in
// experiments/runtime-variants).
//
//===----------------------------------------------------------------------===//

#include "JumpTable.h"
#include "MappingPermissions.h"
#include "TrampolineX86_64.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

using namespace hcr;

namespace {

int plusOne(int X) { return X + 1; }
int timesTwo(int X) { return X * 2; }
using IntFn = int (*)(int);
using Table64 = JumpTable<TrampolineX86_64>;

[[noreturn]] void reportAndExit(uint64_t Id) {
  std::fprintf(stderr, "bad call through %u\n", static_cast<unsigned>(Id));
  std::fflush(stderr);
  std::_Exit(3);
}

TEST(TrampolineX86_64Test, EncodesTheListedInstructions) {
  uint8_t Mem[TrampolineX86_64::TrampolineSize];
  // Runs at 0x1000, slot at 0x2000, id 7, dispatcher at 0x800.
  TrampolineX86_64::writeTrampoline(Mem, 0x1000, 0x2000, 7, 0x800);
  const uint8_t Expected[] = {
      0xff, 0x25, 0xfa, 0x0f, 0x00, 0x00, // jmp *0x2000 (0x2000 - 0x1006)
      0x68, 0x07, 0x00, 0x00, 0x00,       // push $7
      0xe9, 0xf0, 0xf7, 0xff, 0xff};      // jmp 0x800 (0x800 - 0x1010)
  EXPECT_EQ(std::memcmp(Mem, Expected, sizeof(Expected)), 0);
}

TEST(TrampolineX86_64Test, EncodesTheDispatcher) {
  uint8_t Mem[TrampolineX86_64::DispatcherSize];
  TrampolineX86_64::writeDispatcher(Mem, 0x1000, 0x3000);
  const uint8_t Expected[] = {0x5f, 0x48, 0x83, 0xe4, 0xf0, 0xff,
                              0x15, 0xf5, 0x1f, 0x00, 0x00, // 0x3000-0x100b
                              0x0f, 0x0b, 0xcc, 0xcc, 0xcc};
  EXPECT_EQ(std::memcmp(Mem, Expected, sizeof(Expected)), 0);
}

TEST(TrampolineX86_64Test, Rel32Range) {
  EXPECT_TRUE(
      TrampolineX86_64::fitsRel32(0x10000000, 0x10000000ull + INT32_MAX));
  EXPECT_FALSE(
      TrampolineX86_64::fitsRel32(0x10000000, 0x10000000ull + INT32_MAX + 1));
  EXPECT_TRUE(TrampolineX86_64::fitsRel32(0x90000000, 0x10000000));
}

TEST(JumpTableTest, ATrampolineCallsItsTargetAndCanBeRetargeted) {
  Table64 Table(16, reportAndExit, reinterpret_cast<void *>(&plusOne));
  uint32_t Id;
  ASSERT_TRUE(Table.allocate(Id).ok());
  Table.retarget(Id, reinterpret_cast<void *>(&plusOne));
  auto Fn = reinterpret_cast<IntFn>(Table.entry(Id));
  EXPECT_EQ(Fn(20), 21);
  Table.retarget(Id, reinterpret_cast<void *>(&timesTwo));
  EXPECT_EQ(Fn(20), 40);
  EXPECT_EQ(Table.target(Id), reinterpret_cast<void *>(&timesTwo));
}

TEST(JumpTableTest, GrowsByChunksKeepingEveryAddress) {
  Table64 Table(2, reportAndExit, nullptr);
  std::vector<void *> Entries;
  for (int I = 0; I < 7; ++I) {
    uint32_t Id;
    ASSERT_TRUE(Table.allocate(Id).ok());
    EXPECT_EQ(Id, static_cast<uint32_t>(I));
    Table.retarget(Id, reinterpret_cast<void *>(I % 2 ? &plusOne : &timesTwo));
    Entries.push_back(Table.entry(Id));
  }
  for (int I = 0; I < 7; ++I) {
    EXPECT_EQ(Table.entry(I), Entries[I]);
    EXPECT_EQ(reinterpret_cast<IntFn>(Entries[I])(5), I % 2 ? 6 : 10);
  }
  EXPECT_EQ(Table.size(), 7u);
}

using hcr::test::permissionsOf;

TEST(JumpTableTest, CodeIsNeverWritableAndSlotsNeverExecutable) {
  Table64 Table(8, reportAndExit, nullptr);
  uint32_t Id;
  ASSERT_TRUE(Table.allocate(Id).ok());
  Table.retarget(Id, reinterpret_cast<void *>(&plusOne));
  EXPECT_EQ(permissionsOf(Table.entry(Id)), "r-xp");
  // The slot's address is encoded in the jmp: rip-relative after 6 bytes.
  const uint8_t *Code = static_cast<const uint8_t *>(Table.entry(Id));
  int32_t Rel;
  std::memcpy(&Rel, Code + 2, 4);
  const void *Slot = Code + 6 + Rel;
  EXPECT_EQ(permissionsOf(Slot), "rw-p");
  EXPECT_EQ(*static_cast<void *const *>(Slot),
            reinterpret_cast<void *>(&plusOne));
}

TEST(JumpTableDeathTest, ADeadTrampolineReachesTheHandlerWithItsId) {
  Table64 Table(4, reportAndExit, nullptr);
  uint32_t Id = 0;
  for (int I = 0; I < 3; ++I)
    ASSERT_TRUE(Table.allocate(Id).ok());
  Table.retarget(Id, reinterpret_cast<void *>(&plusOne));
  Table.kill(Id);
  auto Fn = reinterpret_cast<IntFn>(Table.entry(Id));
  EXPECT_EXIT(Fn(1), ::testing::ExitedWithCode(3), "bad call through 2");
}

TEST(JumpTableDeathTest, ANeverTargetedTrampolineIsDeadToo) {
  Table64 Table(4, reportAndExit, nullptr);
  uint32_t Id;
  ASSERT_TRUE(Table.allocate(Id).ok());
  auto Fn = reinterpret_cast<IntFn>(Table.entry(Id));
  EXPECT_EXIT(Fn(1), ::testing::ExitedWithCode(3), "bad call through 0");
}

} // namespace
