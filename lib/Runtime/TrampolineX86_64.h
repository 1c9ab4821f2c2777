//===- TrampolineX86_64.h - x86-64 trampoline code -------------*- C++ -*-===//
//
// One class per target ABI (as LLVM ORC's OrcX86_64_SysV): the code bytes of
// the trampolines that give every proc a permanent address. Retargeting is a
// store to an aligned 8-byte slot, so the code is written once, before it is
// ever executed, and its pages never become writable again.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_TRAMPOLINEX86_64_H
#define HCR_LIB_RUNTIME_TRAMPOLINEX86_64_H

#include <cstddef>
#include <cstdint>

namespace hcr {

class TrampolineX86_64 {
public:
  /// Bytes of code per trampoline:
  ///   +0   ff 25 <rel32>   jmp *Slot(%rip)      ; the live path
  ///   +6   68 <imm32>      push $Id             ; the dead path: Slot holds +6
  ///   +11  e9 <rel32>      jmp BadCallDispatcher
  static constexpr size_t TrampolineSize = 16;
  /// Offset of the dead path inside a trampoline.
  static constexpr size_t DeadPathOffset = 6;
  /// Bytes of the dispatcher shared by the dead paths of one chunk:
  ///   +0   5f              pop %rdi             ; Id, the first argument
  ///   +1   48 83 e4 f0     and $-16, %rsp       ; ABI stack alignment
  ///   +5   ff 15 <rel32>   call *HandlerSlot(%rip)
  ///   +11  0f 0b           ud2                  ; the handler never returns
  ///   +13  cc cc cc        int3 padding
  static constexpr size_t DispatcherSize = 16;
  /// Size of a pointer slot.
  static constexpr size_t SlotSize = 8;
  /// Retargeting stores to the slot only: the code is written once.
  static constexpr bool RewritesCodeOnRetarget = false;

  /// Writes one trampoline into Mem, which will run at RunAddr, jumping
  /// through the slot at SlotAddr, with Id pushed on its dead path that ends
  /// in the dispatcher at DispatcherAddr.
  static void writeTrampoline(uint8_t *Mem, uint64_t RunAddr, uint64_t SlotAddr,
                              uint32_t Id, uint64_t DispatcherAddr);

  /// Writes the dispatcher into Mem (running at RunAddr), which calls the
  /// function whose address is stored at HandlerSlotAddr with the Id.
  static void writeDispatcher(uint8_t *Mem, uint64_t RunAddr,
                              uint64_t HandlerSlotAddr);

  /// True if a rel32 displacement from From reaches To.
  static bool fitsRel32(uint64_t From, uint64_t To);
};

static_assert(TrampolineX86_64::TrampolineSize ==
                  TrampolineX86_64::DeadPathOffset + 5 + 5,
              "trampoline listing and size disagree");
static_assert(TrampolineX86_64::DispatcherSize >= 13,
              "dispatcher listing does not fit");

} // namespace hcr

#endif // HCR_LIB_RUNTIME_TRAMPOLINEX86_64_H
