//===- DebuggerStubs.h - Trampolines as debuggers see them ------*- C++ -*-===//
//
// A call through a trampoline enters anonymous memory, which a debugger's
// `step` treats as a function without line information and steps over:
// the callee behind it is never reached. Each chunk of trampolines is
// therefore described to debuggers through the GDB JIT interface (which
// gdb and lldb both read) as a tiny in-memory ELF object whose one section
// is named `.plt`: to gdb, code in a `.plt` is a linker stub to step
// through, as it does for a call into a shared library.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_DEBUGGERSTUBS_H
#define HCR_LIB_RUNTIME_DEBUGGERSTUBS_H

#include <cstddef>

namespace hcr {

/// Describes [Code, Code + Size), stub code, to an attached or later
/// attached debugger. Costs one small allocation and a call that a
/// debugger may break on; failures are ignored (debugging only).
void announceStubCode(const void *Code, size_t Size);

/// Withdraws the description of Code, before its memory is unmapped.
void withdrawStubCode(const void *Code);

} // namespace hcr

#endif
