//===- GlobalLayout.h - A kept global's layout, as the runtime reads it -*- C++
//-*-===//
//
// The layout of a global or static local's type, written as a string the
// runtime compares at each registration (docs/ModuleABI.md, "Layouts"):
// equal layouts keep the bytes; different ones are migrated field by field
// or refused (lib/Runtime/LayoutMigration.cpp). Grammar:
//   layout  := 'i'N | 'u'N | 'f'N | 'b'     integers (signed, unsigned),
//                                           floating, bool; N bytes; an
//                                           enum is its integer type
//            | 'p' pointee                  pointer
//            | '[' count ']' layout         array
//            | '{' size ';' name ';' field* '}'  struct
//            | '<' size ';' name ';' field* '>'  union
//            | 'o' size                     anything else: opaque bytes
//   pointee := layout of a non-record | 'v' (void) | 'F' (a function)
//            | 'r' name '#' hash            a record, by its name and the
//                                           hash of its own layout
//   field   := name '@' offset ':' layout ','          (offset in bytes)
//            | name '@' bitoffset '!' width ':' layout ','  (a bit-field)
// Unnamed members are named '#' and their index.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_REWRITE_GLOBALLAYOUT_H
#define HCR_LIB_REWRITE_GLOBALLAYOUT_H

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"

#include <string>

namespace hcr::rewrite {

class LayoutWriter {
public:
  explicit LayoutWriter(clang::ASTContext &Ctx) : Ctx(Ctx) {}
  /// The layout of T.
  std::string layoutOf(clang::QualType T);

private:
  std::string pointee(clang::QualType T);
  std::string record(const clang::RecordDecl *RD);
  clang::ASTContext &Ctx;
  /// Each record's layout, computed once (pointers make a graph).
  llvm::DenseMap<const clang::RecordDecl *, std::string> Records;
  /// Records being written: a pointer back to one is cut by name.
  llvm::DenseMap<const clang::RecordDecl *, bool> InProgress;
};

} // namespace hcr::rewrite

#endif // HCR_LIB_REWRITE_GLOBALLAYOUT_H
