//===- SymbolTable.cpp - The permanent procs and globals ------------------===//

#include "SymbolTable.h"

#include <cstdlib>
#include <cstring>

namespace hcr {

std::string describe(const char *What, const SymbolKey &Key) {
  return std::string(What) + " '" + Key.second + "' of module '" + Key.first +
         "'";
}

ProcRecord *SymbolTable::findProc(const SymbolKey &Key) {
  auto It = Procs.find(Key);
  return It == Procs.end() ? nullptr : &It->second;
}

GlobalRecord *SymbolTable::findGlobal(const SymbolKey &Key) {
  auto It = Globals.find(Key);
  return It == Globals.end() ? nullptr : &It->second;
}

Status SymbolTable::procRecord(const SymbolKey &Key, Redirections &R,
                               ProcRecord *&Out) {
  if ((Out = findProc(Key)))
    return Status::success();
  uint32_t Id;
  if (Status S = R.createStub(Id); !S.ok())
    return S;
  TrampolineOwners.push_back(Key);
  Out = &Procs[Key];
  Out->Trampoline = Id;
  return Status::success();
}

const SymbolKey *SymbolTable::ownerOf(uint32_t Trampoline) const {
  return Trampoline < TrampolineOwners.size() ? &TrampolineOwners[Trampoline]
                                              : nullptr;
}

void SymbolTable::addGlobal(const SymbolKey &Key, GlobalRecord Record) {
  Globals[Key] = std::move(Record);
}

void *SymbolTable::removeGlobal(const SymbolKey &Key) {
  auto It = Globals.find(Key);
  if (It == Globals.end())
    return nullptr;
  void *Storage = It->second.Storage;
  Globals.erase(It);
  return Storage;
}

void *SymbolTable::allocateGlobal(size_t Size, size_t Align, size_t *Capacity) {
  void *Mem = nullptr;
  size_t Bytes = (Size + 64 + 15) & ~size_t(15);
  if (posix_memalign(&Mem, Align < sizeof(void *) ? sizeof(void *) : Align,
                     Bytes) != 0)
    return nullptr;
  std::memset(Mem, 0, Bytes);
  if (Capacity)
    *Capacity = Bytes;
  return Mem;
}

} // namespace hcr
