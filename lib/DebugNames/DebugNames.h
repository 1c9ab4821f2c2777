//===- DebugNames.h - Source names in a rewritten module's DWARF -*- C++
//-*-===//
//
// hcr-rewrite renames a module's functions (f becomes f_actual behind the
// slot f) and turns its globals into pointer slots (`int g` becomes
// `int *g`). Compiled as is, a debugger knows the rewritten program:
// `break f` finds no function, `print g` shows a pointer. The rewrite
// leaves a table of what it renamed in the module (`hcr_debug_names`,
// docs/Debugging.md); this pass reads it and gives the debug information
// back the source's names and types, so that gdb and lldb see the program
// as written, with no script: the code of f is named f, a slot of a
// function has no debug entry, and a global g is a variable of g's type
// whose location is the storage its slot points to (DW_OP_deref).
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_DEBUGNAMES_DEBUGNAMES_H
#define HCR_LIB_DEBUGNAMES_DEBUGNAMES_H

#include "llvm/IR/PassManager.h"

namespace hcr::debugnames {

/// The table's name in a rewritten module, and in EntryPoints.cpp.
inline constexpr const char *TableName = "hcr_debug_names";

/// Applies the module's table to its debug information, then deletes the
/// table. A module without the table, or without debug information, is
/// left as it is (apart from the table).
class DebugNamesPass : public llvm::PassInfoMixin<DebugNamesPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }
};

/// The same, for callers without a pass manager (tests). Returns whether
/// the module changed.
bool applyDebugNames(llvm::Module &M);

} // namespace hcr::debugnames

#endif
