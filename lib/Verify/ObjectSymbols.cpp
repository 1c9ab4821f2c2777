//===- ObjectSymbols.cpp - What a module's object file defines and needs --===//

#include "ObjectSymbols.h"

#include "hcr/hcr.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"

using namespace llvm;

namespace hcr::verify {

bool isEntryPoint(StringRef Name) {
#define HCR_IS_ENTRY_POINT_(name, type, what)                                  \
  if (Name == HCR_MODULE_PREFIX #name)                                         \
    return true;
  HCR_MODULE_ENTRY_POINTS(HCR_IS_ENTRY_POINT_)
#undef HCR_IS_ENTRY_POINT_
  return Name == HCR_MODULE_ABI_VERSION_SYMBOL;
}

Expected<ObjectSymbols> readSymbols(MemoryBufferRef Buffer) {
  auto Obj = object::ObjectFile::createObjectFile(Buffer);
  if (!Obj)
    return Obj.takeError();
  const auto *ELF = dyn_cast<object::ELFObjectFileBase>(Obj->get());
  if (!ELF || !ELF->isRelocatableObject())
    return createStringError(inconvertibleErrorCode(),
                             "'" + Buffer.getBufferIdentifier() +
                                 "' is not a relocatable ELF object "
                                 "(hcr-build --verify keeps them)");
  ObjectSymbols S;
  for (const object::ELFSymbolRef &Sym : ELF->symbols()) {
    Expected<uint32_t> Flags = Sym.getFlags();
    Expected<StringRef> Name = Sym.getName();
    if (!Flags || !Name) {
      consumeError(Flags.takeError());
      consumeError(Name.takeError());
      continue;
    }
    if (Name->empty() || !(*Flags & object::SymbolRef::SF_Global))
      continue;
    if (*Flags & object::SymbolRef::SF_Undefined) {
      S.Undefined.insert(Name->str());
      continue;
    }
    S.Defined.insert(Name->str());
    if ((Sym.getOther() & 0x3) == ELF::STV_DEFAULT)
      S.Exported.insert(Name->str());
  }
  return S;
}

} // namespace hcr::verify
