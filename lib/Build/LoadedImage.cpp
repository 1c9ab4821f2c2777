//===- LoadedImage.cpp - What of a program the loader maps ----------------===//
//
// Whether a rebuilt host differs from the installed one where it matters to
// a running program: the contents of the sections the loader maps. Symbol
// names, debug information and the build ID are not among them, so an edit
// that only renames what the host calls (Nim's counters) or moves lines
// elsewhere leaves the image the same, and the program need not restart.
//
//===----------------------------------------------------------------------===//

#include "BuilderInternal.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/xxhash.h"

namespace hcr::build {

std::optional<uint64_t> loadedImageHash(const std::string &Path) {
  auto Binary = llvm::object::ObjectFile::createObjectFile(Path);
  if (!Binary) {
    llvm::consumeError(Binary.takeError());
    return std::nullopt;
  }
  const auto *Elf =
      llvm::dyn_cast<llvm::object::ELFObjectFileBase>(Binary->getBinary());
  if (!Elf)
    return std::nullopt;
  std::string Image;
  for (llvm::object::ELFSectionRef S : Elf->sections()) {
    if (!(S.getFlags() & llvm::ELF::SHF_ALLOC) ||
        S.getType() == llvm::ELF::SHT_NOTE)
      continue;
    auto Name = S.getName();
    Image += Name ? Name->str() : "?";
    Image += '\0' + std::to_string(S.getAddress()) + '\0' +
             std::to_string(S.getSize()) + '\0';
    if (S.getType() == llvm::ELF::SHT_NOBITS)
      continue;
    auto Contents = S.getContents();
    if (!Contents) {
      llvm::consumeError(Contents.takeError());
      return std::nullopt;
    }
    Image += *Contents;
  }
  return llvm::xxh3_64bits(Image);
}

} // namespace hcr::build
