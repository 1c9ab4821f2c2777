//===- SourceEdits.cpp - Text edits of one translation unit ---------------===//

#include "SourceEdits.h"

#include <algorithm>

namespace hcr::rewrite {

using clang::FileID;

bool SourceEdits::replace(clang::SourceLocation Loc, unsigned Length,
                          llvm::StringRef Text, Rank R) {
  auto [File, Offset] = SM.getDecomposedLoc(Loc);
  FileEdits &F = ByFile[File];
  auto Same = F.AtOffset.find(Offset);
  if (Same != F.AtOffset.end())
    for (const Edit &E : Same->second)
      if (E.Length == Length && E.Text == Text)
        return true; // The same edit again (a macro body, a shared prefix).
  // A replaced range that contains Offset, or starts inside the new one.
  auto Next = F.Replaced.upper_bound(Offset);
  if (Next != F.Replaced.begin()) {
    auto Prev = std::prev(Next);
    bool Inside = Length ? Prev->second > Offset
                         : Prev->first < Offset && Offset < Prev->second;
    if (Inside)
      return false;
  }
  if (Length) {
    if (Next != F.Replaced.end() && Next->first < Offset + Length)
      return false;
    // An insertion strictly inside the text to replace.
    for (auto It = F.AtOffset.upper_bound(Offset);
         It != F.AtOffset.end() && It->first < Offset + Length; ++It)
      if (!It->second.empty())
        return false;
    F.Replaced[Offset] = Offset + Length;
  }
  F.AtOffset[Offset].push_back(
      Edit{Offset, Length, Text.str(), R, NextOrder++});
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

std::vector<SourceEdits::Edit> SourceEdits::editsWithin(const FileEdits &F,
                                                        unsigned Begin,
                                                        unsigned End) const {
  // Insertions exactly at either end belong to the surrounding text.
  std::vector<Edit> Inside;
  for (auto It = F.AtOffset.lower_bound(Begin);
       It != F.AtOffset.end() && It->first <= End; ++It)
    for (const Edit &E : It->second)
      if (E.Offset + E.Length <= End &&
          !(E.Length == 0 && (E.Offset == Begin || E.Offset == End)))
        Inside.push_back(E);
  return Inside;
}

std::string SourceEdits::rewrittenText(FileID File, unsigned Begin,
                                       unsigned End) const {
  llvm::StringRef Buffer = SM.getBufferData(File);
  std::vector<Edit> Inside;
  if (auto It = ByFile.find(File); It != ByFile.end())
    Inside = editsWithin(It->second, Begin, End);
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
  FileEdits &F = It->second;
  for (auto At = F.AtOffset.lower_bound(Begin);
       At != F.AtOffset.end() && At->first <= End;) {
    llvm::erase_if(At->second, [&](const Edit &E) {
      bool Drop = E.Offset + E.Length <= End &&
                  !(E.Length == 0 && (E.Offset == Begin || E.Offset == End));
      if (Drop && E.Length)
        F.Replaced.erase(E.Offset);
      return Drop;
    });
    At = At->second.empty() ? F.AtOffset.erase(At) : std::next(At);
  }
}

std::map<std::string, clang::tooling::Replacements>
SourceEdits::toReplacements() const {
  std::map<std::string, clang::tooling::Replacements> Out;
  for (const auto &[File, F] : ByFile) {
    clang::OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File);
    if (!Entry)
      continue;
    std::string Path = Entry->getName().str();
    std::vector<Edit> All;
    for (const auto &[Offset, Edits] : F.AtOffset)
      All.insert(All.end(), Edits.begin(), Edits.end());
    clang::tooling::Replacements &R = Out[Path];
    for (const Edit &E : merged(std::move(All)))
      llvm::cantFail(
          R.add(clang::tooling::Replacement(Path, E.Offset, E.Length, E.Text)));
  }
  return Out;
}

} // namespace hcr::rewrite
