//===- HcrBuild.cpp - The hcr-build driver
//----------------------------------===//
//
//   hcr-build -o OUTDIR [--name PROGRAM] [-j N] [-q] [--cc COMPILER]
//             [--project-root DIR]... SOURCES... [-- COMPILER-FLAGS...]
//
// Options and where the runtime is; the build itself is lib/Build.
//
//===----------------------------------------------------------------------===//

#include "hcr/Build/Builder.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <string>

using namespace hcr::build;
namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

static const char Usage[] =
    "usage: hcr-build -o OUTDIR [--name PROGRAM] [-j N] [-q] [--cc COMPILER]\n"
    "                 [--project-root DIR]... SOURCES... [-- "
    "COMPILER-FLAGS...]\n"
    "Builds a C program for hot reloading: each source is a module (its own\n"
    "shared object); the one defining main is the host, OUTDIR/PROGRAM.\n"
    "Run it again after an edit: only what changed is rebuilt.\n";

static int fail(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "hcr-build") << Message << "\n";
  return 1;
}

/// The runtime next to an installed hcr-build (PREFIX/bin, PREFIX/include,
/// PREFIX/lib), else the build tree's, unless the environment says.
static void findRuntime(const char *Argv0, BuildOptions &Opts) {
  std::string Exe = llvm::sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&findRuntime));
  std::string Prefix = path::parent_path(path::parent_path(Exe)).str();
  std::string Include = Prefix + "/include";
  std::string Library = Prefix + "/lib/libhcr.so";
  if (!fs::exists(Include + "/hcr/hcr.h") || !fs::exists(Library)) {
    Include = HCR_BUILD_TREE_INCLUDE_DIR;
    Library = HCR_BUILD_TREE_RUNTIME;
  }
  if (const char *I = std::getenv("HCR_INCLUDE_DIR"))
    Include = I;
  if (const char *L = std::getenv("HCR_RUNTIME_LIBRARY"))
    Library = L;
  Opts.RuntimeIncludeDir = Include;
  Opts.RuntimeLibrary = Library;
}

int main(int argc, char **argv) {
  BuildOptions Opts;
  if (const char *CC = std::getenv("HCR_CC"))
    Opts.Compiler = CC;
  for (int I = 1; I < argc; ++I) {
    std::string A = argv[I];
    auto Value = [&](const char *Name) -> const char * {
      if (I + 1 >= argc) {
        fail(llvm::Twine(Name) + " needs a value");
        std::exit(2);
      }
      return argv[++I];
    };
    if (A == "--") {
      Opts.CompilerFlags.assign(argv + I + 1, argv + argc);
      break;
    }
    if (A == "-h" || A == "--help") {
      llvm::outs() << Usage;
      return 0;
    }
    if (A == "-o")
      Opts.OutDir = Value("-o");
    else if (A == "--name")
      Opts.ProgramName = Value("--name");
    else if (A == "-j")
      Opts.Jobs = std::atoi(Value("-j"));
    else if (A.rfind("-j", 0) == 0 && A.size() > 2)
      Opts.Jobs = std::atoi(A.c_str() + 2);
    else if (A == "-q")
      Opts.Quiet = true;
    else if (A == "--cc")
      Opts.Compiler = Value("--cc");
    else if (A == "--project-root")
      Opts.ExtraProjectRoots.push_back(Value("--project-root"));
    else if (!A.empty() && A[0] == '-')
      return fail("unknown option '" + A + "'\n" + Usage);
    else
      Opts.Sources.push_back(A);
  }
  findRuntime(argv[0], Opts);
  auto Result = build(Opts, llvm::errs());
  if (!Result)
    return fail(llvm::toString(Result.takeError()));
  return 0;
}
