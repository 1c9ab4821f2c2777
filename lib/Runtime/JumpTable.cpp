//===- JumpTable.cpp - Permanent trampolines for procs
//---------------------===//

#include "JumpTable.h"
#include "TrampolineNimX86_64.h"
#include "TrampolineX86_64.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

#if !defined(__x86_64__)
#error "hcr's jump table supports x86-64 only"
#endif

namespace hcr {

static size_t roundUp(size_t N, size_t To) { return (N + To - 1) / To * To; }

JumpTable::JumpTable(size_t EntriesPerChunk, BadCallHandler Handler,
                     const void *NearAddr, JumpEncoding Encoding)
    : PerChunk(EntriesPerChunk ? EntriesPerChunk : 1), Encoding(Encoding),
      EntrySize(Encoding == JumpEncoding::Slot
                    ? TrampolineX86_64::TrampolineSize
                    : TrampolineNimX86_64::TrampolineSize),
      Handler(Handler), Hint(reinterpret_cast<uintptr_t>(NearAddr)) {}

JumpTable::~JumpTable() {
  for (Chunk &C : Chunks)
    munmap(C.Code, C.MappedBytes);
}

bool JumpTable::addChunk(std::string &Err) {
  using T = TrampolineX86_64;
  const size_t Page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t CodeBytes =
      roundUp(T::DispatcherSize + PerChunk * EntrySize, Page);
  const size_t SlotBytes = roundUp((1 + PerChunk) * T::SlotSize, Page);
  const size_t Total = CodeBytes + SlotBytes;

  // Ask for an address below the runtime's own code, so trampolines sit
  // near the modules the loader maps there; the kernel may place it anywhere,
  // which only costs locality.
  void *HintAddr = nullptr;
  if (Encoding == JumpEncoding::NimFar)
    HintAddr = reinterpret_cast<void *>(0x10000000 + Chunks.size() * Total);
  else if (Hint > (uintptr_t(1) << 31))
    HintAddr = reinterpret_cast<void *>(
        (Hint - (uintptr_t(1) << 30) - Chunks.size() * Total) & ~(Page - 1));
  void *Mem = mmap(HintAddr, Total, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (Mem == MAP_FAILED) {
    Err = std::string("cannot map the jump table: ") + std::strerror(errno);
    return false;
  }
  Chunk C;
  C.Code = static_cast<uint8_t *>(Mem);
  C.Slots = reinterpret_cast<std::atomic<uint64_t> *>(C.Code + CodeBytes);
  C.MappedBytes = Total;

  const uint64_t CodeAddr = reinterpret_cast<uint64_t>(C.Code);
  const uint64_t SlotAddr = reinterpret_cast<uint64_t>(C.Slots);
  const uint32_t FirstId = static_cast<uint32_t>(Chunks.size() * PerChunk);
  T::writeDispatcher(C.Code, CodeAddr, SlotAddr);
  C.Slots[0].store(reinterpret_cast<uint64_t>(Handler),
                   std::memory_order_relaxed);
  for (size_t I = 0; I < PerChunk; ++I) {
    uint64_t Entry = CodeAddr + T::DispatcherSize + I * EntrySize;
    uint32_t Id = FirstId + static_cast<uint32_t>(I);
    if (Encoding == JumpEncoding::Slot) {
      T::writeTrampoline(C.Code + (Entry - CodeAddr), Entry,
                         SlotAddr + (1 + I) * T::SlotSize, Id, CodeAddr);
      C.Slots[1 + I].store(Entry + T::DeadPathOffset,
                           std::memory_order_relaxed);
    } else {
      TrampolineNimX86_64::writeTrampoline(C.Code + (Entry - CodeAddr), Entry,
                                           Id, CodeAddr);
      C.Slots[1 + I].store(Entry + TrampolineNimX86_64::DeadPathOffset,
                           std::memory_order_relaxed);
    }
  }
  // The code is complete before anyone can call it; from now on it is
  // read+execute and only the slots change. Nim's encoding rewrites code,
  // so its pages stay writable and executable, as in nimhcr.
  int Protection = Encoding == JumpEncoding::Slot
                       ? PROT_READ | PROT_EXEC
                       : PROT_READ | PROT_WRITE | PROT_EXEC;
  if (mprotect(C.Code, CodeBytes, Protection) != 0) {
    Err = std::string("cannot protect the jump table: ") + std::strerror(errno);
    munmap(Mem, Total);
    return false;
  }
  Chunks.push_back(C);
  return true;
}

bool JumpTable::allocate(uint32_t &Id, std::string &Err) {
  if (Allocated >= uint64_t(INT32_MAX)) {
    Err = "the jump table is full";
    return false;
  }
  if (Allocated == Chunks.size() * PerChunk && !addChunk(Err))
    return false;
  Id = static_cast<uint32_t>(Allocated++);
  return true;
}

void *JumpTable::entry(uint32_t Id) const {
  return chunkOf(Id).Code + TrampolineX86_64::DispatcherSize +
         (Id % PerChunk) * EntrySize;
}

void JumpTable::retarget(uint32_t Id, void *Fn) {
  slot(Id).store(reinterpret_cast<uint64_t>(Fn), std::memory_order_release);
  if (Encoding == JumpEncoding::Slot)
    return;
  auto *Entry = static_cast<uint8_t *>(entry(Id));
  if (!TrampolineNimX86_64::writeJump(Entry, reinterpret_cast<uint64_t>(Entry),
                                      reinterpret_cast<uint64_t>(Fn)))
    ++LongJumps;
}

void JumpTable::kill(uint32_t Id) {
  retarget(Id, static_cast<uint8_t *>(entry(Id)) +
                   (Encoding == JumpEncoding::Slot
                        ? TrampolineX86_64::DeadPathOffset
                        : TrampolineNimX86_64::DeadPathOffset));
}

void *JumpTable::target(uint32_t Id) const {
  return reinterpret_cast<void *>(slot(Id).load(std::memory_order_acquire));
}

} // namespace hcr
