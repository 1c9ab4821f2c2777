//===- SourceEdits.cpp - Text edits of one translation unit
//----------------===//

#include "SourceEdits.h"

#include <algorithm>

namespace hcr::rewrite {

using clang::FileID;

bool SourceEdits::replace(clang::SourceLocation Loc, unsigned Length,
                          llvm::StringRef Text, Rank R) {
  auto [File, Offset] = SM.getDecomposedLoc(Loc);
  std::vector<Edit> &Edits = ByFile[File];
  for (const Edit &E : Edits) {
    if (E.Offset == Offset && E.Length == Length && E.Text == Text)
      return true; // The same edit again (a macro body, a shared prefix).
    bool Overlap = Length && E.Length && Offset < E.Offset + E.Length &&
                   E.Offset < Offset + Length;
    bool InsideReplaced = !Length && E.Length && Offset > E.Offset &&
                          Offset < E.Offset + E.Length;
    bool ReplacesInsertion =
        Length && !E.Length && E.Offset > Offset && E.Offset < Offset + Length;
    if (Overlap || InsideReplaced || ReplacesInsertion)
      return false;
  }
  Edits.push_back(Edit{Offset, Length, Text.str(), R, NextOrder++});
  return true;
}

std::vector<SourceEdits::Edit> SourceEdits::merged(std::vector<Edit> Edits) {
  // Insertions before a replacement at the same offset, each in the order
  // made; then consecutive insertions become one.
  std::sort(Edits.begin(), Edits.end(), [](const Edit &A, const Edit &B) {
    if (A.Offset != B.Offset)
      return A.Offset < B.Offset;
    if ((A.Length == 0) != (B.Length == 0))
      return A.Length == 0;
    if (A.Placement != B.Placement)
      return A.Placement < B.Placement;
    return A.Order < B.Order;
  });
  std::vector<Edit> Out;
  for (Edit &E : Edits) {
    if (!Out.empty() && Out.back().Offset == E.Offset &&
        Out.back().Length == 0) {
      Out.back().Text += E.Text;
      Out.back().Length = E.Length;
      continue;
    }
    Out.push_back(std::move(E));
  }
  return Out;
}

std::string SourceEdits::rewrittenText(FileID File, unsigned Begin,
                                       unsigned End) const {
  llvm::StringRef Buffer = SM.getBufferData(File);
  std::vector<Edit> Inside;
  if (auto It = ByFile.find(File); It != ByFile.end())
    for (const Edit &E : It->second)
      if (E.Offset >= Begin && E.Offset + E.Length <= End &&
          !(E.Length == 0 && (E.Offset == Begin || E.Offset == End)))
        Inside.push_back(E);
  std::string Out;
  unsigned At = Begin;
  for (const Edit &E : merged(std::move(Inside))) {
    Out += Buffer.substr(At, E.Offset - At);
    Out += E.Text;
    At = E.Offset + E.Length;
  }
  Out += Buffer.substr(At, End - At);
  return Out;
}

void SourceEdits::dropWithin(FileID File, unsigned Begin, unsigned End) {
  auto It = ByFile.find(File);
  if (It == ByFile.end())
    return;
  llvm::erase_if(It->second, [&](const Edit &E) {
    return E.Offset >= Begin && E.Offset + E.Length <= End &&
           !(E.Length == 0 && (E.Offset == Begin || E.Offset == End));
  });
}

std::map<std::string, clang::tooling::Replacements>
SourceEdits::toReplacements() const {
  std::map<std::string, clang::tooling::Replacements> Out;
  for (const auto &[File, Edits] : ByFile) {
    clang::OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File);
    if (!Entry)
      continue;
    std::string Path = Entry->getName().str();
    clang::tooling::Replacements &R = Out[Path];
    for (const Edit &E : merged(Edits))
      llvm::cantFail(
          R.add(clang::tooling::Replacement(Path, E.Offset, E.Length, E.Text)));
  }
  return Out;
}

} // namespace hcr::rewrite
