//===- Redirections.h - Where calls to a proc go ----------------*- C++ -*-===//
//
// The one place that redirects calls, in the spirit of ORC's
// RedirectionManager: a proc's trampoline (jump table) and the module slots
// bound to it with hcr_bind_proc (slot patching) always point at the same
// code, and every change to either goes through redirect() or kill(). Both
// are one release store per address, safe while other threads call.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_REDIRECTIONS_H
#define HCR_LIB_RUNTIME_REDIRECTIONS_H

#include "JumpTable.h"
#include "Status.h"

#include "Containers.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace hcr {

class Redirections {
public:
  explicit Redirections(std::unique_ptr<TrampolinePool> Pool)
      : Pool(std::move(Pool)) {}

  /// A new trampoline, dead until redirected.
  Status createStub(uint32_t &Id) { return Pool->allocate(Id); }
  /// The permanent address of a trampoline.
  void *entry(uint32_t Id) const { return Pool->entry(Id); }
  /// Where calls through the trampoline go now.
  void *target(uint32_t Id) const { return Pool->target(Id); }
  /// Describes the trampolines to debuggers by their targets' symbols.
  void nameForDebuggers(
      const std::function<std::string(const void *Target)> &SymbolAt) const {
    Pool->nameForDebuggers(SymbolAt);
  }

  /// Points the trampoline and every slot bound to it at Fn.
  void redirect(uint32_t Id, void *Fn);
  /// Points the trampoline and its bound slots at its dead path, which
  /// reports the call and aborts.
  void kill(uint32_t Id);

  /// Stores Fn in a module's slot (before its module runs, or on redirect).
  static void store(void **Slot, void *Fn);
  /// Keeps Slot, owned by module Owner, following the trampoline.
  void addBinding(uint32_t Id, const std::string &Owner, void **Slot);
  /// Forgets the slots of Owner bound to the trampoline (its code is gone).
  void forgetBindings(uint32_t Id, const std::string &Owner);
  /// Forgets every binding (shutdown).
  void forgetAllBindings() { Bound.clear(); }

private:
  std::unique_ptr<TrampolinePool> Pool;
  /// Bound slots by trampoline, then by owning module.
  HashMap<uint32_t, HashMap<std::string, std::vector<void **>>> Bound;
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_REDIRECTIONS_H
