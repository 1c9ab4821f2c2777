//===- FunctionNames.h - The function at a code address ---------*- C++ -*-===//
//
// For reports (a crash's function): the name of the function that holds a
// code address, read from the ELF symbol table (.symtab, which keeps the
// static functions a module's code is made of, then .dynsym) of the loaded
// object that holds it.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_FUNCTIONNAMES_H
#define HCR_LIB_RUNTIME_FUNCTIONNAMES_H

#include <cstdint>
#include <string>

namespace hcr {

/// The name of the function at Addr, without the rewrite's "_actual"
/// suffix; empty if no symbol covers it.
std::string functionNameAt(uintptr_t Addr);

} // namespace hcr

#endif // HCR_LIB_RUNTIME_FUNCTIONNAMES_H
