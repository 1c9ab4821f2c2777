//===- NimVariantTests.cpp - A program linked with a Nim variant ----------===//
//
// Linked with hcr-runtime-nim-near or -far in place of libhcr.so: the
// trampolines the C API hands out are Nim's jumps, rewritten on retarget.
//
//===----------------------------------------------------------------------===//

#include "hcr/hcr.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <cstring>

namespace {

int one(int X) { return X + 1; }
int two(int X) { return X + 2; }
using IntFn = int (*)(int);

/// True if the code at Entry is one of Nim's jumps to Target.
bool isNimJumpTo(const void *Entry, const void *Target) {
  const auto *Code = static_cast<const uint8_t *>(Entry);
  auto From = reinterpret_cast<intptr_t>(Entry);
  auto To = reinterpret_cast<intptr_t>(Target);
  if (Code[0] == 0xe9) {
    int32_t Rel;
    std::memcpy(&Rel, Code + 1, 4);
    return From + 5 + Rel == To;
  }
  const uint8_t Long[] = {0xff, 0x25, 0, 0, 0, 0};
  uint64_t Abs;
  std::memcpy(&Abs, Code + 6, 8);
  return std::memcmp(Code, Long, sizeof(Long)) == 0 &&
         Abs == static_cast<uint64_t>(To);
}

TEST(NimRuntimeVariantTest, TrampolinesAreNimJumpsRewrittenOnRetarget) {
  void *Tramp = hcr_register_proc("nim", "f", reinterpret_cast<void *>(one));
  ASSERT_NE(Tramp, nullptr) << hcr_last_error();
  EXPECT_TRUE(isNimJumpTo(Tramp, reinterpret_cast<void *>(one)));
  EXPECT_EQ(reinterpret_cast<IntFn>(Tramp)(1), 2);
  EXPECT_EQ(hcr_register_proc("nim", "f", reinterpret_cast<void *>(two)),
            Tramp);
  EXPECT_TRUE(isNimJumpTo(Tramp, reinterpret_cast<void *>(two)));
  EXPECT_EQ(reinterpret_cast<IntFn>(Tramp)(1), 3);
}

} // namespace
