//===- RewriteTestSupport.cpp - Rewriting in-memory code ------------------===//

#include "RewriteTestSupport.h"

#include "clang/Tooling/Tooling.h"

namespace hcr::rewrite::test {

Rewritten rewriteCode(const std::string &Code, const std::string &Name,
                      const ProjectIndex *Project, RewriteOptions Opts) {
  Rewritten Out;
  std::vector<ModuleRewrite> Results;
  auto Factory = newRewriteActionFactory(Opts, Project, Results);
  std::string Path = "/project/" + Name + ".c";
  clang::tooling::runToolOnCodeWithArgs(Factory->create(), Code,
                                        {"-std=c11", "-fsyntax-only"}, Path);
  if (Results.size() != 1)
    return Out;
  Out.Result = std::move(Results.front());
  auto It = Out.Result.Edits.find(Path);
  if (Out.Result.Succeeded && It != Out.Result.Edits.end()) {
    auto Text = applyEdits(Code, It->second);
    if (Text)
      Out.Code = *Text;
    else
      llvm::consumeError(Text.takeError());
  }
  return Out;
}

} // namespace hcr::rewrite::test
