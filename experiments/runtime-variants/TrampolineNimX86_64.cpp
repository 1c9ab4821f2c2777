//===- TrampolineNimX86_64.cpp - Nim's x86-64 jump encoding ---------------===//

#include "TrampolineNimX86_64.h"

#include <cstring>

namespace hcr {

void TrampolineNimX86_64::writeTrampoline(uint8_t *Mem, uint64_t RunAddr,
                                          uint64_t /*SlotAddr*/, uint32_t Id,
                                          uint64_t DispatcherAddr) {
  std::memset(Mem, 0xcc, TrampolineSize);
  uint8_t *Dead = Mem + DeadPathOffset;
  uint64_t DeadAddr = RunAddr + DeadPathOffset;
  Dead[0] = 0x68; // push $Id
  std::memcpy(Dead + 1, &Id, 4);
  Dead[5] = 0xe9; // jmp Dispatcher
  int32_t Rel = static_cast<int32_t>(DispatcherAddr - (DeadAddr + 10));
  std::memcpy(Dead + 6, &Rel, 4);
  writeJump(Mem, RunAddr, DeadAddr);
}

bool TrampolineNimX86_64::writeJump(uint8_t *Mem, uint64_t RunAddr,
                                    uint64_t Target) {
  // As nimhcr's writeJump: the opcode, then the operand, separately.
  if (TrampolineX86_64::fitsRel32(RunAddr + 5, Target)) {
    int32_t Rel = static_cast<int32_t>(Target - (RunAddr + 5));
    Mem[0] = 0xe9;
    std::memcpy(Mem + 1, &Rel, 4);
    return true;
  }
  Mem[0] = 0xff;
  Mem[1] = 0x25;
  std::memset(Mem + 2, 0, 4);
  std::memcpy(Mem + 6, &Target, 8);
  return false;
}

} // namespace hcr
