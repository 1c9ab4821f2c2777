//===- HcrBuild.cpp - The hcr-build driver --------------------------------===//
//
// hcr-build -o OUTDIR [options] SOURCES... [-- COMPILER-FLAGS...]; the
// options are lib/Build/CommandLine.cpp's, the build itself lib/Build.
//
//===----------------------------------------------------------------------===//

#include "hcr/Build/Builder.h"

#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace hcr::build;

static int fail(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "hcr-build") << Message << "\n";
  return 1;
}

static const char *const Overview = R"(hcr-build: the reloadable build

Each source is a module (its own shared object); the one defining main is
the host, OUTDIR/PROGRAM. Only what changed is rebuilt. Compiler flags
follow "--". A Nim program: hcr-build -o OUTDIR MAIN.nim [-- NIM-FLAGS...]
runs nim and builds the C that nim's build file lists.
)";

int main(int argc, char **argv) {
  BuildOptions Opts;
  std::string Err;
  if (!parseCommandLine(argc, argv, Overview, Opts, Err))
    return fail(Err + "\nusage: hcr-build " + BuildUsage);
  auto Result = build(Opts, llvm::errs());
  if (!Result)
    return fail(llvm::toString(Result.takeError()));
  return 0;
}
