//===- JumpTable.h - Permanent trampolines for procs ------------*- C++ -*-===//
//
// The jump table hands out trampolines: permanent addresses whose calls go
// wherever the runtime last pointed them. It grows by chunks, each mapping
// the code (dispatcher, then trampolines) and the pointer slots on separate
// pages. Trampolines are never freed or reused: a stale pointer to a dropped
// proc must keep reaching the bad-call handler, not some other proc.
//
// As ORC's LocalIndirectStubsManager<TargetT>, JumpTable is a template over
// the trampoline ABI class, which provides
//   static constexpr size_t TrampolineSize, DispatcherSize, SlotSize,
//                           DeadPathOffset;
//   static constexpr bool RewritesCodeOnRetarget;
//   static void writeDispatcher(uint8_t *Mem, uint64_t RunAddr,
//                               uint64_t HandlerSlotAddr);
//   static void writeTrampoline(uint8_t *Mem, uint64_t RunAddr,
//                               uint64_t SlotAddr, uint32_t Id,
//                               uint64_t DispatcherAddr);
//   static bool writeJump(uint8_t *Mem, uint64_t RunAddr, uint64_t Target);
//                               // only if RewritesCodeOnRetarget
// Each writer takes the memory being written and the address the code will
// run at. No page is ever writable and executable: code that is written once
// is written, then made read+execute; code that is rewritten on retarget is
// mapped twice, read+execute where it runs and read+write elsewhere.
//
// The runtime sees the table through TrampolinePool; makeJumpTable, defined
// in a file of its own per runtime library, names the ABI (libhcr.so:
// DefaultJumpTable.cpp, TrampolineX86_64).
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_JUMPTABLE_H
#define HCR_LIB_RUNTIME_JUMPTABLE_H

#include "DebuggerStubs.h"
#include "Status.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace hcr {

/// The trampolines as the runtime uses them, whatever their encoding.
class TrampolinePool {
public:
  /// Called, never to return, when a dead trampoline is called.
  using BadCallHandler = void (*)(uint64_t Id);

  virtual ~TrampolinePool();
  /// Allocates a dead trampoline.
  virtual Status allocate(uint32_t &Id) = 0;
  /// The address callers use.
  virtual void *entry(uint32_t Id) const = 0;
  /// Points the trampoline at Fn, safe while other threads call through it.
  virtual void retarget(uint32_t Id, void *Fn) = 0;
  /// Makes calls reach the bad-call handler with Id.
  virtual void kill(uint32_t Id) = 0;
  /// Where calls currently go.
  virtual void *target(uint32_t Id) const = 0;
  /// Trampolines handed out so far.
  virtual size_t size() const = 0;
  /// Describes the trampolines to debuggers again, each by the symbol
  /// SymbolAt gives for its target (DebuggerStubs.h).
  virtual void nameForDebuggers(
      const std::function<std::string(const void *Target)> &SymbolAt) const = 0;
};

/// The jump table of this runtime library: EntriesPerChunk trampolines
/// mapped at a time, close to NearAddr.
std::unique_ptr<TrampolinePool>
makeJumpTable(size_t EntriesPerChunk, TrampolinePool::BadCallHandler Handler,
              const void *NearAddr);

namespace detail {
/// The pages of one chunk: code where it runs, the same code where it is
/// written, and the slots after the code.
struct ChunkMapping {
  uint8_t *Run = nullptr;
  uint8_t *Write = nullptr; ///< Null once write-once code is sealed.
  uint8_t *Slots = nullptr;
  size_t CodeBytes = 0, TotalBytes = 0;
  bool Aliased = false; ///< Write is a second mapping of Run's pages.
};
size_t pageSize();
size_t roundUp(size_t N, size_t To);
/// Where to ask for chunk Index of TotalBytes: FixedBase onwards if set,
/// else below NearAddr.
void *chunkHint(uintptr_t NearAddr, uintptr_t FixedBase, size_t Index,
                size_t TotalBytes);
/// Maps a chunk (which announceStubCode describes to debuggers once its
/// code is written). Rewritable code gets two views of the same pages
/// (read+execute, read+write); other code one read+write view to be sealed.
Status mapChunk(void *Hint, size_t CodeBytes, size_t SlotBytes, bool Rewritable,
                ChunkMapping &Out);
/// Makes written-once code read+execute and drops its writable view.
Status sealChunk(ChunkMapping &M);
void unmapChunk(const ChunkMapping &M);
} // namespace detail

template <typename ABI> class JumpTable final : public TrampolinePool {
public:
  /// EntriesPerChunk trampolines are mapped at a time, close to NearAddr,
  /// or from FixedBase on if it is not 0.
  JumpTable(size_t EntriesPerChunk, BadCallHandler Handler,
            const void *NearAddr, uintptr_t FixedBase = 0)
      : PerChunk(EntriesPerChunk ? EntriesPerChunk : 1), Handler(Handler),
        Near(reinterpret_cast<uintptr_t>(NearAddr)), FixedBase(FixedBase) {}
  ~JumpTable() override {
    for (const detail::ChunkMapping &C : Chunks)
      detail::unmapChunk(C);
  }
  JumpTable(const JumpTable &) = delete;
  JumpTable &operator=(const JumpTable &) = delete;

  Status allocate(uint32_t &Id) override {
    if (Allocated >= uint64_t(INT32_MAX))
      return Status(HCR_ERROR_RESOURCE, "the jump table is full");
    if (Allocated == Chunks.size() * PerChunk)
      if (Status S = addChunk(); !S.ok())
        return S;
    Id = static_cast<uint32_t>(Allocated++);
    return Status::success();
  }

  void *entry(uint32_t Id) const override {
    return chunkOf(Id).Run + offsetOf(Id);
  }

  void retarget(uint32_t Id, void *Fn) override {
    // One release store: a concurrent caller jumps to the old or the new
    // target, never to a torn address.
    slot(Id).store(reinterpret_cast<uint64_t>(Fn), std::memory_order_release);
    if constexpr (ABI::RewritesCodeOnRetarget) {
      const detail::ChunkMapping &C = chunkOf(Id);
      uint64_t RunAddr = reinterpret_cast<uint64_t>(C.Run + offsetOf(Id));
      if (!ABI::writeJump(C.Write + offsetOf(Id), RunAddr,
                          reinterpret_cast<uint64_t>(Fn)))
        ++LongJumps;
    }
  }

  void kill(uint32_t Id) override {
    retarget(Id, static_cast<uint8_t *>(entry(Id)) + ABI::DeadPathOffset);
  }

  void *target(uint32_t Id) const override {
    return reinterpret_cast<void *>(slot(Id).load(std::memory_order_acquire));
  }

  size_t size() const override { return Allocated; }

  void nameForDebuggers(const std::function<std::string(const void *Target)>
                            &SymbolAt) const override {
    for (size_t C = 0; C < Chunks.size(); ++C) {
      std::vector<std::string> Targets(PerChunk);
      for (size_t I = 0; I < PerChunk && C * PerChunk + I < Allocated; ++I) {
        auto Id = static_cast<uint32_t>(C * PerChunk + I);
        const void *To = target(Id);
        if (To != static_cast<uint8_t *>(entry(Id)) + ABI::DeadPathOffset)
          Targets[I] = SymbolAt(To);
      }
      nameStubCode(Chunks[C].Run, Targets);
    }
  }

  /// Retargets that wrote a long jump (encodings that rewrite code only).
  size_t longJumps() const { return LongJumps; }

private:
  Status addChunk() {
    const size_t Page = detail::pageSize();
    const size_t CodeBytes = detail::roundUp(
        ABI::DispatcherSize + PerChunk * ABI::TrampolineSize, Page);
    const size_t SlotBytes =
        detail::roundUp((1 + PerChunk) * ABI::SlotSize, Page);
    detail::ChunkMapping C;
    if (Status S = detail::mapChunk(
            detail::chunkHint(Near, FixedBase, Chunks.size(),
                              CodeBytes + SlotBytes),
            CodeBytes, SlotBytes, ABI::RewritesCodeOnRetarget, C);
        !S.ok())
      return S;
    const uint64_t CodeAddr = reinterpret_cast<uint64_t>(C.Run);
    const uint64_t SlotAddr = reinterpret_cast<uint64_t>(C.Slots);
    auto *Slots = reinterpret_cast<std::atomic<uint64_t> *>(C.Slots);
    const uint32_t FirstId = static_cast<uint32_t>(Chunks.size() * PerChunk);
    ABI::writeDispatcher(C.Write, CodeAddr, SlotAddr);
    Slots[0].store(reinterpret_cast<uint64_t>(Handler),
                   std::memory_order_relaxed);
    for (size_t I = 0; I < PerChunk; ++I) {
      size_t Offset = ABI::DispatcherSize + I * ABI::TrampolineSize;
      ABI::writeTrampoline(C.Write + Offset, CodeAddr + Offset,
                           SlotAddr + (1 + I) * ABI::SlotSize,
                           FirstId + static_cast<uint32_t>(I), CodeAddr);
      Slots[1 + I].store(CodeAddr + Offset + ABI::DeadPathOffset,
                         std::memory_order_relaxed);
    }
    // The code is complete before anyone can call it.
    if constexpr (!ABI::RewritesCodeOnRetarget)
      if (Status S = detail::sealChunk(C); !S.ok()) {
        detail::unmapChunk(C);
        return S;
      }
    announceStubCode(C.Run,
                     {ABI::DispatcherSize, ABI::TrampolineSize, PerChunk});
    Chunks.push_back(C);
    return Status::success();
  }

  const detail::ChunkMapping &chunkOf(uint32_t Id) const {
    return Chunks[Id / PerChunk];
  }
  size_t offsetOf(uint32_t Id) const {
    return ABI::DispatcherSize + (Id % PerChunk) * ABI::TrampolineSize;
  }
  std::atomic<uint64_t> &slot(uint32_t Id) const {
    return reinterpret_cast<std::atomic<uint64_t> *>(
        chunkOf(Id).Slots)[1 + Id % PerChunk];
  }

  size_t PerChunk;
  BadCallHandler Handler;
  uintptr_t Near, FixedBase;
  std::vector<detail::ChunkMapping> Chunks;
  size_t Allocated = 0;
  size_t LongJumps = 0;
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_JUMPTABLE_H
