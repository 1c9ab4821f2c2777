//===- Redirections.cpp - Where calls to a proc go ------------------------===//

#include "Redirections.h"

namespace hcr {

void Redirections::store(void **Slot, void *Fn) {
  // Other threads call through these slots: one aligned store each.
  __atomic_store_n(Slot, Fn, __ATOMIC_RELEASE);
}

void Redirections::redirect(uint32_t Id, void *Fn) {
  Pool->retarget(Id, Fn);
  if (auto It = Bound.find(Id); It != Bound.end())
    for (auto &[Owner, Slots] : It->second)
      for (void **Slot : Slots)
        store(Slot, Fn);
}

void Redirections::kill(uint32_t Id) {
  Pool->kill(Id);
  // Should a bound slot remain, it reaches the dead path too, never
  // unloaded code.
  redirect(Id, Pool->target(Id));
}

void Redirections::addBinding(uint32_t Id, const std::string &Owner,
                              void **Slot) {
  Bound[Id][Owner].push_back(Slot);
}

void Redirections::forgetBindings(uint32_t Id, const std::string &Owner) {
  auto It = Bound.find(Id);
  if (It == Bound.end())
    return;
  It->second.erase(Owner);
  if (It->second.empty())
    Bound.erase(It);
}

} // namespace hcr
