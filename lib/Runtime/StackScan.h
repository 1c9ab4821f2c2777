//===- StackScan.h - Which code still has frames on a thread's stack -*- C++
//-*-===//
//
// Replaced code may be unmapped only when no thread runs in it or will return
// into it. A scan looks at every thread of the process: its program counter
// and every word of its stack from its stack pointer up (a conservative
// scan: a stale word can keep code mapped longer, never shorter).
//   - The calling thread scans its own stack from the runtime's caller up.
//   - A thread blocked in a system call is read from the outside:
//     /proc/self/task/TID/syscall gives its stack pointer and program
//     counter; /proc/self/task/TID/schedstat, read before and after, shows
//     that it did not run while its stack was read.
//   - Any other thread is asked with a signal (HCR_STACK_SIGNAL), whose
//     handler scans its own stack. A thread that does not answer within a
//     second counts as running in every piece of code scanned for.
// Safe once trampolines point at new code: no new frame can enter old code
// then (except through a raw pointer to it), so frames only disappear.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_STACKSCAN_H
#define HCR_LIB_RUNTIME_STACKSCAN_H

#include <cstdint>
#include <string>
#include <vector>

namespace hcr {

/// Executable bytes of one loaded copy, [Begin, End).
struct CodeRange {
  uintptr_t Begin = 0, End = 0;
};

/// What a scan found for each set of code it looked for.
struct StackScanResult {
  /// Per set: a thread runs in it, or has a return address into it.
  std::vector<bool> InUse;
  /// Threads that could not be scanned (every set then counts as in use),
  /// explained; empty when every thread was scanned.
  std::string Unscanned;
  unsigned ThreadsScanned = 0;
};

/// Scans every thread for frames in each of CodeSets. OwnStackFrom is where
/// the calling thread's scan starts (an address in the frame of the
/// runtime's caller), so that the runtime's own frames are not scanned.
/// Signal is the signal sent to running threads. Where each stack ends is
/// asked of the kernel, one mapping at a time (Linux 6.11 and later), or
/// read from the whole of /proc/self/maps on older kernels or if
/// ReadWholeMap (HCR_NO_MAP_QUERY: so both ways are tested).
StackScanResult scanStacks(const std::vector<std::vector<CodeRange>> &CodeSets,
                           const void *OwnStackFrom, int Signal,
                           bool ReadWholeMap = false);

/// The signal used by default: SIGRTMAX - 7 (glibc keeps the first real-time
/// signals for itself; programs tend to use the first free ones).
int defaultStackSignal();

} // namespace hcr

#endif // HCR_LIB_RUNTIME_STACKSCAN_H
