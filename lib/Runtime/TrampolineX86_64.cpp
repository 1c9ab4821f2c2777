//===- TrampolineX86_64.cpp - x86-64 trampoline code ----------------------===//

#include "TrampolineX86_64.h"

#include <cassert>
#include <cstring>

namespace hcr {

static void writeLE32(uint8_t *Mem, uint32_t Value) {
  std::memcpy(Mem, &Value, sizeof(Value)); // x86-64 is little-endian.
}

static uint32_t rel32(uint64_t NextInstr, uint64_t Target) {
  assert(TrampolineX86_64::fitsRel32(NextInstr, Target) && "out of range");
  return static_cast<uint32_t>(static_cast<int32_t>(Target - NextInstr));
}

bool TrampolineX86_64::fitsRel32(uint64_t From, uint64_t To) {
  int64_t Delta = static_cast<int64_t>(To - From);
  return Delta >= INT32_MIN && Delta <= INT32_MAX;
}

void TrampolineX86_64::writeTrampoline(uint8_t *Mem, uint64_t RunAddr,
                                       uint64_t SlotAddr, uint32_t Id,
                                       uint64_t DispatcherAddr) {
  Mem[0] = 0xff; // jmp *Slot(%rip)
  Mem[1] = 0x25;
  writeLE32(Mem + 2, rel32(RunAddr + 6, SlotAddr));
  Mem[6] = 0x68; // push $Id
  writeLE32(Mem + 7, Id);
  Mem[11] = 0xe9; // jmp Dispatcher
  writeLE32(Mem + 12, rel32(RunAddr + 16, DispatcherAddr));
}

void TrampolineX86_64::writeDispatcher(uint8_t *Mem, uint64_t RunAddr,
                                       uint64_t HandlerSlotAddr) {
  static const uint8_t Head[] = {0x5f,                   // pop %rdi
                                 0x48, 0x83, 0xe4, 0xf0, // and $-16, %rsp
                                 0xff, 0x15};            // call *rel32(%rip)
  std::memcpy(Mem, Head, sizeof(Head));
  writeLE32(Mem + 7, rel32(RunAddr + 11, HandlerSlotAddr));
  Mem[11] = 0x0f; // ud2
  Mem[12] = 0x0b;
  std::memset(Mem + 13, 0xcc, DispatcherSize - 13);
}

} // namespace hcr
