//===- SourceEdits.h - Text edits of one translation unit -------*- C++ -*-===//
//
// Collects the rewrite's edits by file offset. The same edit reached twice
// (a macro body expanded in many places) is kept once; two different edits
// of the same text are a conflict. Text that the rewrite moves elsewhere (a
// global's initializer) is read back with the edits inside it applied.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_REWRITE_SOURCEEDITS_H
#define HCR_LIB_REWRITE_SOURCEEDITS_H

#include "clang/Basic/SourceManager.h"
#include "clang/Tooling/Core/Replacement.h"
#include "llvm/ADT/DenseMap.h"

#include <map>
#include <string>
#include <vector>

namespace hcr::rewrite {

class SourceEdits {
public:
  explicit SourceEdits(const clang::SourceManager &SM) : SM(SM) {}

  /// Where an insertion goes among others at the same offset: the file's
  /// prologue first, then whole declarations placed before a declaration,
  /// then edits of the declaration itself; each rank in the order made.
  enum Rank { First, Declaration, InPlace };

  /// Replaces Length bytes at file location Loc. False on a conflict.
  bool replace(clang::SourceLocation Loc, unsigned Length, llvm::StringRef Text,
               Rank R = InPlace);
  /// Inserts Text at Loc. Identical insertions at one place are kept once.
  bool insert(clang::SourceLocation Loc, llvm::StringRef Text,
              Rank R = InPlace) {
    return replace(Loc, 0, Text, R);
  }
  /// The text of [Begin, End) in File with the edits inside it applied.
  std::string rewrittenText(clang::FileID File, unsigned Begin,
                            unsigned End) const;
  /// Forgets the edits inside [Begin, End) (text that moves elsewhere).
  void dropWithin(clang::FileID File, unsigned Begin, unsigned End);
  /// The edits as Replacements, by file path.
  std::map<std::string, clang::tooling::Replacements> toReplacements() const;

private:
  struct Edit {
    unsigned Offset, Length;
    std::string Text;
    Rank Placement;
    unsigned Order;
  };
  /// One file's edits, ordered by offset so that every operation looks only
  /// at the edits near it (a large module has tens of thousands).
  struct FileEdits {
    std::map<unsigned, std::vector<Edit>> AtOffset;
    std::map<unsigned, unsigned> Replaced; ///< Begin -> end, disjoint.
  };
  static std::vector<Edit> merged(std::vector<Edit> Edits);
  std::vector<Edit> editsWithin(const FileEdits &F, unsigned Begin,
                                unsigned End) const;

  const clang::SourceManager &SM;
  llvm::DenseMap<clang::FileID, FileEdits> ByFile;
  unsigned NextOrder = 0;
};

} // namespace hcr::rewrite

#endif
