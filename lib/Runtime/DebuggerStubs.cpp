//===- DebuggerStubs.cpp - Trampolines as debuggers see them --------------===//
//
// The GDB JIT interface: a process defines __jit_debug_descriptor, a list
// of in-memory object files, and __jit_debug_register_code, an empty
// function on which the debugger breaks to read the list after each change
// (gdb's "JIT Compilation Interface"; lldb's JITLoaderGDB reads the same).
//
// The objects are ELF relocatable files without contents. Unnamed: the
// null section, `.plt` (SHT_NOBITS, allocated and executable, at the
// chunk's address, one entry per stub after the header) and the section
// names. Named, also what lldb reads to make each PLT entry a trampoline
// symbol (ObjectFileELF's PLT parsing): `.dynamic`, whose DT_JMPREL gives
// the address of `.rela.plt`, one R_X86_64_JUMP_SLOT relocation per entry
// naming an undefined symbol of `.dynsym` (a stub that goes nowhere gets
// R_X86_64_NONE, which keeps the entries' numbering), and a `.symtab`
// naming the dispatcher (lldb reads no symbols at all, the stubs' included,
// of an object without a code or data symbol). The dynamic sections are
// allocated at the addresses where the object itself lies, so that no
// address of the program is claimed by them. Their symbols have value 0,
// which gdb skips (it would take them for stubs of its own to resolve).
//
//===----------------------------------------------------------------------===//

#include "DebuggerStubs.h"

#include <cstdint>
#include <cstdio>
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
enum Section : unsigned {
  Null,
  Plt,
  Names,
  DynStr,
  DynSym,
  RelaPlt,
  Dynamic,
  SymTab
};
constexpr char SectionNames[] =
    "\0.plt\0.shstrtab\0.dynstr\0.dynsym\0.rela.plt\0.dynamic\0.symtab";
constexpr unsigned NameOffsets[] = {0, 1, 6, 16, 24, 32, 42, 51};
/// The header's symbol, in .symtab: lldb reads no symbols of an object
/// that has no code or data symbol, its stubs' included.
constexpr char DispatcherName[] = "hcr_trampoline_dispatcher";

struct Described {
  const void *Code;
  StubLayout Layout;
  jit_code_entry *Entry;
};

std::mutex Lock;
std::vector<Described> Chunks; // Guarded by Lock.

size_t align8(size_t N) { return (N + 7) & ~size_t(7); }

/// Writes the object describing the stubs at Code; no dynamic sections if
/// Targets is empty. Sets Size; null if out of memory.
char *describe(const void *Code, const StubLayout &L,
               const std::vector<std::string> &Targets, size_t &Size) {
  const bool Named = !Targets.empty();
  const unsigned SectionCount = Named ? 8 : 3;
  std::string Strings(DispatcherName, sizeof(DispatcherName));
  Strings.insert(Strings.begin(), '\0');
  std::vector<uint32_t> SymbolOf(L.Entries, 0), NameOf(1, 0);
  for (size_t I = 0; I < L.Entries && I < Targets.size(); ++I) {
    if (Targets[I].empty())
      continue;
    SymbolOf[I] = static_cast<uint32_t>(NameOf.size());
    NameOf.push_back(static_cast<uint32_t>(Strings.size()));
    Strings += Targets[I];
    Strings += '\0';
  }
  // Offsets in the object.
  const size_t NamesAt = sizeof(Elf64_Ehdr);
  const size_t StrAt = align8(NamesAt + sizeof(SectionNames));
  const size_t SymAt = align8(StrAt + (Named ? Strings.size() : 0));
  const size_t RelaAt = SymAt + (Named ? NameOf.size() * sizeof(Elf64_Sym) : 0);
  const size_t DynAt = RelaAt + (Named ? L.Entries * sizeof(Elf64_Rela) : 0);
  const size_t SymTabAt = DynAt + (Named ? 4 * sizeof(Elf64_Dyn) : 0);
  const size_t HeadersAt = SymTabAt + (Named ? 2 * sizeof(Elf64_Sym) : 0);
  Size = HeadersAt + SectionCount * sizeof(Elf64_Shdr);
  char *O = static_cast<char *>(std::calloc(1, Size));
  if (!O)
    return nullptr;
  const uintptr_t Base = reinterpret_cast<uintptr_t>(O);

  auto &H = *reinterpret_cast<Elf64_Ehdr *>(O);
  std::memcpy(H.e_ident, ELFMAG, SELFMAG);
  H.e_ident[EI_CLASS] = ELFCLASS64;
  H.e_ident[EI_DATA] = ELFDATA2LSB;
  H.e_ident[EI_VERSION] = EV_CURRENT;
  H.e_type = ET_REL;
  H.e_machine = EM_X86_64;
  H.e_version = EV_CURRENT;
  H.e_shoff = HeadersAt;
  H.e_ehsize = sizeof(Elf64_Ehdr);
  H.e_shentsize = sizeof(Elf64_Shdr);
  H.e_shnum = SectionCount;
  H.e_shstrndx = Names;
  std::memcpy(O + NamesAt, SectionNames, sizeof(SectionNames));

  auto *S = reinterpret_cast<Elf64_Shdr *>(O + HeadersAt);
  for (unsigned I = 1; I < SectionCount; ++I)
    S[I].sh_name = NameOffsets[I];
  S[Plt].sh_type = SHT_NOBITS;
  S[Plt].sh_flags = SHF_ALLOC | SHF_EXECINSTR;
  S[Plt].sh_addr = reinterpret_cast<uintptr_t>(Code);
  S[Plt].sh_size = L.bytes();
  S[Plt].sh_addralign = 16;
  S[Plt].sh_entsize = L.EntryBytes;
  S[Names].sh_type = SHT_STRTAB;
  S[Names].sh_offset = NamesAt;
  S[Names].sh_size = sizeof(SectionNames);
  S[Names].sh_addralign = 1;
  if (!Named)
    return O;

  auto Allocated = [&](Section Which, unsigned Type, size_t At, size_t Bytes,
                       size_t EntSize, unsigned Link, unsigned Info) {
    Elf64_Shdr &Sh = S[Which];
    Sh.sh_type = Type;
    Sh.sh_flags = SHF_ALLOC | (Which == RelaPlt ? SHF_INFO_LINK : 0);
    Sh.sh_addr = Base + At;
    Sh.sh_offset = At;
    Sh.sh_size = Bytes;
    Sh.sh_addralign = 8;
    Sh.sh_entsize = EntSize;
    Sh.sh_link = Link;
    Sh.sh_info = Info;
  };
  std::memcpy(O + StrAt, Strings.data(), Strings.size());
  Allocated(DynStr, SHT_STRTAB, StrAt, Strings.size(), 0, 0, 0);
  auto *Syms = reinterpret_cast<Elf64_Sym *>(O + SymAt);
  for (size_t I = 1; I < NameOf.size(); ++I) {
    Syms[I].st_name = NameOf[I];
    Syms[I].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
    Syms[I].st_shndx = SHN_UNDEF;
  }
  Allocated(DynSym, SHT_DYNSYM, SymAt, NameOf.size() * sizeof(Elf64_Sym),
            sizeof(Elf64_Sym), DynStr, 1);
  auto *Relas = reinterpret_cast<Elf64_Rela *>(O + RelaAt);
  for (size_t I = 0; I < L.Entries; ++I)
    Relas[I].r_info = SymbolOf[I]
                          ? ELF64_R_INFO(SymbolOf[I], R_X86_64_JUMP_SLOT)
                          : ELF64_R_INFO(0, R_X86_64_NONE);
  Allocated(RelaPlt, SHT_RELA, RelaAt, L.Entries * sizeof(Elf64_Rela),
            sizeof(Elf64_Rela), DynSym, Plt);
  auto *Dyn = reinterpret_cast<Elf64_Dyn *>(O + DynAt);
  Dyn[0] = {DT_JMPREL, {Base + RelaAt}};
  Dyn[1] = {DT_PLTRELSZ, {L.Entries * sizeof(Elf64_Rela)}};
  Dyn[2] = {DT_PLTREL, {DT_RELA}};
  Dyn[3] = {DT_NULL, {0}};
  Allocated(Dynamic, SHT_DYNAMIC, DynAt, 4 * sizeof(Elf64_Dyn),
            sizeof(Elf64_Dyn), DynStr, 0);
  auto *Dispatcher = reinterpret_cast<Elf64_Sym *>(O + SymTabAt) + 1;
  Dispatcher->st_name = 1;
  Dispatcher->st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
  Dispatcher->st_shndx = Plt;
  Dispatcher->st_value = reinterpret_cast<uintptr_t>(Code);
  Dispatcher->st_size = L.HeaderBytes;
  Elf64_Shdr &Sym = S[SymTab];
  Sym.sh_type = SHT_SYMTAB;
  Sym.sh_offset = SymTabAt;
  Sym.sh_size = 2 * sizeof(Elf64_Sym);
  Sym.sh_addralign = 8;
  Sym.sh_entsize = sizeof(Elf64_Sym);
  Sym.sh_link = DynStr;
  Sym.sh_info = 1;
  return O;
}

/// Tells the debugger about E (Action 1) or that E is gone (2).
void notify(jit_code_entry *E, uint32_t Action) {
  __jit_debug_descriptor.relevant_entry = E;
  __jit_debug_descriptor.action_flag = Action;
  __jit_debug_register_code();
}

jit_code_entry *add(char *Object, size_t Size) {
  auto *E =
      static_cast<jit_code_entry *>(std::calloc(1, sizeof(jit_code_entry)));
  if (!E) {
    std::free(Object);
    return nullptr;
  }
  E->symfile_addr = Object;
  E->symfile_size = Size;
  E->next_entry = __jit_debug_descriptor.first_entry;
  if (E->next_entry)
    E->next_entry->prev_entry = E;
  __jit_debug_descriptor.first_entry = E;
  notify(E, 1);
  return E;
}

void remove(jit_code_entry *E) {
  if (E->prev_entry)
    E->prev_entry->next_entry = E->next_entry;
  else
    __jit_debug_descriptor.first_entry = E->next_entry;
  if (E->next_entry)
    E->next_entry->prev_entry = E->prev_entry;
  notify(E, 2);
  std::free(const_cast<char *>(E->symfile_addr));
  std::free(E);
}

Described *find(const void *Code) {
  for (Described &D : Chunks)
    if (D.Code == Code)
      return &D;
  return nullptr;
}
} // namespace

void announceStubCode(const void *Code, const StubLayout &Layout) {
  size_t Size;
  char *O = describe(Code, Layout, {}, Size);
  if (!O)
    return;
  std::lock_guard<std::mutex> G(Lock);
  if (jit_code_entry *E = add(O, Size))
    Chunks.push_back({Code, Layout, E});
}

void nameStubCode(const void *Code, const std::vector<std::string> &Targets) {
  std::lock_guard<std::mutex> G(Lock);
  Described *D = find(Code);
  if (!D)
    return;
  size_t Size;
  char *O = describe(Code, D->Layout, Targets, Size);
  if (!O)
    return;
  // The old object goes first: the debugger never sees two of one chunk.
  if (D->Entry)
    remove(D->Entry);
  D->Entry = add(O, Size);
}

void withdrawStubCode(const void *Code) {
  std::lock_guard<std::mutex> G(Lock);
  Described *D = find(Code);
  if (!D)
    return;
  if (D->Entry)
    remove(D->Entry);
  Chunks.erase(Chunks.begin() + (D - Chunks.data()));
}

bool debuggerAttached() {
  FILE *F = std::fopen("/proc/self/status", "re");
  if (!F)
    return false;
  char Line[256];
  long Tracer = 0;
  while (std::fgets(Line, sizeof(Line), F))
    if (std::sscanf(Line, "TracerPid: %ld", &Tracer) == 1)
      break;
  std::fclose(F);
  return Tracer != 0;
}

} // namespace hcr
