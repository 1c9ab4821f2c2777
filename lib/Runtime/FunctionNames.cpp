//===- FunctionNames.cpp - The function at a code address -----------------===//

#include "FunctionNames.h"

#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hcr {

/// The function of the file at Path covering Offset (the address less the
/// load base; the address itself for a fixed-address executable).
static std::string lookUp(const char *Path, uintptr_t Offset) {
  int Fd = open(Path, O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return "";
  struct stat St;
  void *Map = MAP_FAILED;
  if (fstat(Fd, &St) == 0 && St.st_size > 0)
    Map = mmap(nullptr, St.st_size, PROT_READ, MAP_PRIVATE, Fd, 0);
  close(Fd);
  if (Map == MAP_FAILED)
    return "";
  const char *Bytes = static_cast<const char *>(Map);
  size_t Size = static_cast<size_t>(St.st_size);
  auto Inside = [&](uint64_t Off, uint64_t Len) {
    return Off <= Size && Len <= Size - Off;
  };
  std::string Found;
  const auto *Eh = reinterpret_cast<const Elf64_Ehdr *>(Bytes);
  if (Size >= sizeof(Elf64_Ehdr) && std::memcmp(Eh->e_ident, ELFMAG, 4) == 0 &&
      Eh->e_ident[EI_CLASS] == ELFCLASS64 &&
      Inside(Eh->e_shoff, uint64_t(Eh->e_shnum) * sizeof(Elf64_Shdr))) {
    const auto *Sections =
        reinterpret_cast<const Elf64_Shdr *>(Bytes + Eh->e_shoff);
    for (unsigned Type : {SHT_SYMTAB, SHT_DYNSYM}) {
      for (unsigned I = 0; I < Eh->e_shnum && Found.empty(); ++I) {
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
              Sym.st_name >= Strings.sh_size || Offset < Sym.st_value ||
              Offset >= Sym.st_value + (Sym.st_size ? Sym.st_size : 1))
            continue;
          const char *Name = Bytes + Strings.sh_offset + Sym.st_name;
          Found.assign(Name, strnlen(Name, Strings.sh_size - Sym.st_name));
          break;
        }
      }
      if (!Found.empty())
        break;
    }
  }
  munmap(Map, Size);
  return Found;
}

std::string functionNameAt(uintptr_t Addr) {
  Dl_info Info;
  link_map *Map = nullptr;
  if (!dladdr1(reinterpret_cast<void *>(Addr), &Info,
               reinterpret_cast<void **>(&Map), RTLD_DL_LINKMAP) ||
      !Info.dli_fbase || !Map)
    return "";
  // The program itself has no name in the link map.
  bool IsProgram = !Map->l_name || !*Map->l_name;
  std::string Name;
  {
    const char *Path = IsProgram ? "/proc/self/exe" : Info.dli_fname;
    int Fd = open(Path, O_RDONLY | O_CLOEXEC);
    Elf64_Ehdr Eh;
    bool Exec = Fd >= 0 && read(Fd, &Eh, sizeof(Eh)) == sizeof(Eh) &&
                Eh.e_type == ET_EXEC;
    if (Fd >= 0)
      close(Fd);
    uintptr_t Base = Exec ? 0 : reinterpret_cast<uintptr_t>(Info.dli_fbase);
    Name = lookUp(Path, Addr - Base);
  }
  static const char Suffix[] = "_actual";
  size_t N = sizeof(Suffix) - 1;
  if (Name.size() > N && Name.compare(Name.size() - N, N, Suffix) == 0)
    Name.resize(Name.size() - N);
  return Name;
}

} // namespace hcr
