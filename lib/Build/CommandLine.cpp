//===- CommandLine.cpp - hcr-build's options, shared with hcr-watch -------===//
//
// llvm::cl options in one category; compiler flags follow "--". The runtime
// (<hcr/hcr.h>, libhcr.so) is found from the tool's own path.
//
//===----------------------------------------------------------------------===//

#include "hcr/Build/Builder.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

namespace cl = llvm::cl;
namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace hcr::build {

const char *const BuildUsage =
    "-o OUTDIR [options] SOURCES... [-- COMPILER-FLAGS...] (see --help)\n";

cl::OptionCategory BuildCategory("hcr-build options");
static cl::opt<std::string> OutDir("o", cl::desc("Output directory"),
                                   cl::value_desc("outdir"),
                                   cl::cat(BuildCategory));
static cl::opt<std::string>
    ProgramName("name", cl::desc("Name of the program (default: the host's)"),
                cl::value_desc("program"), cl::cat(BuildCategory));
static cl::opt<unsigned>
    Jobs("j", cl::desc("Compiler runs at once (default: the number of cores)"),
         cl::value_desc("N"), cl::Prefix, cl::cat(BuildCategory));
static cl::opt<bool> Quiet("q", cl::desc("Print errors only"),
                           cl::cat(BuildCategory));
static cl::opt<std::string>
    Compiler("cc", cl::desc("C compiler (default: $HCR_CC, else clang-19)"),
             cl::value_desc("compiler"), cl::cat(BuildCategory));
static cl::opt<std::string>
    Nim("nim",
        cl::desc("Nim compiler, for a .nim source (default: nim on PATH)"),
        cl::value_desc("path"), cl::cat(BuildCategory));
static cl::list<std::string>
    ProjectRoots("project-root",
                 cl::desc("Another directory whose headers belong to the "
                          "project (repeatable; e.g. Nim's lib directory)"),
                 cl::value_desc("dir"), cl::cat(BuildCategory));
static cl::opt<std::string>
    DepFile("depfile", cl::desc("Write a Makefile-style depfile of the inputs"),
            cl::value_desc("file"), cl::cat(BuildCategory));
static cl::opt<bool>
    Verify("verify",
           cl::desc("Check every module's symbols with hcr-verify (LLVM ORC)"),
           cl::cat(BuildCategory));
static cl::opt<std::string> CompileCommandsDir(
    "p",
    cl::desc("Read each source's flags from BUILD_DIR/compile_commands.json "
             "(CMake, or `bear -- make`); with no source, build every file "
             "it lists"),
    cl::value_desc("build-dir"), cl::cat(BuildCategory));
static cl::opt<bool>
    Timings("timings",
            cl::desc("Print where the build's time went: nim, the rewrite, "
                     "the compiler, hcr-verify"),
            cl::cat(BuildCategory));
static cl::opt<bool> AllCallsIndirect(
    "all-calls-indirect",
    cl::desc("Call each module's own functions through trampolines too"),
    cl::cat(BuildCategory));
static cl::opt<bool> SlotPatching(
    "slot-patching",
    cl::desc("Bind the slots of imported functions that are only called "
             "(hcr_bind_proc): the runtime rewrites them on reload"),
    cl::cat(BuildCategory));
static cl::list<std::string> Sources(cl::Positional, cl::desc("<source>..."),
                                     cl::cat(BuildCategory));

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
  std::string Plugin =
      Prefix + "/" HCR_INSTALL_LIBDIR "/hcr/libHcrDebugNames.so";
  if (!fs::exists(Plugin))
    Plugin = HCR_BUILD_TREE_DEBUG_NAMES;
  Opts.DebugNamesPlugin = Plugin;
  std::string NimDir = Prefix + "/" HCR_INSTALL_DATADIR "/hcr/nim";
  if (!fs::exists(NimDir + "/hotcodereloading.nim"))
    NimDir = HCR_BUILD_TREE_NIM_DIR;
  if (const char *N = std::getenv("HCR_NIM_DIR"))
    NimDir = N;
  Opts.NimModuleDir = NimDir;
}

/// Whether Arg names a registered option, as -name, --name, -name=value or
/// (for a prefix option such as -j) -jvalue.
static bool isKnownOption(llvm::StringRef Arg) {
  llvm::StringRef Name = Arg.ltrim('-').split('=').first;
  auto &Registered = cl::getRegisteredOptions();
  if (Registered.count(Name))
    return true;
  for (size_t N = Name.size(); N > 0; --N) {
    auto It = Registered.find(Name.take_front(N));
    if (It != Registered.end() && It->second->getFormattingFlag() == cl::Prefix)
      return true;
  }
  return false;
}

bool parseCommandLine(int Argc, char **Argv, const char *Overview,
                      BuildOptions &Opts, std::string &Err) {
  std::vector<const char *> Args;
  for (int I = 0; I < Argc; ++I) {
    llvm::StringRef A = Argv[I];
    if (I > 0 && A == "--") {
      Opts.CompilerFlags.assign(Argv + I + 1, Argv + Argc);
      break;
    }
    if (I > 0 && A == "-h")
      A = "--help";
    else if (I > 0 && A.size() > 1 && A[0] == '-' && !isKnownOption(A)) {
      Err = "unknown option '" + A.str() + "'";
      return false;
    }
    Args.push_back(A.data());
  }
  cl::HideUnrelatedOptions(BuildCategory);
  std::string Errors;
  llvm::raw_string_ostream ErrorStream(Errors);
  if (!cl::ParseCommandLineOptions(int(Args.size()), Args.data(), Overview,
                                   &ErrorStream)) {
    // cl's errors start with the tool's name; the driver adds it again.
    llvm::StringRef Text = llvm::StringRef(Errors).trim();
    Text.consume_front(path::filename(Argv[0]).str() + ": ");
    Err = Text.empty() ? "invalid command line (see above)" : Text.str();
    return false;
  }
  Opts.OutDir = OutDir;
  Opts.ProgramName = ProgramName;
  Opts.Jobs = Jobs;
  Opts.Quiet = Quiet;
  Opts.Timings = Timings;
  if (!Compiler.empty())
    Opts.Compiler = Compiler;
  else if (const char *CC = std::getenv("HCR_CC"))
    Opts.Compiler = CC;
  if (!Nim.empty())
    Opts.Nim = Nim;
  Opts.DepFile = DepFile;
  Opts.Verify = Verify;
  Opts.Sources = Sources;
  Opts.CompilationDatabaseDir = CompileCommandsDir;
  Opts.Rewrite.ProjectRoots = ProjectRoots;
  Opts.Rewrite.AllCallsIndirect = AllCallsIndirect;
  Opts.Rewrite.SlotPatching = SlotPatching;
  findRuntime(Argv[0], Opts);
  return true;
}

} // namespace hcr::build
