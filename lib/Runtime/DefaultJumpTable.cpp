//===- DefaultJumpTable.cpp - libhcr.so's trampoline encoding -------------===//
//
// The one file of libhcr.so that names its trampoline ABI. The runtime's
// other sources are shared with the experiment variants
// (experiments/runtime-variants), which link their own makeJumpTable.
//
//===----------------------------------------------------------------------===//

#include "JumpTable.h"
#include "TrampolineX86_64.h"

namespace hcr {

std::unique_ptr<TrampolinePool>
makeJumpTable(size_t EntriesPerChunk, TrampolinePool::BadCallHandler Handler,
              const void *NearAddr) {
  return std::make_unique<JumpTable<TrampolineX86_64>>(EntriesPerChunk, Handler,
                                                       NearAddr);
}

} // namespace hcr
