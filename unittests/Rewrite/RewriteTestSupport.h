//===- RewriteTestSupport.h - Rewriting in-memory code ----------*- C++ -*-===//

#ifndef HCR_UNITTESTS_REWRITE_REWRITETESTSUPPORT_H
#define HCR_UNITTESTS_REWRITE_REWRITETESTSUPPORT_H

#include "hcr/Rewrite/ModuleRewriter.h"

#include <string>

namespace hcr::rewrite::test {

/// The outcome of rewriting one in-memory file.
struct Rewritten {
  ModuleRewrite Result;
  std::string Code; ///< The main file after the edits ("" on failure).
};

/// Rewrites Code as the file /project/<Name>.c.
Rewritten rewriteCode(const std::string &Code, const std::string &Name = "m",
                      const ProjectIndex *Project = nullptr,
                      RewriteOptions Opts = {});

} // namespace hcr::rewrite::test

#endif
