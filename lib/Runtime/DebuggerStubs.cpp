//===- DebuggerStubs.cpp - Trampolines as debuggers see them --------------===//
//
// The GDB JIT interface: a process defines __jit_debug_descriptor, a list
// of in-memory object files, and __jit_debug_register_code, an empty
// function on which the debugger breaks to read the list after each change
// (gdb's "JIT Compilation Interface"; lldb's JITLoaderGDB reads the same).
// The objects here are ELF relocatable files with three section headers
// and no contents: the null section, `.plt` (SHT_NOBITS, allocated and
// executable, at the chunk's address) and the section names.
//
//===----------------------------------------------------------------------===//

#include "DebuggerStubs.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <mutex>

extern "C" {
struct jit_code_entry {
  jit_code_entry *next_entry;
  jit_code_entry *prev_entry;
  const char *symfile_addr;
  uint64_t symfile_size;
};

struct jit_descriptor {
  uint32_t version;
  uint32_t action_flag; // 0: nothing, 1: register, 2: unregister.
  jit_code_entry *relevant_entry;
  jit_code_entry *first_entry;
};

// The names and layout are the interface's: exported (exports.map) so that
// the debugger finds them in libhcr.so's dynamic symbols.
__attribute__((visibility("default")))
jit_descriptor __jit_debug_descriptor = {1, 0, nullptr, nullptr};

__attribute__((visibility("default"), noinline, used)) void
__jit_debug_register_code() {
  asm volatile("" ::: "memory"); // Not optimized away: debuggers break here.
}
}

namespace hcr {

namespace {
constexpr char SectionNames[] = "\0.plt\0.shstrtab";
constexpr unsigned PltName = 1, NamesName = 6;

struct StubObject {
  Elf64_Ehdr Header;
  Elf64_Shdr Sections[3];
  char Names[sizeof(SectionNames)];
};

std::mutex Lock;
} // namespace

static StubObject *describe(const void *Code, size_t Size) {
  auto *O = static_cast<StubObject *>(std::calloc(1, sizeof(StubObject)));
  if (!O)
    return nullptr;
  Elf64_Ehdr &H = O->Header;
  std::memcpy(H.e_ident, ELFMAG, SELFMAG);
  H.e_ident[EI_CLASS] = ELFCLASS64;
  H.e_ident[EI_DATA] = ELFDATA2LSB;
  H.e_ident[EI_VERSION] = EV_CURRENT;
  H.e_type = ET_REL;
  H.e_machine = EM_X86_64;
  H.e_version = EV_CURRENT;
  H.e_shoff = offsetof(StubObject, Sections);
  H.e_ehsize = sizeof(Elf64_Ehdr);
  H.e_shentsize = sizeof(Elf64_Shdr);
  H.e_shnum = 3;
  H.e_shstrndx = 2;
  Elf64_Shdr &Plt = O->Sections[1];
  Plt.sh_name = PltName;
  Plt.sh_type = SHT_NOBITS;
  Plt.sh_flags = SHF_ALLOC | SHF_EXECINSTR;
  Plt.sh_addr = reinterpret_cast<uintptr_t>(Code);
  Plt.sh_size = Size;
  Plt.sh_addralign = 16;
  Elf64_Shdr &Names = O->Sections[2];
  Names.sh_name = NamesName;
  Names.sh_type = SHT_STRTAB;
  Names.sh_offset = offsetof(StubObject, Names);
  Names.sh_size = sizeof(SectionNames);
  Names.sh_addralign = 1;
  std::memcpy(O->Names, SectionNames, sizeof(SectionNames));
  return O;
}

void announceStubCode(const void *Code, size_t Size) {
  StubObject *O = describe(Code, Size);
  auto *E =
      static_cast<jit_code_entry *>(std::calloc(1, sizeof(jit_code_entry)));
  if (!O || !E) {
    std::free(O);
    std::free(E);
    return;
  }
  E->symfile_addr = reinterpret_cast<const char *>(O);
  E->symfile_size = sizeof(StubObject);
  std::lock_guard<std::mutex> G(Lock);
  E->next_entry = __jit_debug_descriptor.first_entry;
  if (E->next_entry)
    E->next_entry->prev_entry = E;
  __jit_debug_descriptor.first_entry = E;
  __jit_debug_descriptor.relevant_entry = E;
  __jit_debug_descriptor.action_flag = 1;
  __jit_debug_register_code();
}

void withdrawStubCode(const void *Code) {
  std::lock_guard<std::mutex> G(Lock);
  for (jit_code_entry *E = __jit_debug_descriptor.first_entry; E;
       E = E->next_entry) {
    auto *O = reinterpret_cast<const StubObject *>(E->symfile_addr);
    if (O->Sections[1].sh_addr != reinterpret_cast<uintptr_t>(Code))
      continue;
    if (E->prev_entry)
      E->prev_entry->next_entry = E->next_entry;
    else
      __jit_debug_descriptor.first_entry = E->next_entry;
    if (E->next_entry)
      E->next_entry->prev_entry = E->prev_entry;
    __jit_debug_descriptor.relevant_entry = E;
    __jit_debug_descriptor.action_flag = 2;
    __jit_debug_register_code();
    std::free(const_cast<char *>(E->symfile_addr));
    std::free(E);
    return;
  }
}

} // namespace hcr
