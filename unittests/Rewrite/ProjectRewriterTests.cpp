//===- ProjectRewriterTests.cpp - rewriteProject over files on disk ------===//

#include "hcr/Rewrite/ProjectRewriter.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

using namespace hcr::rewrite;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

namespace {

/// A project in a fresh directory, rewritten with flags -std=c11.
class ProjectRewriterTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> Path;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("hcr-project", Path));
    Dir = std::string(Path);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }
  std::string write(const std::string &Name, const std::string &Text) {
    std::string Path = Dir + "/" + Name;
    std::error_code EC;
    llvm::raw_fd_ostream(Path, EC) << Text;
    return Path;
  }
  ProjectRewriteInput input(std::vector<std::string> Sources) {
    ProjectRewriteInput In;
    In.Sources = std::move(Sources);
    In.Options.ProjectRoots = {Dir};
    return In;
  }
  llvm::Expected<ProjectRewrite> rewrite(ProjectRewriteInput In) {
    return rewriteProject(DB, std::move(In));
  }

  std::string Dir;
  clang::tooling::FixedCompilationDatabase DB{".", {"-std=c11"}};
};

TEST_F(ProjectRewriterTest, EveryModuleKnowsTheOwnersFromTheFirstRewrite) {
  std::string Lib = write("lib.c", "int twice(int x) { return 2 * x; }\n");
  std::string Main = write("main.c", "int twice(int);\n"
                                     "int main(void) { return twice(0); }\n");
  auto R = rewrite(input({Main, Lib}));
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  EXPECT_THAT(R->Rewritten,
              ElementsAre(Pair("lib", "new"), Pair("main", "new")));
  EXPECT_THAT(R->Texts[Main], HasSubstr("hcr_get_proc(\"lib\", \"twice\")"));
  EXPECT_THAT(R->Texts[Lib], HasSubstr("static int twice_actual(int x)"));
}

TEST_F(ProjectRewriterTest, UnchangedModulesReuseTheirEdits) {
  std::string Lib = write("lib.c", "int twice(int x) { return 2 * x; }\n");
  std::string Main = write("main.c", "int twice(int);\n"
                                     "int main(void) { return twice(0); }\n");
  auto First = rewrite(input({Main, Lib}));
  ASSERT_TRUE(bool(First)) << llvm::toString(First.takeError());
  ProjectRewriteInput Again = input({Main, Lib});
  Again.Index = First->Index;
  Again.PreviousEdits = First->Edits;
  auto Second = rewrite(std::move(Again));
  ASSERT_TRUE(bool(Second)) << llvm::toString(Second.takeError());
  EXPECT_TRUE(Second->Rewritten.empty());
  EXPECT_EQ(Second->Texts, First->Texts);
}

TEST_F(ProjectRewriterTest, AModuleWithoutEarlierEditsIsRewritten) {
  std::string Lib = write("lib.c", "int twice(int x) { return 2 * x; }\n");
  std::string Main = write("main.c", "int main(void) { return 0; }\n");
  auto First = rewrite(input({Main, Lib}));
  ASSERT_TRUE(bool(First)) << llvm::toString(First.takeError());
  ProjectRewriteInput Again = input({Main, Lib});
  Again.Index = First->Index;
  Again.PreviousEdits["lib"] = First->Edits["lib"];
  auto Second = rewrite(std::move(Again));
  ASSERT_TRUE(bool(Second)) << llvm::toString(Second.takeError());
  EXPECT_THAT(Second->Rewritten, ElementsAre(Pair("main", "not built yet")));
}

TEST_F(ProjectRewriterTest, TwoDefinitionsOfOneNameAreAnError) {
  std::string A = write("a.c", "int twice(int x) { return 2 * x; }\n");
  std::string B = write("b.c", "int twice(int x) { return x + x; }\n");
  llvm::Expected<ProjectRewrite> R = rewrite(input({A, B}));
  ASSERT_FALSE(bool(R));
  EXPECT_EQ(llvm::toString(R.takeError()),
            "'twice' is defined by more than one module: a b");
}

TEST_F(ProjectRewriterTest, AFailedModuleIsReportedAsSuch) {
  std::string Bad = write("bad.c", "_Thread_local int t;\n");
  llvm::Expected<ProjectRewrite> R = rewrite(input({Bad}));
  ASSERT_FALSE(bool(R));
  bool Failed = false;
  llvm::handleAllErrors(
      R.takeError(), [&](const RewriteFailed &F) { Failed = F.File == Bad; });
  EXPECT_TRUE(Failed);
}

} // namespace
