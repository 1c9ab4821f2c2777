//===- SourceEditsTests.cpp - Edits by offset -----------------------------===//

#include "SourceEdits.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Tooling/Core/Replacement.h"

#include "gtest/gtest.h"

using namespace clang;
using hcr::rewrite::SourceEdits;

namespace {

class SourceEditsTest : public ::testing::Test {
protected:
  SourceEditsTest()
      : Files(FileSystemOptions()),
        Diags(new DiagnosticIDs(), new DiagnosticOptions()), SM(Diags, Files) {
    FileEntryRef Entry = Files.getVirtualFileRef("t.c", Text.size(), 0);
    SM.overrideFileContents(Entry, llvm::MemoryBuffer::getMemBuffer(Text));
    File = SM.createFileID(Entry, SourceLocation(), SrcMgr::C_User);
  }
  SourceLocation at(unsigned Offset) {
    return SM.getLocForStartOfFile(File).getLocWithOffset(Offset);
  }
  /// The whole file with the edits, through Replacements as drivers do.
  std::string apply(const SourceEdits &E) {
    auto R = E.toReplacements();
    if (R.empty())
      return Text;
    EXPECT_EQ(R.size(), 1u);
    auto Out = tooling::applyAllReplacements(Text, R.begin()->second);
    EXPECT_TRUE(static_cast<bool>(Out));
    return Out ? *Out : "";
  }

  std::string Text = "int x = 1;";
  FileManager Files;
  DiagnosticsEngine Diags;
  SourceManager SM;
  FileID File;
};

TEST_F(SourceEditsTest, TheSameEditTwiceIsKeptOnce) {
  SourceEdits E(SM);
  EXPECT_TRUE(E.replace(at(4), 1, "(*x)"));
  EXPECT_TRUE(E.replace(at(4), 1, "(*x)"));
  EXPECT_EQ(apply(E), "int (*x) = 1;");
}

TEST_F(SourceEditsTest, DifferentEditsOfTheSameTextConflict) {
  SourceEdits E(SM);
  EXPECT_TRUE(E.replace(at(4), 1, "(*x)"));
  EXPECT_FALSE(E.replace(at(4), 1, "y"));
  EXPECT_FALSE(E.replace(at(0), 5, "")) << "overlaps (*x)";
  EXPECT_TRUE(E.replace(at(0), 3, "long"));
  EXPECT_FALSE(E.insert(at(1), "z")) << "inside a replaced range";
  EXPECT_EQ(apply(E), "long (*x) = 1;");
}

TEST_F(SourceEditsTest, InsertionsAreOrderedByRankThenOrder) {
  SourceEdits E(SM);
  EXPECT_TRUE(E.insert(at(0), "static "));
  EXPECT_TRUE(E.insert(at(0), "decl1; ", SourceEdits::Declaration));
  EXPECT_TRUE(E.insert(at(0), "#prologue\n", SourceEdits::First));
  EXPECT_TRUE(E.insert(at(0), "decl2; ", SourceEdits::Declaration));
  EXPECT_TRUE(E.replace(at(0), 3, "long"));
  EXPECT_EQ(apply(E), "#prologue\ndecl1; decl2; static long x = 1;");
}

TEST_F(SourceEditsTest, MovedTextCarriesItsEdits) {
  SourceEdits E(SM);
  EXPECT_TRUE(E.replace(at(8), 1, "(*y)"));
  EXPECT_EQ(E.rewrittenText(File, 8, 9), "(*y)");
  E.dropWithin(File, 6, 9);
  EXPECT_TRUE(E.replace(at(6), 3, ""));
  EXPECT_EQ(apply(E), "int x ;");
}

TEST_F(SourceEditsTest, ReplacementsNameTheFile) {
  SourceEdits E(SM);
  EXPECT_TRUE(E.insert(at(0), "static "));
  EXPECT_TRUE(E.replace(at(4), 1, "(*x)"));
  auto R = E.toReplacements();
  ASSERT_EQ(R.size(), 1u);
  EXPECT_EQ(R.begin()->first, "t.c");
  EXPECT_EQ(apply(E), "static int (*x) = 1;");
}

} // namespace
