//===- JumpTable.cpp - The pages of the jump table ------------------------===//
//
// The parts of JumpTable that do not depend on the trampoline ABI: mapping,
// sealing and unmapping a chunk, never writable and executable at once.
//
//===----------------------------------------------------------------------===//

#include "JumpTable.h"

#include "DebuggerStubs.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

#if !defined(__x86_64__)
#error "hcr's jump table supports x86-64 only"
#endif

namespace hcr {

TrampolinePool::~TrampolinePool() = default;

namespace detail {

size_t pageSize() { return static_cast<size_t>(sysconf(_SC_PAGESIZE)); }

size_t roundUp(size_t N, size_t To) { return (N + To - 1) / To * To; }

void *chunkHint(uintptr_t NearAddr, uintptr_t FixedBase, size_t Index,
                size_t TotalBytes) {
  if (FixedBase)
    return reinterpret_cast<void *>(FixedBase + Index * TotalBytes);
  // Below the runtime's own code, so trampolines sit near the modules the
  // loader maps there; the kernel may place it anywhere, which only costs
  // locality.
  if (NearAddr > (uintptr_t(1) << 31))
    return reinterpret_cast<void *>(
        (NearAddr - (uintptr_t(1) << 30) - Index * TotalBytes) &
        ~(pageSize() - 1));
  return nullptr;
}

static Status mapFailure(const char *What) {
  return Status(HCR_ERROR_RESOURCE,
                std::string("cannot ") + What +
                    " the jump table: " + std::strerror(errno));
}

Status mapChunk(void *Hint, size_t CodeBytes, size_t SlotBytes, bool Rewritable,
                ChunkMapping &Out) {
  const size_t Total = CodeBytes + SlotBytes;
  // Code and slots in one reservation, so the code reaches its slots with
  // rip-relative operands.
  void *Mem = mmap(Hint, Total, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (Mem == MAP_FAILED)
    return mapFailure("map");
  Out = ChunkMapping();
  Out.Run = static_cast<uint8_t *>(Mem);
  Out.Slots = Out.Run + CodeBytes;
  Out.CodeBytes = CodeBytes;
  Out.TotalBytes = Total;
  if (!Rewritable) {
    Out.Write = Out.Run; // Until sealChunk.
    return Status::success();
  }
  // Code rewritten on retarget: the same pages twice, from a memory file.
  int Fd = memfd_create("hcr-jump-table", MFD_CLOEXEC);
  if (Fd < 0 || ftruncate(Fd, static_cast<off_t>(CodeBytes)) != 0) {
    Status S = mapFailure("create");
    if (Fd >= 0)
      close(Fd);
    munmap(Mem, Total);
    return S;
  }
  void *Run = mmap(Mem, CodeBytes, PROT_READ | PROT_EXEC,
                   MAP_SHARED | MAP_FIXED, Fd, 0);
  void *Write =
      Run == MAP_FAILED
          ? MAP_FAILED
          : mmap(nullptr, CodeBytes, PROT_READ | PROT_WRITE, MAP_SHARED, Fd, 0);
  if (Write == MAP_FAILED) {
    Status S = mapFailure("alias");
    close(Fd);
    munmap(Mem, Total);
    return S;
  }
  close(Fd);
  Out.Write = static_cast<uint8_t *>(Write);
  Out.Aliased = true;
  return Status::success();
}

Status sealChunk(ChunkMapping &M) {
  if (mprotect(M.Run, M.CodeBytes, PROT_READ | PROT_EXEC) != 0)
    return mapFailure("protect");
  M.Write = nullptr;
  return Status::success();
}

void unmapChunk(const ChunkMapping &M) {
  withdrawStubCode(M.Run);
  if (M.Aliased)
    munmap(M.Write, M.CodeBytes);
  munmap(M.Run, M.TotalBytes);
}

} // namespace detail
} // namespace hcr
