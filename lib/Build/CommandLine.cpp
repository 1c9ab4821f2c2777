//===- CommandLine.cpp - hcr-build's options, shared with hcr-watch
//--------===//

#include "hcr/Build/Builder.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace hcr::build {

const char *const BuildUsage =
    "-o OUTDIR [--name PROGRAM] [-j N] [-q] [--cc COMPILER]\n"
    "       [--project-root DIR]... [--depfile FILE] [--verify]\n"
    "       [--all-calls-indirect] [--slot-patching] SOURCES...\n"
    "       [-- COMPILER-FLAGS...]\n"
    "Each source is a module (its own shared object); the one defining main\n"
    "is the host, OUTDIR/PROGRAM. Only what changed is rebuilt. The compiler\n"
    "is clang-19 unless --cc or HCR_CC says otherwise.\n";

/// The runtime next to an installed tool (PREFIX/bin, PREFIX/include,
/// PREFIX/lib), else the build tree's, unless the environment says.
static void findRuntime(const char *Argv0, BuildOptions &Opts) {
  static int Anchor;
  std::string Exe = fs::getMainExecutable(Argv0, &Anchor);
  std::string Prefix = path::parent_path(path::parent_path(Exe)).str();
  std::string Include = Prefix + "/" HCR_INSTALL_INCLUDEDIR;
  std::string Library = Prefix + "/" HCR_INSTALL_LIBDIR "/libhcr.so";
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

bool parseCommandLine(int Argc, char **Argv, BuildOptions &Opts,
                      std::string &Err, bool &Help) {
  Help = false;
  if (const char *CC = std::getenv("HCR_CC"))
    Opts.Compiler = CC;
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    auto Value = [&](std::string &Out) {
      if (I + 1 >= Argc) {
        Err = A + " needs a value";
        return false;
      }
      Out = Argv[++I];
      return true;
    };
    std::string V;
    if (A == "--") {
      Opts.CompilerFlags.assign(Argv + I + 1, Argv + Argc);
      break;
    }
    if (A == "-h" || A == "--help") {
      Help = true;
      return true;
    }
    if (A == "-o" || A == "--name" || A == "-j" || A == "--cc" ||
        A == "--project-root" || A == "--depfile") {
      if (!Value(V))
        return false;
      if (A == "-o")
        Opts.OutDir = V;
      else if (A == "--name")
        Opts.ProgramName = V;
      else if (A == "-j")
        Opts.Jobs = std::atoi(V.c_str());
      else if (A == "--cc")
        Opts.Compiler = V;
      else if (A == "--depfile")
        Opts.DepFile = V;
      else
        Opts.ExtraProjectRoots.push_back(V);
    } else if (A.rfind("-j", 0) == 0 && A.size() > 2) {
      Opts.Jobs = std::atoi(A.c_str() + 2);
    } else if (A == "-q") {
      Opts.Quiet = true;
    } else if (A == "--verify") {
      Opts.Verify = true;
    } else if (A == "--all-calls-indirect") {
      Opts.AllCallsIndirect = true;
    } else if (A == "--slot-patching") {
      Opts.SlotPatching = true;
    } else if (!A.empty() && A[0] == '-') {
      Err = "unknown option '" + A + "'";
      return false;
    } else {
      Opts.Sources.push_back(A);
    }
  }
  findRuntime(Argv[0], Opts);
  return true;
}

} // namespace hcr::build
