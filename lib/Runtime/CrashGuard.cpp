//===- CrashGuard.cpp - Calls whose crashes can be survived ---------------===//

#include "CrashGuard.h"

#include <algorithm>
#include <csetjmp>
#include <csignal>
#include <cstring>
#include <mutex>
#include <sys/mman.h>
#include <ucontext.h>

namespace hcr {
namespace {

constexpr int CaughtSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};

/// The program's actions for the caught signals, before ours.
struct sigaction Previous[NSIG];

struct Guard {
  sigjmp_buf Jump;
  CrashFilter Filter;
  void *Context;
  uintptr_t StackEnd;
  Crash *Out;
  Guard *Outer;
};
thread_local Guard *Innermost = nullptr;

/// The signal as if we had no handler: the program's handler, or the
/// default action (ours is removed and the signal comes again: a fault
/// re-executes its instruction, a sent signal is raised again and
/// delivered when this handler returns).
void forward(int Signal, siginfo_t *Info, void *Context) {
  const struct sigaction &P = Previous[Signal];
  if ((P.sa_flags & SA_SIGINFO) && P.sa_sigaction) {
    P.sa_sigaction(Signal, Info, Context);
    return;
  }
  if (!(P.sa_flags & SA_SIGINFO) && P.sa_handler != SIG_DFL &&
      P.sa_handler != SIG_IGN) {
    P.sa_handler(Signal);
    return;
  }
  struct sigaction Default;
  std::memset(&Default, 0, sizeof(Default));
  Default.sa_handler = SIG_DFL;
  sigemptyset(&Default.sa_mask);
  sigaction(Signal, &Default, nullptr);
  if (Info->si_code <= 0) // Sent (kill, raise, abort), not a fault.
    raise(Signal);
}

void onCrash(int Signal, siginfo_t *Info, void *Context) {
  if (Guard *G = Innermost) {
    const ucontext_t *U = static_cast<const ucontext_t *>(Context);
    Crash C;
    C.Signal = Signal;
#if defined(__x86_64__)
    C.Pc = static_cast<uintptr_t>(U->uc_mcontext.gregs[REG_RIP]);
    uintptr_t Sp = static_cast<uintptr_t>(U->uc_mcontext.gregs[REG_RSP]);
#else
#error "CrashGuard: reading a signal context is implemented for x86-64 only"
#endif
    C.Blamed = C.Pc;
    if (G->Filter(C, Sp, G->StackEnd, G->Context)) {
      *G->Out = C;
      Innermost = G->Outer;
      siglongjmp(G->Jump, 1);
    }
  }
  forward(Signal, Info, Context);
}

void installHandlers() {
  static std::once_flag Once;
  std::call_once(Once, [] {
    for (int Signal : CaughtSignals) {
      struct sigaction Act;
      std::memset(&Act, 0, sizeof(Act));
      Act.sa_sigaction = onCrash;
      Act.sa_flags = SA_SIGINFO | SA_ONSTACK;
      sigemptyset(&Act.sa_mask);
      sigaction(Signal, &Act, &Previous[Signal]);
    }
  });
}

/// An alternate signal stack for the calling thread, so that a crash that
/// overflows the stack can be handled; removed when the thread ends.
struct AlternateStack {
  static constexpr size_t Size = 64 * 1024;
  void *Memory = nullptr;
  void ensure() {
    if (Memory)
      return;
    stack_t Current;
    if (sigaltstack(nullptr, &Current) == 0 && !(Current.ss_flags & SS_DISABLE))
      return; // The program's own.
    void *M = mmap(nullptr, Size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (M == MAP_FAILED)
      return;
    stack_t S;
    S.ss_sp = M;
    S.ss_size = Size;
    S.ss_flags = 0;
    if (sigaltstack(&S, nullptr) != 0) {
      munmap(M, Size);
      return;
    }
    Memory = M;
  }
  ~AlternateStack() {
    if (!Memory)
      return;
    stack_t Off;
    std::memset(&Off, 0, sizeof(Off));
    Off.ss_flags = SS_DISABLE;
    sigaltstack(&Off, nullptr);
    munmap(Memory, Size);
  }
};
thread_local AlternateStack ThreadAlternateStack;

} // namespace

bool runGuarded(void (*Fn)(void *), void *Arg, CrashFilter Filter,
                void *Context, Crash &Out) {
  installHandlers();
  ThreadAlternateStack.ensure();
  Guard G;
  G.Filter = Filter;
  G.Context = Context;
  G.StackEnd = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  G.Out = &Out;
  G.Outer = Innermost;
  if (sigsetjmp(G.Jump, 1) != 0)
    return false; // The handler took the crash and restored Innermost.
  Innermost = &G;
  Fn(Arg);
  Innermost = G.Outer;
  return true;
}

void CrashScope::sort() {
  auto ByBegin = [](const CodeRange &A, const CodeRange &B) {
    return A.Begin < B.Begin;
  };
  std::sort(Modules.begin(), Modules.end(), ByBegin);
  std::sort(Guarded.begin(), Guarded.end(), ByBegin);
}

static bool inRanges(const std::vector<CodeRange> &Sorted, uintptr_t Addr) {
  auto It = std::upper_bound(
      Sorted.begin(), Sorted.end(), Addr,
      [](uintptr_t A, const CodeRange &R) { return A < R.Begin; });
  return It != Sorted.begin() && Addr < (--It)->End;
}

// It reads the crashed stack's words whoever owns them (ASan's redzones
// between locals included): neither ASan nor TSan checks these reads.
__attribute__((no_sanitize("address", "thread"))) bool
blameModuleCode(Crash &C, uintptr_t Sp, uintptr_t StackEnd, void *Context) {
  const CrashScope &S = *static_cast<const CrashScope *>(Context);
  if (!inRanges(S.Modules, C.Pc)) {
    for (uintptr_t A = Sp & ~uintptr_t(7); A + 8 <= StackEnd; A += 8) {
      uintptr_t Word = *reinterpret_cast<const uintptr_t *>(A);
      if (inRanges(S.Modules, Word)) {
        C.Blamed = Word;
        break;
      }
    }
  }
  C.Generation = S.Generation;
  return S.TakeAll || inRanges(S.Guarded, C.Blamed);
}

void callVoidFunction(void *Fn) { reinterpret_cast<void (*)(void)>(Fn)(); }

std::string signalName(int Signal) {
  switch (Signal) {
  case SIGSEGV:
    return "SIGSEGV";
  case SIGBUS:
    return "SIGBUS";
  case SIGILL:
    return "SIGILL";
  case SIGFPE:
    return "SIGFPE";
  case SIGABRT:
    return "SIGABRT";
  default:
    return "signal " + std::to_string(Signal);
  }
}

} // namespace hcr
