//===- DebuggerReport.cpp - The modules as a debugger's user reads them ---===//
//
// A debugger shows module copies by their files (/proc/PID/fd/N: memory
// files) and knows nothing of reloads; hcr_debug_print_modules, called from
// the debugger, says which copy is which module's code from which reload.
//
//===----------------------------------------------------------------------===//

#include "Runtime.h"

#include <mutex>

namespace hcr {

bool Runtime::describeModules(std::string &Out) {
  // The program is stopped: a reload on its way holds the lock, and
  // waiting for it would hang the debugger's call.
  std::unique_lock<std::recursive_mutex> G(Lock, std::try_to_lock);
  if (!G.owns_lock() || Reloading)
    return false;
  Out = "hcr: generation " + std::to_string(Generation) + ", " +
        std::to_string(Modules.size()) + " modules\n";
  for (const std::string &Name : Modules.postOrder()) {
    const Module *M = Modules.find(Name);
    if (!M || !M->Code)
      continue;
    Out +=
        "  " + Name + ": code of reload " + std::to_string(M->Generation) +
        (M->Path.empty() ? " (the host)"
                         : ", copy " + M->Code->copyPath() + " of " + M->Path) +
        "\n";
  }
  for (const ModuleGraph::RetiredCopy &R : Modules.retiredCopies())
    Out += "  " + R.Module + ": replaced at reload " +
           std::to_string(R.Replaced) +
           (R.Asleep ? ", unloaded (kept until the next reload, to roll this "
                       "one back)\n"
                     : ", still loaded (a thread may run in it), copy " +
                           R.Copy + "\n");
  return true;
}

} // namespace hcr
