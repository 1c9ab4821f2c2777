//===- ProjectIndexTests.cpp - The project index --------------------------===//

#include "hcr/Rewrite/ProjectIndex.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

using namespace hcr::rewrite;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

ModuleIndex module(const char *Name, std::vector<std::string> Functions,
                   std::vector<std::string> Globals) {
  ModuleIndex M;
  M.Name = Name;
  M.MainFile = std::string("/p/") + Name + ".c";
  M.Functions = std::move(Functions);
  M.Globals = std::move(Globals);
  return M;
}

TEST(ProjectIndexTest, OwnersOfFunctionsAndGlobals) {
  ProjectIndex I;
  I.add(module("a", {"fa"}, {"ga"}));
  I.add(module("b", {"fb"}, {}));
  EXPECT_EQ(I.functionOwner("fa"), "a");
  EXPECT_EQ(I.functionOwner("fb"), "b");
  EXPECT_EQ(I.globalOwner("ga"), "a");
  EXPECT_EQ(I.functionOwner("ga"), std::nullopt);
  EXPECT_EQ(I.globalOwner("nothing"), std::nullopt);
}

TEST(ProjectIndexTest, AddingAgainReplacesTheEntry) {
  ProjectIndex I;
  I.add(module("a", {"old"}, {}));
  I.add(module("a", {"new"}, {}));
  EXPECT_EQ(I.functionOwner("old"), std::nullopt);
  EXPECT_EQ(I.functionOwner("new"), "a");
}

TEST(ProjectIndexTest, DuplicateDefinitionsAreListed) {
  ProjectIndex I;
  I.add(module("a", {"twice"}, {}));
  I.add(module("b", {"twice"}, {}));
  EXPECT_THAT(I.duplicateDefinitions(),
              ElementsAre(DuplicateDefinition{"twice", {"a", "b"}}));
}

TEST(ProjectIndexTest, JSONRoundTrip) {
  ProjectIndex I;
  ModuleIndex M = module("a", {"f"}, {"g"});
  M.IsHost = true;
  M.References = {"h"};
  M.Inputs = {FileStamp{"/p/a.c", 12, 345}};
  I.add(M);
  auto Back = ProjectIndex::fromJSON(I.toJSON());
  ASSERT_TRUE(static_cast<bool>(Back)) << llvm::toString(Back.takeError());
  const ModuleIndex *R = Back->module("a");
  ASSERT_NE(R, nullptr);
  EXPECT_TRUE(R->IsHost);
  EXPECT_EQ(R->MainFile, "/p/a.c");
  EXPECT_THAT(R->Functions, ElementsAre("f"));
  EXPECT_THAT(R->Globals, ElementsAre("g"));
  EXPECT_THAT(R->References, ElementsAre("h"));
  ASSERT_EQ(R->Inputs.size(), 1u);
  EXPECT_EQ(R->Inputs[0], (FileStamp{"/p/a.c", 12, 345}));
}

TEST(ProjectIndexTest, MalformedJSONIsAnError) {
  for (const char *Bad :
       {"not json", "{\"version\": 2, \"modules\": []}", "{\"version\": 1}",
        "{\"version\": 1, \"modules\": [{\"name\": \"a\"}]}"}) {
    auto R = ProjectIndex::fromJSON(Bad);
    ASSERT_FALSE(static_cast<bool>(R)) << Bad;
    EXPECT_THAT(llvm::toString(R.takeError()),
                HasSubstr("malformed project index"));
  }
}

} // namespace
