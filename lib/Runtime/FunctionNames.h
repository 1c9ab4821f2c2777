//===- FunctionNames.h - The function at a code address ---------*- C++ -*-===//
//
// The name of the function that holds a code address, read from the ELF
// symbol table (.symtab, which keeps the static functions a module's code
// is made of, then .dynsym) of the loaded object that holds it. For
// reports (a crash's function) and for debuggers (the code a trampoline
// jumps to, DebuggerStubs.h).
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_FUNCTIONNAMES_H
#define HCR_LIB_RUNTIME_FUNCTIONNAMES_H

#include "Containers.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hcr {

/// Symbols of the loaded objects, each object's table read once: for
/// naming many addresses at a time.
class CodeSymbolIndex {
public:
  /// The symbol of the function at Addr as the object names it (a
  /// rewritten module's `f_actual`); empty if no symbol covers it.
  std::string symbolAt(uintptr_t Addr);

private:
  struct Function {
    uintptr_t Start, End;
    std::string Name;
  };
  /// Functions by load base, sorted by start.
  HashMap<uintptr_t, std::vector<Function>> Objects;
};

/// The name of the function at Addr, without the rewrite's "_actual"
/// suffix; empty if no symbol covers it.
std::string functionNameAt(uintptr_t Addr);

} // namespace hcr

#endif // HCR_LIB_RUNTIME_FUNCTIONNAMES_H
