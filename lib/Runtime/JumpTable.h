//===- JumpTable.h - Permanent trampolines for procs -------------*- C++
//-*-===//
//
// The jump table hands out trampolines: permanent addresses that jump through
// a pointer slot. It grows by chunks, each one mapping with the code (written
// once, then read+execute) and the slots (read+write) on separate pages.
// Trampolines are never freed or reused: a stale pointer to a dropped proc
// must keep reaching the bad-call handler, not some other proc.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_JUMPTABLE_H
#define HCR_LIB_RUNTIME_JUMPTABLE_H

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hcr {

/// How trampolines jump (HCR_TRAMPOLINE, docs/Runtime.md).
enum class JumpEncoding {
  /// TrampolineX86_64: `jmp *slot(%rip)`, code never written again.
  Slot,
  /// TrampolineNimX86_64, mapped near the code: Nim's encoding, mostly the
  /// short `e9 rel32` form.
  NimNear,
  /// TrampolineNimX86_64 at nimhcr's own address (0x10000000), far from
  /// shared objects: mostly the long `ff 25` + abs64 form.
  NimFar,
};

class JumpTable {
public:
  /// Called, never to return, when a dead trampoline is called.
  using BadCallHandler = void (*)(uint64_t Id);

  /// EntriesPerChunk trampolines are mapped at a time, close to NearAddr.
  JumpTable(size_t EntriesPerChunk, BadCallHandler Handler,
            const void *NearAddr, JumpEncoding Encoding = JumpEncoding::Slot);
  ~JumpTable();
  JumpTable(const JumpTable &) = delete;
  JumpTable &operator=(const JumpTable &) = delete;

  /// Allocates a dead trampoline; false with Err set if no memory is left.
  bool allocate(uint32_t &Id, std::string &Err);
  /// The address callers use.
  void *entry(uint32_t Id) const;
  /// Points the trampoline at Fn: one atomic store, safe while other
  /// threads call through it.
  void retarget(uint32_t Id, void *Fn);
  /// Makes calls reach the bad-call handler with Id.
  void kill(uint32_t Id);
  /// Where calls currently go.
  void *target(uint32_t Id) const;
  /// Trampolines handed out so far.
  size_t size() const { return Allocated; }
  JumpEncoding encoding() const { return Encoding; }
  /// Retargets that wrote the long form (Nim's encoding only).
  size_t longJumps() const { return LongJumps; }

private:
  struct Chunk {
    uint8_t *Code;                // Dispatcher, then the trampolines.
    std::atomic<uint64_t> *Slots; // Handler slot, then one per trampoline
                                  // (Nim's encoding: the target, for reads).
    size_t MappedBytes;
  };
  bool addChunk(std::string &Err);
  const Chunk &chunkOf(uint32_t Id) const { return Chunks[Id / PerChunk]; }
  std::atomic<uint64_t> &slot(uint32_t Id) const {
    return chunkOf(Id).Slots[1 + Id % PerChunk];
  }

  size_t PerChunk;
  JumpEncoding Encoding;
  size_t EntrySize;
  size_t LongJumps = 0;
  BadCallHandler Handler;
  uintptr_t Hint;
  std::vector<Chunk> Chunks;
  size_t Allocated = 0;
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_JUMPTABLE_H
