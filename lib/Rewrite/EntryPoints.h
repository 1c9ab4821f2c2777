//===- EntryPoints.h - The module ABI's generated code ----------*- C++ -*-===//
//
// What the rewrite appends to a module: the entry points of the module ABI
// (docs/ModuleABI.md), and for the host the bootstrap main().
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_REWRITE_ENTRYPOINTS_H
#define HCR_LIB_REWRITE_ENTRYPOINTS_H

#include <string>
#include <vector>

namespace hcr::rewrite {

/// Everything one module registers and looks up, in source order.
struct ModulePlan {
  struct Global {
    std::string Key;  ///< Registered name ("g", or "f.counter" for a local).
    std::string Slot; ///< The pointer variable in the module.
    unsigned long long Align;
    std::string Init;      ///< Initializer text, rewritten; empty: zero.
    bool ConstantInit;     ///< Init uses nothing the rewrite changed.
    bool AlwaysInit;       ///< const data: re-copied at every load.
    std::string Layout;    ///< Its type's layout (GlobalLayout.h); empty: none.
    std::string Name;      ///< Its name in the source (the slot's, unless
                           ///< a hoisted static local).
    unsigned Line = 0;     ///< A static local's line; 0: the slot's.
    std::string Function;  ///< A static local's function, as compiled.
    bool External = false; ///< Of external linkage in the source.
    /// Directives around the statement that holds Init: the macros its text
    /// uses, as they were where it was written (GeneratedNames.cpp).
    std::string MacrosBefore, MacrosAfter;
  };
  struct Proc {
    std::string Name; ///< Slot f, code f_actual.
    std::string Key;  ///< Registered name.
  };
  struct Lookup {
    std::string Owner, Name, Key;
    bool Bind = false; ///< hcr_bind_proc instead of hcr_get_proc.
  };
  struct Handler {
    bool Before;
    std::string Function;
  };
  /// HCR_MIGRATE(global): registered before the globals.
  struct Migrator {
    std::string Key; ///< The global's registered name.
    std::string Function;
  };
  std::string Module;
  std::string Signature;
  bool IsHost = false;
  std::vector<std::string> Imports;
  std::vector<Proc> Procs; ///< Own functions.
  std::vector<Global> Globals;
  std::vector<Lookup> ProcLookups, GlobalLookups;
  std::vector<Handler> Handlers;
  std::vector<Migrator> Migrators;
  /// Producer-specific additions (Nim's module initialization, NimInit.cpp):
  /// file-scope declarations before the entry points, statements at the end
  /// of register_symbols and of init.
  std::vector<std::string> ExtraDeclarations, ExtraRegistrations, ExtraInit;
  /// Constant data whose initializer names what the rewrite made pointers
  /// (`{"f", f}`, `&g`): filled at the end of link, when every slot is set.
  struct Table {
    std::string Name, Init;
    std::string MacrosBefore, MacrosAfter; ///< As Global's.
  };
  std::vector<Table> Tables;
  /// Write the table of renamed symbols for the debug-names plugin.
  bool DebugNames = false;
  /// Directives before and after the entry points: the macros of the end
  /// of the file that would change the names of the module's symbols,
  /// undefined while they are read (GeneratedNames.cpp).
  std::string MacrosBefore, MacrosAfter;
};

/// The C text appended to the module's main file.
std::string emitEntryPoints(const ModulePlan &Plan);

/// Text at the top of every rewritten main file.
std::string emitPrologue();

/// Name of the code behind a reloadable function's slot.
inline std::string actualName(const std::string &Name) {
  return Name + "_actual";
}

} // namespace hcr::rewrite

#endif
