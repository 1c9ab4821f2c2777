//===- StackScan.cpp - Which code still has frames on a thread's stack ----===//

#include "StackScan.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <semaphore.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>

namespace hcr {
namespace {

struct CodeInterval {
  uintptr_t Begin, End;
  unsigned Set;
};

struct Mapping {
  uintptr_t Begin, End;
};

/// Linux 6.11's query of the mapping that holds an address, on a
/// descriptor of /proc/self/maps (PROCMAP_QUERY in <linux/fs.h>, which
/// Debian 12's kernel headers predate): the kernel's ABI, fields in its
/// order. Reading the whole of /proc/self/maps instead costs 8 ms in a
/// program of 1000 modules (5000 mappings; docs/experiments.md).
struct MapQuery {
  uint64_t Size;       // sizeof(MapQuery), in.
  uint64_t QueryFlags; // in.
  uint64_t QueryAddr;  // in.
  uint64_t VmaStart, VmaEnd, VmaFlags, VmaPageSize, VmaOffset, Inode; // out.
  uint32_t DevMajor, DevMinor;                                        // out.
  uint32_t VmaNameSize, BuildIdSize; // in/out; 0: not asked for.
  uint64_t VmaNameAddr, BuildIdAddr; // in.
};
static_assert(sizeof(MapQuery) == 104, "struct procmap_query");
constexpr unsigned long MapQueryRequest = 0xC0686611; // _IOWR('f', 17, 104)
constexpr uint64_t MapQueryReadable = 0x01;

/// What a scan looks for, laid out for a signal handler: arrays that are
/// only read, and one flag per set, written with atomic stores.
struct ScanTables {
  std::vector<CodeInterval> Code; ///< Sorted by Begin, disjoint.
  uintptr_t Low = UINTPTR_MAX, High = 0;
  /// A descriptor of /proc/self/maps to query, or -1: then Readable.
  int MapsFd = -1;
  std::vector<Mapping> Readable; ///< Sorted; from /proc/self/maps.
  std::unique_ptr<std::atomic<unsigned char>[]> InUse;
  /// Threads asked by signal, and whether each answered.
  std::vector<pid_t> Asked;
  std::unique_ptr<std::atomic<unsigned char>[]> Answered;
};

void markIfCode(const ScanTables &T, uintptr_t Word) {
  if (Word < T.Low || Word >= T.High)
    return;
  auto It = std::upper_bound(
      T.Code.begin(), T.Code.end(), Word,
      [](uintptr_t W, const CodeInterval &I) { return W < I.Begin; });
  if (It == T.Code.begin())
    return;
  --It;
  if (Word < It->End)
    T.InUse[It->Set].store(1, std::memory_order_relaxed);
}

/// The end of the readable mapping that holds Addr; 0 if none does.
/// Async-signal safe.
uintptr_t stackEnd(const ScanTables &T, uintptr_t Addr) {
  if (T.MapsFd >= 0) {
    MapQuery Q;
    std::memset(&Q, 0, sizeof(Q));
    Q.Size = sizeof(Q);
    Q.QueryFlags = MapQueryReadable;
    Q.QueryAddr = Addr;
    return ioctl(T.MapsFd, MapQueryRequest, &Q) == 0 ? Q.VmaEnd : 0;
  }
  auto It = std::upper_bound(
      T.Readable.begin(), T.Readable.end(), Addr,
      [](uintptr_t A, const Mapping &M) { return A < M.Begin; });
  if (It == T.Readable.begin())
    return 0;
  --It;
  return Addr < It->End ? It->End : 0;
}

/// Scans the calling thread's own stack from Sp up, and Pc. Async-signal
/// safe. False if Sp is in no readable mapping. It reads every word of the
/// stack, whoever owns it: the redzones AddressSanitizer puts between a
/// frame's locals, variables other threads write (atomics included). So
/// neither ASan nor TSan checks these reads.
__attribute__((no_sanitize("address", "thread"))) bool
scanOwnStack(const ScanTables &T, uintptr_t Sp, uintptr_t Pc) {
  markIfCode(T, Pc);
  uintptr_t End = stackEnd(T, Sp);
  if (!End)
    return false;
  for (uintptr_t A = Sp & ~uintptr_t(7); A + 8 <= End; A += 8)
    markIfCode(T, *reinterpret_cast<const volatile uintptr_t *>(A));
  return true;
}

/// Scans another thread's stack, which may go away while it is read:
/// process_vm_readv fails instead of faulting.
bool scanOtherStack(const ScanTables &T, uintptr_t Sp, uintptr_t Pc) {
  markIfCode(T, Pc);
  uintptr_t End = stackEnd(T, Sp);
  if (!End)
    return false;
  static thread_local uintptr_t Buf[8192];
  for (uintptr_t A = Sp & ~uintptr_t(7); A < End;) {
    size_t Len = std::min<uintptr_t>(sizeof(Buf), End - A);
    iovec Local{Buf, Len}, Remote{reinterpret_cast<void *>(A), Len};
    ssize_t N = process_vm_readv(getpid(), &Local, 1, &Remote, 1, 0);
    if (N != static_cast<ssize_t>(Len))
      return false;
    for (size_t I = 0; I < Len / sizeof(uintptr_t); ++I)
      markIfCode(T, Buf[I]);
    A += Len;
  }
  return true;
}

bool readFile(const char *Path, std::string &Out) {
  int Fd = open(Path, O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return false;
  Out.clear();
  char Buf[4096];
  ssize_t N;
  while ((N = read(Fd, Buf, sizeof(Buf))) > 0)
    Out.append(Buf, static_cast<size_t>(N));
  close(Fd);
  return N == 0;
}

std::vector<Mapping> readableMappings() {
  std::vector<Mapping> Maps;
  std::string Text;
  if (!readFile("/proc/self/maps", Text))
    return Maps;
  const char *P = Text.c_str();
  while (*P) {
    char *End;
    uintptr_t Begin = std::strtoull(P, &End, 16);
    uintptr_t Stop = *End == '-' ? std::strtoull(End + 1, &End, 16) : 0;
    // Mappings are kept apart even where they touch: a thread's stack ends
    // where its mapping does, whatever lies above it.
    if (*End == ' ' && End[1] == 'r' && Stop > Begin)
      Maps.push_back(Mapping{Begin, Stop});
    const char *Line = std::strchr(End, '\n');
    if (!Line)
      break;
    P = Line + 1;
  }
  return Maps;
}

/// Time the thread spent running, in ns; false if the kernel does not say.
bool runTime(pid_t Tid, unsigned long long &Ns) {
  char Path[64];
  std::snprintf(Path, sizeof(Path), "/proc/self/task/%d/schedstat", Tid);
  std::string Text;
  if (!readFile(Path, Text))
    return false;
  char *End;
  Ns = std::strtoull(Text.c_str(), &End, 10);
  return End != Text.c_str();
}

/// The stack pointer and program counter of a thread blocked in the kernel;
/// false if it is running.
bool blockedAt(pid_t Tid, uintptr_t &Sp, uintptr_t &Pc) {
  char Path[64];
  std::snprintf(Path, sizeof(Path), "/proc/self/task/%d/syscall", Tid);
  std::string Text;
  if (!readFile(Path, Text) || Text.compare(0, 7, "running") == 0)
    return false;
  // "NR ARGS... SP PC" or "-1 SP PC": the last two fields.
  size_t Last = Text.find_last_not_of(" \n");
  if (Last == std::string::npos)
    return false;
  size_t PcAt = Text.rfind(' ', Last);
  if (PcAt == std::string::npos || PcAt == 0)
    return false;
  size_t SpAt = Text.rfind(' ', PcAt - 1);
  if (SpAt == std::string::npos)
    return false;
  Sp = std::strtoull(Text.c_str() + SpAt + 1, nullptr, 16);
  Pc = std::strtoull(Text.c_str() + PcAt + 1, nullptr, 16);
  return Sp != 0;
}

/// Scans a blocked thread from the outside; false if it was not blocked
/// for the whole scan (or could not be read).
bool scanBlocked(const ScanTables &T, pid_t Tid) {
  unsigned long long Before, After;
  uintptr_t Sp, Pc;
  if (!runTime(Tid, Before) || !blockedAt(Tid, Sp, Pc))
    return false;
  // What it marks stays marked (conservative); a thread that ran while
  // its stack was read is asked again, by signal.
  if (!scanOtherStack(T, Sp, Pc))
    return false;
  return runTime(Tid, After) && After == Before;
}

// The signal handler's side: the tables of the scan under way, if any.
std::atomic<const ScanTables *> ActiveScan{nullptr};
std::atomic<int> HandlersRunning{0};
sem_t Answers;

void onScanSignal(int, siginfo_t *, void *Context) {
  int SavedErrno = errno;
  HandlersRunning.fetch_add(1);
  if (const ScanTables *T = ActiveScan.load()) {
    pid_t Self = static_cast<pid_t>(syscall(SYS_gettid));
    for (size_t I = 0; I < T->Asked.size(); ++I) {
      if (T->Asked[I] != Self)
        continue;
      const ucontext_t *U = static_cast<const ucontext_t *>(Context);
#if defined(__x86_64__)
      uintptr_t Sp = static_cast<uintptr_t>(U->uc_mcontext.gregs[REG_RSP]);
      uintptr_t Pc = static_cast<uintptr_t>(U->uc_mcontext.gregs[REG_RIP]);
#else
#error "StackScan: reading a signal context is implemented for x86-64 only"
#endif
      // 2: scanned; 3: the stack is in no mapping (an alternate stack).
      T->Answered[I].store(scanOwnStack(*T, Sp, Pc) ? 2 : 3);
      sem_post(&Answers);
    }
  }
  HandlersRunning.fetch_sub(1);
  errno = SavedErrno;
}

/// Installs the handler once; false (with Why) if the program handles
/// Signal itself.
bool installHandler(int Signal, std::string &Why) {
  static int Installed = 0;
  if (Installed == Signal)
    return true;
  struct sigaction Old;
  if (sigaction(Signal, nullptr, &Old) != 0) {
    Why = "invalid HCR_STACK_SIGNAL " + std::to_string(Signal);
    return false;
  }
  bool Default = !(Old.sa_flags & SA_SIGINFO) &&
                 (Old.sa_handler == SIG_DFL || Old.sa_handler == SIG_IGN);
  if (!Default && Old.sa_sigaction != onScanSignal) {
    Why = "the program handles signal " + std::to_string(Signal) +
          " itself (choose another with HCR_STACK_SIGNAL)";
    return false;
  }
  static bool SemaphoreReady = sem_init(&Answers, 0, 0) == 0;
  if (!SemaphoreReady) {
    Why = "sem_init failed";
    return false;
  }
  struct sigaction Act;
  std::memset(&Act, 0, sizeof(Act));
  Act.sa_sigaction = onScanSignal;
  Act.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&Act.sa_mask);
  if (sigaction(Signal, &Act, nullptr) != 0) {
    Why = "cannot install a handler for signal " + std::to_string(Signal);
    return false;
  }
  Installed = Signal;
  return true;
}

/// Asks each thread of T.Asked to scan itself; waits a second at most.
/// Returns the threads that did not answer, explained.
std::string askBySignal(ScanTables &T, int Signal) {
  if (T.Asked.empty())
    return "";
  std::string Why;
  if (!installHandler(Signal, Why))
    return std::to_string(T.Asked.size()) + " running thread(s): " + Why;
  T.Answered.reset(new std::atomic<unsigned char>[T.Asked.size()]);
  for (size_t I = 0; I < T.Asked.size(); ++I)
    T.Answered[I].store(0);
  while (sem_trywait(&Answers) == 0) {
  }
  ActiveScan.store(&T);
  size_t Waiting = 0;
  for (size_t I = 0; I < T.Asked.size(); ++I) {
    if (syscall(SYS_tgkill, getpid(), T.Asked[I], Signal) == 0)
      ++Waiting;
    else
      T.Answered[I].store(2); // Gone: it has no stack left.
  }
  timespec Deadline;
  clock_gettime(CLOCK_REALTIME, &Deadline);
  Deadline.tv_sec += 1;
  while (Waiting > 0 && sem_timedwait(&Answers, &Deadline) == 0)
    --Waiting;
  ActiveScan.store(nullptr);
  while (HandlersRunning.load() != 0)
    sched_yield();
  std::string Unscanned;
  for (size_t I = 0; I < T.Asked.size(); ++I) {
    unsigned char A = T.Answered[I].load();
    if (A == 2)
      continue;
    Unscanned += (Unscanned.empty() ? "thread " : ", thread ") +
                 std::to_string(T.Asked[I]) +
                 (A == 3 ? " (runs on a stack outside any mapping)"
                         : " (did not answer signal " + std::to_string(Signal) +
                               " within 1 s)");
  }
  return Unscanned;
}

std::vector<pid_t> otherThreads() {
  std::vector<pid_t> Tids;
  pid_t Self = static_cast<pid_t>(syscall(SYS_gettid));
  DIR *D = opendir("/proc/self/task");
  if (!D)
    return Tids;
  while (dirent *E = readdir(D)) {
    pid_t Tid = static_cast<pid_t>(std::atoi(E->d_name));
    if (Tid > 0 && Tid != Self)
      Tids.push_back(Tid);
  }
  closedir(D);
  return Tids;
}

} // namespace

int defaultStackSignal() { return SIGRTMAX - 7; }

StackScanResult scanStacks(const std::vector<std::vector<CodeRange>> &CodeSets,
                           const void *OwnStackFrom, int Signal,
                           bool ReadWholeMap) {
  StackScanResult R;
  R.InUse.assign(CodeSets.size(), false);
  if (CodeSets.empty())
    return R;
  ScanTables T;
  for (unsigned Set = 0; Set < CodeSets.size(); ++Set)
    for (const CodeRange &C : CodeSets[Set]) {
      T.Code.push_back(CodeInterval{C.Begin, C.End, Set});
      T.Low = std::min(T.Low, C.Begin);
      T.High = std::max(T.High, C.End);
    }
  std::sort(T.Code.begin(), T.Code.end(),
            [](const CodeInterval &A, const CodeInterval &B) {
              return A.Begin < B.Begin;
            });
  // One query per thread where the kernel answers them, else the whole map.
  if (!ReadWholeMap) {
    T.MapsFd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (T.MapsFd >= 0 &&
        !stackEnd(T, reinterpret_cast<uintptr_t>(OwnStackFrom))) {
      close(T.MapsFd); // An older kernel (ENOTTY) or no answer.
      T.MapsFd = -1;
    }
  }
  if (T.MapsFd < 0)
    T.Readable = readableMappings();
  T.InUse.reset(new std::atomic<unsigned char>[CodeSets.size()]);
  for (size_t I = 0; I < CodeSets.size(); ++I)
    T.InUse[I].store(0);

  if (scanOwnStack(T, reinterpret_cast<uintptr_t>(OwnStackFrom), 0))
    ++R.ThreadsScanned;
  else
    R.Unscanned = "the calling thread (its stack is in no mapping)";
  for (pid_t Tid : otherThreads()) {
    if (scanBlocked(T, Tid))
      ++R.ThreadsScanned;
    else
      T.Asked.push_back(Tid);
  }
  std::string NotAnswered = askBySignal(T, Signal);
  for (size_t I = 0; I < T.Asked.size(); ++I)
    R.ThreadsScanned += T.Answered && T.Answered[I].load() == 2;
  if (!NotAnswered.empty())
    R.Unscanned += (R.Unscanned.empty() ? "" : "; ") + NotAnswered;
  for (size_t I = 0; I < CodeSets.size(); ++I)
    R.InUse[I] = !R.Unscanned.empty() || T.InUse[I].load();
  if (T.MapsFd >= 0) // No handler runs any more (askBySignal waited).
    close(T.MapsFd);
  return R;
}

} // namespace hcr
