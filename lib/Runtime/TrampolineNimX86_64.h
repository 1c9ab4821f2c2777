//===- TrampolineNimX86_64.h - Nim's x86-64 jump encoding --------*- C++-*-===//
//
// The encoding of Nim's lib/nimhcr.nim, kept so experiments can compare it
// with ours (docs/experiments.md, strategy 1): each entry is a jump written
// into read+write+execute memory and rewritten on every retarget, as
//   e9 <rel32>                  jmp Target              ; Target within 2 GiB
//   ff 25 00 00 00 00 <abs64>   jmp *0(%rip); .quad Target   ; otherwise
// Retargeting writes code that other threads may be executing, field by
// field as nimhcr does: no single atomic store covers the change.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_TRAMPOLINENIMX86_64_H
#define HCR_LIB_RUNTIME_TRAMPOLINENIMX86_64_H

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

  /// Writes the entry's dead path and makes the entry jump to it.
  static void writeTrampoline(uint8_t *Mem, uint64_t RunAddr, uint32_t Id,
                              uint64_t DispatcherAddr);
  /// Rewrites the jump of the entry at Mem (running at RunAddr) to Target;
  /// true if it is the short (rel32) form.
  static bool writeJump(uint8_t *Mem, uint64_t RunAddr, uint64_t Target);
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_TRAMPOLINENIMX86_64_H
