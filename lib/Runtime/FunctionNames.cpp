//===- FunctionNames.cpp - The function at a code address -----------------===//

#include "FunctionNames.h"

#include <algorithm>
#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hcr {

/// Calls Found(start, size, name) for each function symbol of the ELF file
/// at Path: those of .symtab, or of .dynsym when there is no .symtab.
template <typename Callback>
static void forEachFunction(const char *Path, Callback Found) {
  int Fd = open(Path, O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return;
  struct stat St;
  void *Map = MAP_FAILED;
  if (fstat(Fd, &St) == 0 && St.st_size > 0)
    Map = mmap(nullptr, St.st_size, PROT_READ, MAP_PRIVATE, Fd, 0);
  close(Fd);
  if (Map == MAP_FAILED)
    return;
  const char *Bytes = static_cast<const char *>(Map);
  size_t Size = static_cast<size_t>(St.st_size);
  auto Inside = [&](uint64_t Off, uint64_t Len) {
    return Off <= Size && Len <= Size - Off;
  };
  const auto *Eh = reinterpret_cast<const Elf64_Ehdr *>(Bytes);
  if (Size >= sizeof(Elf64_Ehdr) && std::memcmp(Eh->e_ident, ELFMAG, 4) == 0 &&
      Eh->e_ident[EI_CLASS] == ELFCLASS64 &&
      Inside(Eh->e_shoff, uint64_t(Eh->e_shnum) * sizeof(Elf64_Shdr))) {
    const auto *Sections =
        reinterpret_cast<const Elf64_Shdr *>(Bytes + Eh->e_shoff);
    bool Any = false;
    for (unsigned Type : {SHT_SYMTAB, SHT_DYNSYM}) {
      for (unsigned I = 0; I < Eh->e_shnum && !Any; ++I) {
        const Elf64_Shdr &S = Sections[I];
        if (S.sh_type != Type || S.sh_link >= Eh->e_shnum ||
            !Inside(S.sh_offset, S.sh_size))
          continue;
        const Elf64_Shdr &Strings = Sections[S.sh_link];
        if (!Inside(Strings.sh_offset, Strings.sh_size))
          continue;
        const auto *Syms =
            reinterpret_cast<const Elf64_Sym *>(Bytes + S.sh_offset);
        for (size_t K = 0; K < S.sh_size / sizeof(Elf64_Sym); ++K) {
          const Elf64_Sym &Sym = Syms[K];
          if (ELF64_ST_TYPE(Sym.st_info) != STT_FUNC ||
              Sym.st_shndx == SHN_UNDEF || Sym.st_name >= Strings.sh_size)
            continue;
          const char *Name = Bytes + Strings.sh_offset + Sym.st_name;
          Found(
              Sym.st_value, Sym.st_size,
              std::string(Name, strnlen(Name, Strings.sh_size - Sym.st_name)));
          Any = true;
        }
      }
      if (Any)
        break;
    }
  }
  munmap(Map, Size);
}

std::string CodeSymbolIndex::symbolAt(uintptr_t Addr) {
  Dl_info Info;
  link_map *Map = nullptr;
  if (!dladdr1(reinterpret_cast<void *>(Addr), &Info,
               reinterpret_cast<void **>(&Map), RTLD_DL_LINKMAP) ||
      !Info.dli_fbase || !Map)
    return "";
  const uintptr_t Key = reinterpret_cast<uintptr_t>(Info.dli_fbase);
  auto It = Objects.find(Key);
  if (It == Objects.end()) {
    // The program itself has no name in the link map.
    bool IsProgram = !Map->l_name || !*Map->l_name;
    const char *Path = IsProgram ? "/proc/self/exe" : Info.dli_fname;
    int Fd = open(Path, O_RDONLY | O_CLOEXEC);
    Elf64_Ehdr Eh;
    bool Exec = Fd >= 0 && read(Fd, &Eh, sizeof(Eh)) == sizeof(Eh) &&
                Eh.e_type == ET_EXEC;
    if (Fd >= 0)
      close(Fd);
    // Symbol values are addresses in a fixed-address executable, offsets
    // from the load base otherwise.
    uintptr_t Base = Exec ? 0 : Key;
    std::vector<Function> Functions;
    forEachFunction(Path, [&](uint64_t Start, uint64_t Size, std::string N) {
      Functions.push_back(
          {Base + Start, Base + Start + (Size ? Size : 1), std::move(N)});
    });
    std::sort(
        Functions.begin(), Functions.end(),
        [](const Function &A, const Function &B) { return A.Start < B.Start; });
    It = Objects.emplace(Key, std::move(Functions)).first;
  }
  const std::vector<Function> &Functions = It->second;
  // The last function starting at or before Addr, then a few before it
  // (symbols may nest: an alias inside a larger function).
  auto F = std::upper_bound(
      Functions.begin(), Functions.end(), Addr,
      [](uintptr_t A, const Function &F) { return A < F.Start; });
  for (int Tries = 0; F != Functions.begin() && Tries < 8; ++Tries)
    if (Addr < (--F)->End)
      return F->Name;
  return "";
}

std::string functionNameAt(uintptr_t Addr) {
  std::string Name = CodeSymbolIndex().symbolAt(Addr);
  static const char Suffix[] = "_actual";
  size_t N = sizeof(Suffix) - 1;
  if (Name.size() > N && Name.compare(Name.size() - N, N, Suffix) == 0)
    Name.resize(Name.size() - N);
  return Name;
}

} // namespace hcr
