//===- JumpTableTests.cpp - Trampoline code and the jump table
//-------------===//

#include "JumpTable.h"
#include "TrampolineNimX86_64.h"
#include "TrampolineX86_64.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

using namespace hcr;

namespace {

int plusOne(int X) { return X + 1; }
int timesTwo(int X) { return X * 2; }
using IntFn = int (*)(int);

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
  JumpTable Table(16, reportAndExit, reinterpret_cast<void *>(&plusOne));
  uint32_t Id;
  std::string Err;
  ASSERT_TRUE(Table.allocate(Id, Err)) << Err;
  Table.retarget(Id, reinterpret_cast<void *>(&plusOne));
  auto Fn = reinterpret_cast<IntFn>(Table.entry(Id));
  EXPECT_EQ(Fn(20), 21);
  Table.retarget(Id, reinterpret_cast<void *>(&timesTwo));
  EXPECT_EQ(Fn(20), 40);
  EXPECT_EQ(Table.target(Id), reinterpret_cast<void *>(&timesTwo));
}

TEST(JumpTableTest, GrowsByChunksKeepingEveryAddress) {
  JumpTable Table(2, reportAndExit, nullptr);
  std::string Err;
  std::vector<void *> Entries;
  for (int I = 0; I < 7; ++I) {
    uint32_t Id;
    ASSERT_TRUE(Table.allocate(Id, Err)) << Err;
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

/// The permissions of the mapping holding Addr, e.g. "r-xp".
std::string permissionsOf(const void *Addr) {
  std::ifstream Maps("/proc/self/maps");
  std::string Line;
  auto A = reinterpret_cast<uintptr_t>(Addr);
  while (std::getline(Maps, Line)) {
    unsigned long Lo, Hi;
    char Perms[5];
    if (std::sscanf(Line.c_str(), "%lx-%lx %4s", &Lo, &Hi, Perms) == 3 &&
        A >= Lo && A < Hi)
      return Perms;
  }
  return "";
}

TEST(JumpTableTest, CodeIsNeverWritableAndSlotsNeverExecutable) {
  JumpTable Table(8, reportAndExit, nullptr);
  uint32_t Id;
  std::string Err;
  ASSERT_TRUE(Table.allocate(Id, Err)) << Err;
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
  JumpTable Table(4, reportAndExit, nullptr);
  std::string Err;
  uint32_t Id = 0;
  for (int I = 0; I < 3; ++I)
    ASSERT_TRUE(Table.allocate(Id, Err)) << Err;
  Table.retarget(Id, reinterpret_cast<void *>(&plusOne));
  Table.kill(Id);
  auto Fn = reinterpret_cast<IntFn>(Table.entry(Id));
  EXPECT_EXIT(Fn(1), ::testing::ExitedWithCode(3), "bad call through 2");
}

TEST(JumpTableDeathTest, ANeverTargetedTrampolineIsDeadToo) {
  JumpTable Table(4, reportAndExit, nullptr);
  std::string Err;
  uint32_t Id;
  ASSERT_TRUE(Table.allocate(Id, Err)) << Err;
  auto Fn = reinterpret_cast<IntFn>(Table.entry(Id));
  EXPECT_EXIT(Fn(1), ::testing::ExitedWithCode(3), "bad call through 0");
}

TEST(TrampolineNimX86_64Test, ShortAndLongJumpsAreNimhcrs) {
  uint8_t Mem[TrampolineNimX86_64::TrampolineSize];
  std::memset(Mem, 0, sizeof(Mem));
  EXPECT_TRUE(TrampolineNimX86_64::writeJump(Mem, 0x1000, 0x800));
  const uint8_t Short[] = {0xe9, 0xfb, 0xf7, 0xff, 0xff}; // 0x800 - 0x1005
  EXPECT_EQ(std::memcmp(Mem, Short, sizeof(Short)), 0);
  EXPECT_FALSE(TrampolineNimX86_64::writeJump(Mem, 0x1000, 0x123456789abcull));
  const uint8_t Long[] = {0xff, 0x25, 0x00, 0x00, 0x00, 0x00, 0xbc,
                          0x9a, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00};
  EXPECT_EQ(std::memcmp(Mem, Long, sizeof(Long)), 0);
}

TEST(TrampolineNimX86_64Test, ANewEntryJumpsToItsDeadPath) {
  uint8_t Mem[TrampolineNimX86_64::TrampolineSize];
  TrampolineNimX86_64::writeTrampoline(Mem, 0x1000, 9, 0x800);
  const uint8_t Expected[] = {
      0xe9, 0x0b, 0x00, 0x00, 0x00, // jmp 0x1010 (the dead path)
      0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,
      0xcc, 0xcc, 0xcc, 0x68, 0x09, 0x00, 0x00, 0x00, // push $9
      0xe9, 0xe6, 0xf7, 0xff, 0xff}; // jmp 0x800 (0x800 - 0x101a)
  EXPECT_EQ(std::memcmp(Mem, Expected, sizeof(Expected)), 0);
}

class NimJumpTableTest : public ::testing::TestWithParam<JumpEncoding> {};

TEST_P(NimJumpTableTest, EntriesCallAndRetargetByRewritingCode) {
  JumpTable Table(4, reportAndExit, reinterpret_cast<void *>(&plusOne),
                  GetParam());
  std::string Err;
  std::vector<IntFn> Fns;
  for (int I = 0; I < 6; ++I) { // Two chunks.
    uint32_t Id;
    ASSERT_TRUE(Table.allocate(Id, Err)) << Err;
    Table.retarget(Id, reinterpret_cast<void *>(I % 2 ? &plusOne : &timesTwo));
    Fns.push_back(reinterpret_cast<IntFn>(Table.entry(Id)));
  }
  for (int I = 0; I < 6; ++I)
    EXPECT_EQ(Fns[I](20), I % 2 ? 21 : 40);
  Table.retarget(0, reinterpret_cast<void *>(&plusOne));
  EXPECT_EQ(Fns[0](20), 21);
  EXPECT_EQ(Table.target(0), reinterpret_cast<void *>(&plusOne));
  // Where the table landed decides the form: near our code, short jumps;
  // nim-far asks for 0x10000000, which sanitizer builds may not grant.
  auto Entry = reinterpret_cast<uint64_t>(Table.entry(0));
  bool Near = TrampolineX86_64::fitsRel32(Entry + 5,
                                          reinterpret_cast<uint64_t>(&plusOne));
  EXPECT_EQ(Table.longJumps(), Near ? 0u : 7u);
  EXPECT_EQ(*reinterpret_cast<uint8_t *>(Table.entry(0)), Near ? 0xe9 : 0xff);
}

TEST_P(NimJumpTableTest, AKilledEntryReachesTheHandler) {
  JumpTable Table(4, reportAndExit, reinterpret_cast<void *>(&plusOne),
                  GetParam());
  std::string Err;
  uint32_t Id;
  ASSERT_TRUE(Table.allocate(Id, Err) && Table.allocate(Id, Err)) << Err;
  Table.retarget(Id, reinterpret_cast<void *>(&plusOne));
  auto Fn = reinterpret_cast<IntFn>(Table.entry(Id));
  EXPECT_EQ(Fn(1), 2);
  Table.kill(Id);
  EXPECT_EXIT(Fn(1), ::testing::ExitedWithCode(3), "bad call through 1");
}

INSTANTIATE_TEST_SUITE_P(Encodings, NimJumpTableTest,
                         ::testing::Values(JumpEncoding::NimNear,
                                           JumpEncoding::NimFar));

} // namespace
