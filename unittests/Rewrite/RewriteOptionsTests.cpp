//===- RewriteOptionsTests.cpp - The options' serialization --------------===//
//
// hcr-build reuses a module's edits only under the same serialization, so
// every field must change it.
//
//===----------------------------------------------------------------------===//

#include "hcr/Rewrite/ModuleRewriter.h"

#include "gtest/gtest.h"

#include <functional>

using namespace hcr::rewrite;

namespace {

TEST(RewriteOptionsTest, EveryFieldChangesTheSerialization) {
  const std::vector<
      std::pair<const char *, std::function<void(RewriteOptions &)>>>
      Changes = {
          {"ModuleName", [](RewriteOptions &O) { O.ModuleName = "m"; }},
          {"ProjectRoots",
           [](RewriteOptions &O) { O.ProjectRoots = {"/project"}; }},
          {"AllCallsIndirect",
           [](RewriteOptions &O) { O.AllCallsIndirect = true; }},
          {"SlotPatching", [](RewriteOptions &O) { O.SlotPatching = true; }},
          {"NonReloadable",
           [](RewriteOptions &O) { O.NonReloadable = {"hot"}; }},
          {"IndexOnly", [](RewriteOptions &O) { O.IndexOnly = true; }},
      };
  const std::string Default = RewriteOptions().serialize();
  for (const auto &[Field, Change] : Changes) {
    RewriteOptions O;
    Change(O);
    EXPECT_NE(O.serialize(), Default) << Field << " is not serialized";
  }
}

TEST(RewriteOptionsTest, ListsAreSerializedInOrderAndWhole) {
  RewriteOptions A, B;
  A.ProjectRoots = {"/a", "/b"};
  B.ProjectRoots = {"/b", "/a"};
  EXPECT_NE(A.serialize(), B.serialize());
  A.NonReloadable = {"f,g"};
  B.ProjectRoots = A.ProjectRoots;
  B.NonReloadable = {"f", "g"};
  EXPECT_NE(A.serialize(), B.serialize());
}

TEST(RewriteOptionsTest, EqualOptionsSerializeEqually) {
  RewriteOptions A, B;
  A.SlotPatching = B.SlotPatching = true;
  A.ProjectRoots = B.ProjectRoots = {"/p"};
  EXPECT_EQ(A.serialize(), B.serialize());
}

} // namespace
