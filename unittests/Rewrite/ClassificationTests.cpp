//===- ClassificationTests.cpp - Which symbols the rewrite changes -------===//
//
// The decisions alone, on a parsed AST: no edit is made.
//
//===----------------------------------------------------------------------===//

#include "RewriteInternal.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace hcr::rewrite;

namespace {

/// Code parsed as module "m"; every location is the project's.
class Classified {
public:
  explicit Classified(const std::string &Code,
                      const ProjectIndex *Project = nullptr,
                      std::vector<std::string> Excluded = {})
      : AST(tooling::buildASTFromCodeWithArgs(Code, {"-std=c11"}, "m.c")) {
    for (const std::string &E : Excluded)
      NonReloadable.insert(E);
    C.Module = "m";
    C.Project = Project;
    C.NonReloadable = &NonReloadable;
    C.IsProjectLoc = [](SourceLocation L) { return L.isValid(); };
    C.InMainFile = [](SourceLocation L) { return L.isValid(); };
  }
  template <typename T> const T *find(llvm::StringRef Name) {
    auto Found =
        match(namedDecl(hasName(Name)).bind("d"), AST->getASTContext());
    return Found.empty() ? nullptr : Found.front().getNodeAs<T>("d");
  }
  FunctionDecision function(llvm::StringRef Name) {
    return classifyFunction(find<FunctionDecl>(Name), C);
  }
  VariableDecision variable(llvm::StringRef Name) {
    return classifyVariable(find<VarDecl>(Name), AST->getASTContext(), C);
  }

private:
  std::unique_ptr<ASTUnit> AST;
  llvm::StringSet<> NonReloadable;
  ClassifyContext C;
};

ProjectIndex storeDefines(std::vector<std::string> Functions,
                          std::vector<std::string> Globals) {
  ProjectIndex Project;
  ModuleIndex Store;
  Store.Name = "store";
  Store.Functions = std::move(Functions);
  Store.Globals = std::move(Globals);
  Project.add(Store);
  return Project;
}

TEST(ClassificationTest, ADefinedFunctionIsOwn) {
  FunctionDecision D = Classified("int f(void) { return 1; }").function("f");
  EXPECT_EQ(D.What, Verdict::Own);
  EXPECT_EQ(D.Owner, "m");
}

TEST(ClassificationTest, MainAndInlineFunctionsAreLeftAlone) {
  Classified C("inline int i(void) { return 1; }\n"
               "int main(void) { return i(); }\n");
  EXPECT_EQ(C.function("main").What, Verdict::LeaveAlone);
  EXPECT_EQ(C.function("i").What, Verdict::LeaveAlone);
}

TEST(ClassificationTest, NonReloadableFunctionsAreLeftAlone) {
  Classified Listed("int f(void) { return 1; }", nullptr, {"f"});
  EXPECT_EQ(Listed.function("f").What, Verdict::LeaveAlone);
  Classified Marked("__attribute__((annotate(\"hcr_non_reloadable\"))) "
                    "int f(void) { return 1; }");
  EXPECT_EQ(Marked.function("f").What, Verdict::LeaveAlone);
}

TEST(ClassificationTest, ADeclaredFunctionIsItsOwnersOrALibrarys) {
  ProjectIndex Project = storeDefines({"put"}, {});
  Classified C("int put(int);\nint lib(int);\n", &Project);
  FunctionDecision Put = C.function("put");
  EXPECT_EQ(Put.What, Verdict::Imported);
  EXPECT_EQ(Put.Owner, "store");
  EXPECT_EQ(C.function("lib").What, Verdict::LeaveAlone);
  EXPECT_EQ(Classified("int put(int);").function("put").What,
            Verdict::LeaveAlone); // Without an index.
}

TEST(ClassificationTest, GlobalsAreOwnOrImported) {
  ProjectIndex Project = storeDefines({}, {"size"});
  Classified C("extern int size;\nint mine = 1;\nint tentative;\n", &Project);
  EXPECT_EQ(C.variable("mine").What, Verdict::Own);
  EXPECT_EQ(C.variable("tentative").What, Verdict::Own);
  VariableDecision Size = C.variable("size");
  EXPECT_EQ(Size.What, Verdict::Imported);
  EXPECT_EQ(Size.Owner, "store");
}

TEST(ClassificationTest, ConstDataIsReloadedWithTheCodeUnlessExported) {
  Classified C("static const int k = 1;\nconst int shared[2] = {1, 2};\n");
  EXPECT_EQ(C.variable("k").What, Verdict::LeaveAlone);
  VariableDecision Shared = C.variable("shared");
  EXPECT_EQ(Shared.What, Verdict::Own);
  EXPECT_TRUE(Shared.AlwaysInit);
}

TEST(ClassificationTest, ALocalStaticIsHoistedUnlessConst) {
  Classified C("int f(void) { static int n; static const int k = 2; "
               "int local = 0; return n + k + local; }");
  VariableDecision N = C.variable("n");
  EXPECT_EQ(N.What, Verdict::Own);
  EXPECT_TRUE(N.Hoisted);
  EXPECT_EQ(N.Function, "f");
  EXPECT_EQ(C.variable("k").What, Verdict::LeaveAlone);
  EXPECT_EQ(C.variable("local").What, Verdict::LeaveAlone);
}

TEST(ClassificationTest, AThreadLocalGlobalCannotBeReloadable) {
  VariableDecision D = Classified("_Thread_local int t;").variable("t");
  EXPECT_EQ(D.What, Verdict::ThreadLocal);
  EXPECT_TRUE(D.Culprit.isValid());
}

TEST(ClassificationTest, AProjectSymbolDeclaredOutsideTheProjectIsAnError) {
  ClassifyContext Ctx; // Only the definition's line is the project's.
  std::unique_ptr<ASTUnit> AST = tooling::buildASTFromCodeWithArgs(
      "int f(void);\nint f(void) { return 1; }", {"-std=c11"}, "m.c");
  const SourceManager &SM = AST->getSourceManager();
  Ctx.Module = "m";
  Ctx.IsProjectLoc = [&](SourceLocation L) {
    return SM.getSpellingLineNumber(L) == 2;
  };
  Ctx.InMainFile = [](SourceLocation) { return true; };
  auto Found = match(functionDecl(hasName("f"), isDefinition()).bind("f"),
                     AST->getASTContext());
  ASSERT_FALSE(Found.empty());
  FunctionDecision D =
      classifyFunction(Found.front().getNodeAs<FunctionDecl>("f"), Ctx);
  EXPECT_EQ(D.What, Verdict::DeclaredOutsideProject);
  EXPECT_EQ(SM.getSpellingLineNumber(D.Culprit), 1u);
}

TEST(ClassificationTest, AsmMentionsAreWholeIdentifiers) {
  EXPECT_TRUE(mentions("incl counter(%rip)", "counter"));
  EXPECT_FALSE(mentions("incl counters(%rip)", "counter"));
  EXPECT_FALSE(mentions("call my_counter", "counter"));
}

} // namespace
