//===- NimJumpTable.cpp - The Nim-encoding variants' trampolines ----------===//
//
// makeJumpTable for hcr-runtime-nim-near and hcr-runtime-nim-far: the
// runtime's objects with JumpTable<TrampolineNimX86_64>, placed near the
// runtime (HCR_NIM_FIXED_BASE 0) or from nimhcr's fixed address on.
//
//===----------------------------------------------------------------------===//

#include "JumpTable.h"
#include "TrampolineNimX86_64.h"

#ifndef HCR_NIM_FIXED_BASE
#define HCR_NIM_FIXED_BASE 0
#endif

namespace hcr {

std::unique_ptr<TrampolinePool>
makeJumpTable(size_t EntriesPerChunk, TrampolinePool::BadCallHandler Handler,
              const void *NearAddr) {
  return std::make_unique<JumpTable<TrampolineNimX86_64>>(
      EntriesPerChunk, Handler, NearAddr, uintptr_t(HCR_NIM_FIXED_BASE));
}

} // namespace hcr
