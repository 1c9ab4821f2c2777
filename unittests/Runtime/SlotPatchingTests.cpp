//===- SlotPatchingTests.cpp - hcr_bind_proc on real modules --------------===//
//
// Slot patching (hcr-rewrite --slot-patching): module a binds its
// slot for b's value() with hcr_bind_proc; the slot must hold b's code
// address, follow every reload of b, and be forgotten when a's code goes.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestSupport.h"

#include <atomic>
#include <cstdlib>
#include <thread>

using namespace hcr::test;

namespace {

using IntFn = int (*)(void);
using PtrFn = void *(*)(void);

class SlotPatchingTest : public HostTest {
protected:
  void startBound() {
    Dir.install("a_bound", "a");
    Dir.install("b_v1", "b");
    ASSERT_EQ(start({"a"}), HCR_OK) << hcr_last_error();
    Call = proc<IntFn>("a", "call");
    Slot = proc<PtrFn>("a", "slot");
    ASSERT_TRUE(Call && Slot);
  }
  IntFn Call = nullptr;
  PtrFn Slot = nullptr;
};

TEST_F(SlotPatchingTest, TheSlotHoldsTheCodeAddressNotTheTrampoline) {
  startBound();
  EXPECT_EQ(Call(), 'b');
  void *Trampoline = hcr_get_proc("b", "value");
  ASSERT_NE(Trampoline, nullptr);
  EXPECT_NE(Slot(), Trampoline);
  // Both reach the same code.
  EXPECT_EQ(reinterpret_cast<IntFn>(Slot())(), 'b');
}

TEST_F(SlotPatchingTest, AReloadOfTheCalleeRewritesTheSlot) {
  startBound();
  void *Before = Slot();
  Dir.install("b_plus", "b");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_NE(Slot(), Before);
  EXPECT_EQ(Call(), 'b' + 1);
  Dir.install("b_v1", "b");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_EQ(Call(), 'b');
}

TEST_F(SlotPatchingTest, AReloadedImportersOldSlotsAreForgotten) {
  startBound();
  // The replaced a stays loaded, so that its slot can be read.
  ASSERT_EQ(hcr_retain_replaced_code("a"), HCR_OK) << hcr_last_error();
  auto OldSlot = static_cast<void **>(proc<PtrFn>("a", "slot_address")());
  void *OldValue = *OldSlot;
  Dir.install("a_bound", "a");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  ASSERT_NE(proc<PtrFn>("a", "slot_address")(), OldSlot);
  Dir.install("b_plus", "b");
  ASSERT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  EXPECT_EQ(Call(), 'b' + 1);    // The new a's slot was patched,
  EXPECT_EQ(*OldSlot, OldValue); // the replaced a's was left alone.
}

TEST_F(SlotPatchingTest, CallsOnAnotherThreadDuringReloads) {
  startBound();
  std::atomic<bool> Done{false};
  std::atomic<long> Wrong{0}, Calls{0};
  std::thread Caller([&] {
    while (!Done.load(std::memory_order_relaxed)) {
      int V = Call();
      if (V != 'b' && V != 'b' + 1)
        Wrong.fetch_add(1);
      Calls.fetch_add(1, std::memory_order_relaxed);
    }
  });
  for (int I = 0; I < 20; ++I) {
    Dir.install(I % 2 ? "b_v1" : "b_plus", "b");
    EXPECT_EQ(hcr_perform_reload(), HCR_OK) << hcr_last_error();
  }
  Done = true;
  Caller.join();
  EXPECT_EQ(Wrong.load(), 0);
  EXPECT_GT(Calls.load(), 0);
  EXPECT_EQ(Call(), 'b');
}

TEST_F(SlotPatchingTest, ACalleeThatDropsABoundProcIsRefused) {
  startBound();
  void *Before = Slot();
  Dir.install("b_v3", "b"); // No value() any more.
  EXPECT_EQ(hcr_perform_reload(), HCR_ERROR_UNRESOLVED_SYMBOL);
  EXPECT_EQ(Slot(), Before);
  EXPECT_EQ(Call(), 'b');
}

TEST_F(SlotPatchingTest, BindingOutsideALinkIsRefused) {
  startBound();
  void *Mine = nullptr;
  EXPECT_EQ(hcr_bind_proc("b", "value", &Mine), nullptr);
  EXPECT_EQ(Mine, nullptr);
  EXPECT_THAT(hcr_last_error(), ::testing::HasSubstr("link entry point"));
  EXPECT_EQ(hcr_bind_proc("b", "value", nullptr), nullptr);
  EXPECT_THAT(hcr_last_error(), ::testing::HasSubstr("must not be null"));
}

} // namespace
