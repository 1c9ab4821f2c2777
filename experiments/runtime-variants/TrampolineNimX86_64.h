//===- TrampolineNimX86_64.h - Nim's x86-64 jump encoding --------*- C++-*-===//
//
// The encoding of Nim's lib/nimhcr.nim, kept so experiments can compare it
// with ours (docs/experiments.md): an ABI class for JumpTable whose entries
// are jumps rewritten in place on every retarget (through a read+write view
// of the read+execute pages, where nimhcr uses read+write+execute pages), as
//   e9 <rel32>                  jmp Target              ; Target within 2 GiB
//   ff 25 00 00 00 00 <abs64>   jmp *0(%rip); .quad Target   ; otherwise
// Retargeting writes code that other threads may be executing, field by
// field as nimhcr does: no single atomic store covers the change.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_EXPERIMENTS_RUNTIME_VARIANTS_TRAMPOLINENIMX86_64_H
#define HCR_EXPERIMENTS_RUNTIME_VARIANTS_TRAMPOLINENIMX86_64_H

#include "TrampolineX86_64.h"

#include <cstddef>
#include <cstdint>

namespace hcr {

class TrampolineNimX86_64 {
public:
  /// Bytes per entry: the jump (at most 14 bytes), then at +16 the dead
  /// path (as TrampolineX86_64's: push $Id; jmp Dispatcher).
  static constexpr size_t TrampolineSize = 32;
  static constexpr size_t LongJumpSize = 14;
  static constexpr size_t DeadPathOffset = 16;
  /// The dispatcher and slots are TrampolineX86_64's; the slots only let
  /// JumpTable read the target back.
  static constexpr size_t DispatcherSize = TrampolineX86_64::DispatcherSize;
  static constexpr size_t SlotSize = TrampolineX86_64::SlotSize;
  static constexpr bool RewritesCodeOnRetarget = true;

  static void writeDispatcher(uint8_t *Mem, uint64_t RunAddr,
                              uint64_t HandlerSlotAddr) {
    TrampolineX86_64::writeDispatcher(Mem, RunAddr, HandlerSlotAddr);
  }
  /// Writes the entry's dead path into Mem (running at RunAddr) and makes
  /// the entry jump to it; SlotAddr is unused.
  static void writeTrampoline(uint8_t *Mem, uint64_t RunAddr, uint64_t SlotAddr,
                              uint32_t Id, uint64_t DispatcherAddr);
  /// Rewrites the jump of the entry at Mem (running at RunAddr) to Target;
  /// true if it is the short (rel32) form.
  static bool writeJump(uint8_t *Mem, uint64_t RunAddr, uint64_t Target);
};

static_assert(TrampolineNimX86_64::LongJumpSize <=
                  TrampolineNimX86_64::DeadPathOffset,
              "the long jump overwrites the dead path");
static_assert(TrampolineNimX86_64::DeadPathOffset + 10 <=
                  TrampolineNimX86_64::TrampolineSize,
              "the dead path does not fit");

} // namespace hcr

#endif // HCR_EXPERIMENTS_RUNTIME_VARIANTS_TRAMPOLINENIMX86_64_H
