//===- SymbolTable.h - The permanent procs and globals ----------*- C++ -*-===//
//
// Every proc and global the runtime knows, by (module, name), with what
// makes it permanent: a proc's trampoline, a global's storage. Records
// change only when a transaction commits (ReloadTransaction); this class
// keeps them, and which modules looked each one up, so that a reload can
// tell whether dropping a symbol would strand a module that stays.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_SYMBOLTABLE_H
#define HCR_LIB_RUNTIME_SYMBOLTABLE_H

#include "Redirections.h"
#include "Status.h"

#include "Containers.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hcr {

/// (module, name): how every proc and global is known.
using SymbolKey = std::pair<std::string, std::string>;

/// "proc 'f' of module 'm'", for messages.
std::string describe(const char *What, const SymbolKey &Key);

struct ProcRecord {
  uint32_t Trampoline;
  bool Live = false;              ///< Registered by the module's current code.
  uint64_t Generation = 0;        ///< Reload that last registered it.
  HashSet<std::string> Importers; ///< Modules that looked it up.
};

struct GlobalRecord {
  void *Storage = nullptr;
  size_t Size = 0, Align = 0;
  size_t Capacity = 0; ///< Bytes allocated: a layout may grow in place.
  std::string Layout;  ///< hcr_register_global_layout's; empty if none.
  uint64_t Generation = 0;
  void (*Visitor)(void) = nullptr; ///< hcr_set_global_visitor, current code.

  HashSet<std::string> Importers;
};

class SymbolTable {
public:
  ProcRecord *findProc(const SymbolKey &Key);
  GlobalRecord *findGlobal(const SymbolKey &Key);
  /// The record of Key, created with a new trampoline on first use. A
  /// trampoline is never freed, so a failed reload keeps the ones it made.
  Status procRecord(const SymbolKey &Key, Redirections &R, ProcRecord *&Out);
  /// The proc a trampoline was made for, or null.
  const SymbolKey *ownerOf(uint32_t Trampoline) const;

  void addGlobal(const SymbolKey &Key, GlobalRecord Record);
  /// Removes a global and returns its storage, which the caller retires.
  void *removeGlobal(const SymbolKey &Key);

  HashMap<SymbolKey, ProcRecord> &procs() { return Procs; }
  HashMap<SymbolKey, GlobalRecord> &globals() { return Globals; }

  /// Zeroed storage for Size bytes aligned to Align, or null; the
  /// storage's capacity (a little more than Size, so that a global whose
  /// layout grows a little is migrated in place) goes to *Capacity.
  static void *allocateGlobal(size_t Size, size_t Align,
                              size_t *Capacity = nullptr);

private:
  std::vector<SymbolKey> TrampolineOwners; ///< By trampoline id.
  HashMap<SymbolKey, ProcRecord> Procs;
  HashMap<SymbolKey, GlobalRecord> Globals;
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_SYMBOLTABLE_H
