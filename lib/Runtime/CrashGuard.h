//===- CrashGuard.h - Calls whose crashes can be survived -------*- C++ -*-===//
//
// A guarded call runs a function with SIGSEGV, SIGBUS, SIGILL, SIGFPE and
// SIGABRT caught on the calling thread. When it crashes, a filter decides,
// inside the signal handler, whether the crash is the guard's: if so, the
// call's frames are abandoned (siglongjmp; no destructor runs in them, and
// locks they hold stay held) and the guard returns the crash; if not, the
// signal goes on as if there were no guard: to the program's own handler,
// or to the default action, which ends the process as it would have ended.
// Guards nest; the innermost one decides. Crashes that overflow the stack
// are caught too: the handler runs on an alternate signal stack.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_CRASHGUARD_H
#define HCR_LIB_RUNTIME_CRASHGUARD_H

#include "StackScan.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hcr {

/// What crashed, as the signal handler saw it.
struct Crash {
  int Signal = 0;
  uintptr_t Pc = 0; ///< Where it crashed.
  /// The code address the crash is blamed on: Pc, or, if the filter says
  /// so, a return address on the crashed stack (a crash in the C library
  /// called by the code at fault).
  uintptr_t Blamed = 0;
  uint64_t Generation = 0; ///< The reload whose code was blamed, if known.
};

/// Decides, in the signal handler, whether a crash is the guard's, and sets
/// C.Blamed. Sp is the crashed stack pointer and StackEnd the guard's own
/// frame: the words in between are the crashed call's stack. Must be async
/// signal safe.
using CrashFilter = bool (*)(Crash &C, uintptr_t Sp, uintptr_t StackEnd,
                             void *Context);

/// Runs Fn(Arg) guarded. True if it returned; false if it crashed and Filter
/// took the crash, described in Out.
bool runGuarded(void (*Fn)(void *), void *Arg, CrashFilter Filter,
                void *Context, Crash &Out);

/// Which crashes a guard takes, by the module code they are blamed on.
struct CrashScope {
  std::vector<CodeRange> Modules; ///< All module code, host included; sorted.
  std::vector<CodeRange> Guarded; ///< The code whose crashes are taken.
  bool TakeAll = false;           ///< Take any crash (still blamed).
  uint64_t Generation = 0;        ///< The reload that loaded Guarded.
  void sort();
};

/// The filter for a CrashScope (Context): blames the innermost module code,
/// that is Pc if it is module code, else the first word of the crashed
/// stack that is (the return address into the module that called the
/// library that crashed, as a rule), and takes the crash if the scope takes
/// all or the blamed code is Guarded.
bool blameModuleCode(Crash &C, uintptr_t Sp, uintptr_t StackEnd, void *Context);

/// Calls Fn, a void (*)(void) passed as data: runGuarded's Fn for entry
/// points and handlers.
void callVoidFunction(void *Fn);

/// "SIGSEGV" and the like.
std::string signalName(int Signal);

} // namespace hcr

#endif // HCR_LIB_RUNTIME_CRASHGUARD_H
