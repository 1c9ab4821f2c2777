//===- ObjectSymbols.h - What a module's object file defines and needs ----===//
//
// hcr-verify reads each module's symbol table before linking it: the
// exports are checked against the module ABI, and a reference another
// module defines is named by its owner.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_VERIFY_OBJECTSYMBOLS_H
#define HCR_LIB_VERIFY_OBJECTSYMBOLS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBufferRef.h"

#include <set>
#include <string>

namespace hcr::verify {

/// What one object file defines and needs, read from its symbol table.
struct ObjectSymbols {
  std::set<std::string> Defined;   ///< Global definitions, any visibility.
  std::set<std::string> Exported;  ///< Global, default visibility.
  std::set<std::string> Undefined; ///< References to other objects.
};

/// Reads a relocatable ELF object's global symbols.
llvm::Expected<ObjectSymbols> readSymbols(llvm::MemoryBufferRef Buffer);

/// True for the symbols a module may export (docs/ModuleABI.md).
bool isEntryPoint(llvm::StringRef Name);

} // namespace hcr::verify

#endif // HCR_LIB_VERIFY_OBJECTSYMBOLS_H
