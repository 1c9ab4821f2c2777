//===- NimJumpTableTests.cpp - Nim's encoding and its jump table ----------===//
//
// TrampolineNimX86_64 byte by byte, and JumpTable<TrampolineNimX86_64> near
// the code and at nimhcr's far address: calls, retargets, kills, and pages
// that are never writable and executable at once.
//
//===----------------------------------------------------------------------===//

#include "JumpTable.h"
#include "MappingPermissions.h"
#include "TrampolineNimX86_64.h"
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
using NimTable = JumpTable<TrampolineNimX86_64>;

[[noreturn]] void reportAndExit(uint64_t Id) {
  std::fprintf(stderr, "bad call through %u\n", static_cast<unsigned>(Id));
  std::fflush(stderr);
  std::_Exit(3);
}

using hcr::test::permissionsOf;

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
  TrampolineNimX86_64::writeTrampoline(Mem, 0x1000, 0x2000, 9, 0x800);
  const uint8_t Expected[] = {
      0xe9, 0x0b, 0x00, 0x00, 0x00, // jmp 0x1010 (the dead path)
      0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,
      0xcc, 0xcc, 0xcc, 0x68, 0x09, 0x00, 0x00, 0x00, // push $9
      0xe9, 0xe6, 0xf7, 0xff, 0xff}; // jmp 0x800 (0x800 - 0x101a)
  EXPECT_EQ(std::memcmp(Mem, Expected, sizeof(Expected)), 0);
}

/// The parameter: 0 (near the code) or nimhcr's fixed address.
class NimJumpTableTest : public ::testing::TestWithParam<uintptr_t> {};

TEST_P(NimJumpTableTest, EntriesCallAndRetargetByRewritingCode) {
  NimTable Table(4, reportAndExit, reinterpret_cast<void *>(&plusOne),
                 GetParam());
  std::vector<IntFn> Fns;
  for (int I = 0; I < 6; ++I) { // Two chunks.
    uint32_t Id;
    Status S = Table.allocate(Id);
    ASSERT_TRUE(S.ok()) << S.message();
    Table.retarget(Id, reinterpret_cast<void *>(I % 2 ? &plusOne : &timesTwo));
    Fns.push_back(reinterpret_cast<IntFn>(Table.entry(Id)));
  }
  for (int I = 0; I < 6; ++I)
    EXPECT_EQ(Fns[I](20), I % 2 ? 21 : 40);
  Table.retarget(0, reinterpret_cast<void *>(&plusOne));
  EXPECT_EQ(Fns[0](20), 21);
  EXPECT_EQ(Table.target(0), reinterpret_cast<void *>(&plusOne));
  // Where the table landed decides the form: near our code, short jumps;
  // the far address may not be granted (sanitizer builds).
  auto Entry = reinterpret_cast<uint64_t>(Table.entry(0));
  bool Near = TrampolineX86_64::fitsRel32(Entry + 5,
                                          reinterpret_cast<uint64_t>(&plusOne));
  EXPECT_EQ(Table.longJumps(), Near ? 0u : 7u);
  EXPECT_EQ(*reinterpret_cast<uint8_t *>(Table.entry(0)), Near ? 0xe9 : 0xff);
}

TEST_P(NimJumpTableTest, AKilledEntryReachesTheHandler) {
  NimTable Table(4, reportAndExit, reinterpret_cast<void *>(&plusOne),
                 GetParam());
  uint32_t Id;
  ASSERT_TRUE(Table.allocate(Id).ok() && Table.allocate(Id).ok());
  Table.retarget(Id, reinterpret_cast<void *>(&plusOne));
  auto Fn = reinterpret_cast<IntFn>(Table.entry(Id));
  EXPECT_EQ(Fn(1), 2);
  Table.kill(Id);
  EXPECT_EXIT(Fn(1), ::testing::ExitedWithCode(3), "bad call through 1");
}

TEST_P(NimJumpTableTest, RewrittenCodeIsNeverWritableWhereItRuns) {
  NimTable Table(4, reportAndExit, reinterpret_cast<void *>(&plusOne),
                 GetParam());
  uint32_t Id;
  ASSERT_TRUE(Table.allocate(Id).ok());
  Table.retarget(Id, reinterpret_cast<void *>(&timesTwo));
  EXPECT_EQ(reinterpret_cast<IntFn>(Table.entry(Id))(4), 8);
  // Shared: the pages are also mapped read+write elsewhere.
  EXPECT_EQ(permissionsOf(Table.entry(Id)), "r-xs");
}

INSTANTIATE_TEST_SUITE_P(Placements, NimJumpTableTest,
                         ::testing::Values(uintptr_t(0),
                                           uintptr_t(0x10000000)));

} // namespace
