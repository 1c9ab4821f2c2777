//===- KeptData.cpp - An unloaded copy's data, kept where it was ----------===//

#include "KeptData.h"

#include <cstdint>
#include <dlfcn.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace hcr {

namespace {

struct DataPages {
  uintptr_t Begin, End;
  int Protection;
  std::vector<char> Bytes;
};

/// The page ranges of the object loaded at Base that hold data and no
/// code. A page shared with an executable segment is left out (the linker
/// keeps segments apart: -z separate-code).
std::vector<DataPages> dataPagesOf(uintptr_t Base) {
  struct Search {
    uintptr_t Base;
    std::vector<DataPages> Out;
  } S{Base, {}};
  dl_iterate_phdr(
      [](dl_phdr_info *Info, size_t, void *Data) {
        auto &S = *static_cast<Search *>(Data);
        if (Info->dlpi_addr != S.Base)
          return 0;
        uintptr_t Page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
        std::vector<std::pair<uintptr_t, uintptr_t>> Code;
        for (unsigned I = 0; I < Info->dlpi_phnum; ++I) {
          const ElfW(Phdr) &P = Info->dlpi_phdr[I];
          uintptr_t Begin = (S.Base + P.p_vaddr) & ~(Page - 1);
          uintptr_t End =
              (S.Base + P.p_vaddr + P.p_memsz + Page - 1) & ~(Page - 1);
          if (P.p_type == PT_LOAD && (P.p_flags & PF_X))
            Code.emplace_back(Begin, End);
        }
        for (unsigned I = 0; I < Info->dlpi_phnum; ++I) {
          const ElfW(Phdr) &P = Info->dlpi_phdr[I];
          if (P.p_type != PT_LOAD || (P.p_flags & PF_X) || !P.p_memsz)
            continue;
          uintptr_t Begin = (S.Base + P.p_vaddr) & ~(Page - 1);
          uintptr_t End =
              (S.Base + P.p_vaddr + P.p_memsz + Page - 1) & ~(Page - 1);
          bool SharesCode = false;
          for (auto &[CodeBegin, CodeEnd] : Code)
            SharesCode |= Begin < CodeEnd && CodeBegin < End;
          if (SharesCode)
            continue;
          int Protection = ((P.p_flags & PF_R) ? PROT_READ : 0) |
                           ((P.p_flags & PF_W) ? PROT_WRITE : 0);
          S.Out.push_back({Begin, End, Protection, {}});
        }
        return 1;
      },
      &S);
  return std::move(S.Out);
}

/// Copies whole pages, redzones and all: under a sanitizer, the object's
/// globals sit between poisoned bytes that this copy must neither report
/// nor change.
__attribute__((no_sanitize("address", "thread"))) void
copyPages(char *To, const char *From, size_t Size) {
  volatile const uintptr_t *In = reinterpret_cast<const uintptr_t *>(From);
  volatile uintptr_t *Out = reinterpret_cast<uintptr_t *>(To);
  for (size_t I = 0; I < Size / sizeof(uintptr_t); ++I)
    Out[I] = In[I];
}

} // namespace

size_t dlcloseKeepingData(void *Handle) {
  link_map *Map = nullptr;
  std::vector<DataPages> Pages;
  if (dlinfo(Handle, RTLD_DI_LINKMAP, &Map) == 0 && Map)
    Pages = dataPagesOf(Map->l_addr);
  for (DataPages &P : Pages) {
    // RELRO pages are read-only now, and readable: read them all as they
    // are, relocated.
    P.Bytes.resize(P.End - P.Begin);
    copyPages(P.Bytes.data(), reinterpret_cast<const char *>(P.Begin),
              P.Bytes.size());
  }
  dlclose(Handle);
  size_t Kept = 0;
  for (DataPages &P : Pages) {
    void *Want = reinterpret_cast<void *>(P.Begin);
    size_t Size = P.End - P.Begin;
    // Never over a mapping another thread made meanwhile, nor over the
    // object itself if dlclose kept it loaded.
    void *Got = mmap(Want, Size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (Got == MAP_FAILED)
      continue;
    if (Got != Want) { // A kernel older than MAP_FIXED_NOREPLACE.
      munmap(Got, Size);
      continue;
    }
    copyPages(static_cast<char *>(Got), P.Bytes.data(), Size);
    mprotect(Got, Size, P.Protection);
    Kept += Size;
  }
  return Kept;
}

} // namespace hcr
