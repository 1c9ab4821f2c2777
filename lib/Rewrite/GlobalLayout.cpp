//===- GlobalLayout.cpp - A kept global's layout, as the runtime reads it -===//

#include "GlobalLayout.h"

#include "clang/AST/RecordLayout.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

using namespace clang;

namespace hcr::rewrite {

static std::string recordName(const RecordDecl *RD) {
  if (!RD->getName().empty())
    return RD->getName().str();
  if (const TypedefNameDecl *T = RD->getTypedefNameForAnonDecl())
    return T->getName().str();
  return "";
}

std::string LayoutWriter::layoutOf(QualType T) {
  T = T.getCanonicalType().getUnqualifiedType();
  uint64_t Bytes = Ctx.getTypeSizeInChars(T).getQuantity();
  if (const auto *ET = T->getAs<EnumType>())
    T = ET->getDecl()->getIntegerType().getCanonicalType();
  if (T->isBooleanType())
    return "b";
  if (T->isIntegerType())
    return (T->isSignedIntegerType() ? "i" : "u") + std::to_string(Bytes);
  if (T->isRealFloatingType())
    return "f" + std::to_string(Bytes);
  if (T->isPointerType())
    return "p" + pointee(T->getPointeeType());
  if (const auto *AT = Ctx.getAsConstantArrayType(T))
    return "[" + std::to_string(AT->getSize().getZExtValue()) + "]" +
           layoutOf(AT->getElementType());
  if (const auto *RT = T->getAs<RecordType>())
    return record(RT->getDecl());
  return "o" + std::to_string(Bytes);
}

std::string LayoutWriter::pointee(QualType T) {
  T = T.getCanonicalType().getUnqualifiedType();
  if (T->isVoidType())
    return "v";
  if (T->isFunctionType())
    return "F";
  if (const auto *RT = T->getAs<RecordType>()) {
    const RecordDecl *RD = RT->getDecl()->getDefinition();
    if (!RD)
      return "r" + recordName(RT->getDecl()) + "#incomplete";
    std::string Name = recordName(RD);
    if (InProgress.lookup(RD))
      return "r" + Name + "#cycle"; // Its own hash is being computed.
    return "r" + Name + "#" +
           llvm::utohexstr(llvm::xxh3_64bits(record(RD)), /*LowerCase=*/true);
  }
  if (T->isIncompleteType())
    return "o0";
  return layoutOf(T);
}

std::string LayoutWriter::record(const RecordDecl *RD) {
  if (const RecordDecl *Def = RD->getDefinition())
    RD = Def;
  auto Known = Records.find(RD);
  if (Known != Records.end())
    return Known->second;
  if (RD->isInvalidDecl() || !RD->isCompleteDefinition())
    return "o0";
  InProgress[RD] = true;
  const ASTRecordLayout &L = Ctx.getASTRecordLayout(RD);
  std::string Out = RD->isUnion() ? "<" : "{";
  Out += std::to_string(L.getSize().getQuantity()) + ";" + recordName(RD) + ";";
  unsigned Index = 0;
  for (const FieldDecl *F : RD->fields()) {
    uint64_t Bits = L.getFieldOffset(F->getFieldIndex());
    std::string Name =
        F->getName().empty() ? "#" + std::to_string(Index) : F->getName().str();
    Out += Name + "@";
    if (F->isBitField())
      Out += std::to_string(Bits) + "!" +
             std::to_string(F->getBitWidthValue(Ctx)) + ":";
    else
      Out += std::to_string(Bits / 8) + ":";
    Out += layoutOf(F->getType()) + ",";
    ++Index;
  }
  Out += RD->isUnion() ? ">" : "}";
  InProgress[RD] = false;
  Records[RD] = Out;
  return Out;
}

} // namespace hcr::rewrite
