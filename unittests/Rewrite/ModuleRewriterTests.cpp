//===- ModuleRewriterTests.cpp - The transform on in-memory code ----------===//

#include "RewriteTestSupport.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

using namespace hcr::rewrite;
using namespace hcr::rewrite::test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

TEST(ModuleRewriterTest, PrototypeBecomesAPointerStatic) {
  Rewritten R = rewriteCode("int f(int);\nint f(int x) { return x; }\n");
  ASSERT_TRUE(R.Result.Succeeded);
  EXPECT_THAT(R.Code, HasSubstr("static int (*f)(int) HCR_SLOT;\n"));
  EXPECT_THAT(R.Code, HasSubstr("static int f_actual(int x) { return x; }"));
}

TEST(ModuleRewriterTest, GlobalBecomesASlotAndItsInitializerMoves) {
  Rewritten R = rewriteCode("int g = 42;\nint get(void) { return g; }\n");
  ASSERT_TRUE(R.Result.Succeeded);
  EXPECT_THAT(R.Code, HasSubstr("static int (*g) HCR_SLOT;\n"));
  EXPECT_THAT(R.Code, HasSubstr("return (*g);"));
  EXPECT_THAT(R.Code, HasSubstr("static __typeof__(*g) hcr_value = 42;"));
  EXPECT_THAT(R.Code, Not(HasSubstr("int g = 42")));
}

TEST(ModuleRewriterTest, LineNumbersAreKept) {
  Rewritten R = rewriteCode("int a;\nint f(void) { return a; }\nint b;\n");
  ASSERT_TRUE(R.Result.Succeeded);
  // The prologue ends with #line 1; every original line keeps its number.
  size_t Start = R.Code.find("#line 1\n") + 8;
  std::string Body = R.Code.substr(Start, R.Code.find("\n/* hcr:") - Start);
  EXPECT_EQ(std::count(Body.begin(), Body.end(), '\n'), 3);
}

TEST(ModuleRewriterTest, IndexListsWhatTheModuleDefinesAndUses) {
  Rewritten R = rewriteCode("extern int other_global;\nint other_fn(void);\n"
                            "static int hidden(void) { return 1; }\n"
                            "int shown;\n"
                            "int api(void) { return other_fn() + "
                            "other_global + hidden(); }\n",
                            "mod");
  ASSERT_TRUE(R.Result.Succeeded);
  const ModuleIndex &I = R.Result.Index;
  EXPECT_EQ(I.Name, "mod");
  EXPECT_EQ(I.MainFile, "/project/mod.c");
  EXPECT_FALSE(I.IsHost);
  EXPECT_THAT(I.Functions, ElementsAre("api"));
  EXPECT_THAT(I.Globals, ElementsAre("shown"));
  EXPECT_THAT(I.References, ElementsAre("other_fn", "other_global"));
}

TEST(ModuleRewriterTest, MainMakesTheModuleTheHost) {
  Rewritten R = rewriteCode("int main(void) { return 0; }\n", "app");
  ASSERT_TRUE(R.Result.Succeeded);
  EXPECT_TRUE(R.Result.Index.IsHost);
  // main stays main: a constructor starts the runtime before it.
  EXPECT_THAT(R.Code, HasSubstr("int main(void) { return 0; }"));
  EXPECT_THAT(R.Code, Not(HasSubstr("main_actual")));
  EXPECT_THAT(R.Code, HasSubstr("hcr_start_host(\"app\""));
}

TEST(ModuleRewriterTest, OtherModulesSymbolsComeFromTheIndex) {
  ProjectIndex Project;
  ModuleIndex Store;
  Store.Name = "store";
  Store.Functions = {"put"};
  Store.Globals = {"size"};
  Project.add(Store);
  Rewritten R = rewriteCode("extern int size;\nint put(int);\n"
                            "int lib(int);\n"
                            "int use(void) { return put(size) + lib(1); }\n",
                            "user", &Project);
  ASSERT_TRUE(R.Result.Succeeded);
  EXPECT_THAT(R.Code, HasSubstr("static int (*put)(int) HCR_SLOT;"));
  EXPECT_THAT(R.Code, HasSubstr("int lib(int);")); // No module defines it.
  EXPECT_THAT(R.Code, HasSubstr("put = (__typeof__(put))hcr_get_proc("
                                "\"store\", \"put\");"));
  EXPECT_THAT(R.Code, HasSubstr("size = (__typeof__(size))hcr_get_global("
                                "\"store\", \"size\");"));
  EXPECT_THAT(R.Code, HasSubstr("hcr_imports[] = {\"store\", 0};"));
}

TEST(ModuleRewriterTest, WithoutTheIndexExternalsAreLeftAlone) {
  Rewritten R = rewriteCode("extern int size;\nint put(int);\n"
                            "int use(void) { return put(size); }\n");
  ASSERT_TRUE(R.Result.Succeeded);
  EXPECT_THAT(R.Code, HasSubstr("extern int size;\nint put(int);"));
  EXPECT_THAT(R.Code, HasSubstr("return put(size);"));
}

TEST(ModuleRewriterTest, OwnCallsAreDirectUnlessAllCallsIndirect) {
  const char *Code = "int f(void) { return 1; }\n"
                     "int g(void) { return f(); }\n";
  EXPECT_THAT(rewriteCode(Code).Code, HasSubstr("return f_actual();"));
  RewriteOptions Indirect;
  Indirect.AllCallsIndirect = true;
  EXPECT_THAT(rewriteCode(Code, "m", nullptr, Indirect).Code,
              HasSubstr("return f();"));
}

TEST(ModuleRewriterTest, NonReloadableFunctionsAreLeftAlone) {
  RewriteOptions Opts;
  Opts.NonReloadable = {"hot"};
  Rewritten R =
      rewriteCode("int hot(void) { return 1; }\n", "m", nullptr, Opts);
  ASSERT_TRUE(R.Result.Succeeded);
  EXPECT_THAT(R.Code, HasSubstr("\nint hot(void) { return 1; }"));
  EXPECT_THAT(R.Code, Not(HasSubstr("hot_actual")));
}

TEST(ModuleRewriterTest, ThreadLocalFailsWithoutEdits) {
  Rewritten R = rewriteCode("_Thread_local int t;\n");
  EXPECT_FALSE(R.Result.Succeeded);
  EXPECT_TRUE(R.Result.Edits.empty());
}

TEST(ModuleRewriterTest, IndexOnlyComputesNoEdit) {
  RewriteOptions Opts;
  Opts.IndexOnly = true;
  Rewritten R =
      rewriteCode("int g;\nint f(void) { return g; }\n", "m", nullptr, Opts);
  EXPECT_TRUE(R.Result.Succeeded);
  EXPECT_TRUE(R.Result.Edits.empty());
  EXPECT_THAT(R.Result.Index.Functions, ElementsAre("f"));
  EXPECT_THAT(R.Result.Index.Globals, ElementsAre("g"));
}

} // namespace
