//===- DebuggerStubs.h - Trampolines as debuggers see them ------*- C++ -*-===//
//
// A call through a trampoline enters anonymous memory, which a debugger's
// `step` treats as a function without line information and steps over:
// the callee behind it is never reached. Each chunk of trampolines is
// therefore described to debuggers through the GDB JIT interface (which
// gdb and lldb both read) as a tiny in-memory ELF object laid out as a
// shared object's procedure linkage table:
//   - gdb steps through code in a section named `.plt`, as through a call
//     into a shared library;
//   - lldb steps through a PLT entry to the code whose symbol the entry's
//     jump-slot relocation names, so once a debugger is attached the
//     runtime names each trampoline after the code it jumps to
//     (nameStubCode, after each reload).
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_DEBUGGERSTUBS_H
#define HCR_LIB_RUNTIME_DEBUGGERSTUBS_H

#include <cstddef>
#include <string>
#include <vector>

namespace hcr {

/// A chunk of stubs: a header (the dispatcher, as a PLT's entry 0), then
/// Entries stubs of EntryBytes each.
struct StubLayout {
  size_t HeaderBytes = 0, EntryBytes = 0, Entries = 0;
  size_t bytes() const { return HeaderBytes + Entries * EntryBytes; }
};

/// Describes the stub code at Code to an attached or later attached
/// debugger, with no names. Costs a small allocation and a call that a
/// debugger may break on; failures are ignored (debugging only).
void announceStubCode(const void *Code, const StubLayout &Layout);

/// Describes the stubs at Code again, stub I by the symbol Targets[I]
/// (empty: a stub that goes nowhere yet).
void nameStubCode(const void *Code, const std::vector<std::string> &Targets);

/// Withdraws the description of Code, before its memory is unmapped.
void withdrawStubCode(const void *Code);

/// Whether a debugger (any tracer) is attached to the process now: naming
/// stubs reads symbol tables, worth it only for a debugger.
bool debuggerAttached();

} // namespace hcr

#endif
