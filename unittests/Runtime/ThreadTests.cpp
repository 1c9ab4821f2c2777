//===- ThreadTests.cpp - Calls in flight while trampolines change
//----------===//
//
// The procs here live in the test binary, which is never unloaded
// (StackSafetyTests covers threads in replaced module code).
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestSupport.h"

#include <atomic>
#include <thread>

using namespace hcr::test;

namespace {

int first(int X) { return X + 1; }
int second(int X) { return X + 2; }

TEST(ThreadTest, CallsThroughATrampolineWhileAnotherThreadRetargetsIt) {
  using Fn = int (*)(int);
  auto Tramp = reinterpret_cast<Fn>(
      hcr_register_proc("threads", "f", reinterpret_cast<void *>(first)));
  ASSERT_NE(Tramp, nullptr);
  std::atomic<bool> Done{false};
  std::atomic<long> Wrong{0}, Calls{0};
  std::thread Caller([&] {
    for (int I = 0; !Done.load(std::memory_order_relaxed); ++I) {
      int R = Tramp(I);
      if (R != I + 1 && R != I + 2)
        Wrong.fetch_add(1);
      Calls.fetch_add(1, std::memory_order_relaxed);
    }
  });
  for (int I = 0; I < 200000; ++I)
    hcr_register_proc("threads", "f",
                      reinterpret_cast<void *>(I % 2 ? first : second));
  Done = true;
  Caller.join();
  EXPECT_EQ(Wrong.load(), 0);
  EXPECT_GT(Calls.load(), 0);
}

class ReloadThreadTest : public HostTest {};

TEST_F(ReloadThreadTest, CallsOnOtherThreadsDuringReloads) {
  using IntFn = int (*)(void);
  Dir.install("counter_v1", "counter");
  ASSERT_EQ(start({"counter"}), HCR_OK) << hcr_last_error();
  IntFn Version = proc<IntFn>("counter", "version");
  std::atomic<bool> Done{false};
  std::atomic<long> Wrong{0};
  std::thread Caller([&] {
    while (!Done.load(std::memory_order_relaxed)) {
      int V = Version();
      if (V != 1 && V != 3)
        Wrong.fetch_add(1);
    }
  });
  // v1 and v3 alternate: both define every proc the caller uses.
  for (int I = 0; I < 20; ++I) {
    Dir.install(I % 2 ? "counter_v1" : "counter_v3", "counter");
    ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
    ASSERT_EQ(Version(), I % 2 ? 1 : 3);
  }
  Done = true;
  Caller.join();
  EXPECT_EQ(Wrong.load(), 0);
  EXPECT_EQ(hcr_generation(), 20u);
}

} // namespace
