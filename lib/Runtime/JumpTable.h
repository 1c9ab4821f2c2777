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

class JumpTable {
public:
  /// Called, never to return, when a dead trampoline is called.
  using BadCallHandler = void (*)(uint64_t Id);

  /// EntriesPerChunk trampolines are mapped at a time, close to NearAddr.
  JumpTable(size_t EntriesPerChunk, BadCallHandler Handler,
            const void *NearAddr);
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

private:
  struct Chunk {
    uint8_t *Code;                // Dispatcher, then the trampolines.
    std::atomic<uint64_t> *Slots; // Handler slot, then one per trampoline.
    size_t MappedBytes;
  };
  bool addChunk(std::string &Err);
  const Chunk &chunkOf(uint32_t Id) const { return Chunks[Id / PerChunk]; }
  std::atomic<uint64_t> &slot(uint32_t Id) const {
    return chunkOf(Id).Slots[1 + Id % PerChunk];
  }

  size_t PerChunk;
  BadCallHandler Handler;
  uintptr_t Hint;
  std::vector<Chunk> Chunks;
  size_t Allocated = 0;
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_JUMPTABLE_H
