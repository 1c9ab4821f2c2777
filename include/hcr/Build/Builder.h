//===- hcr/Build/Builder.h - The reloadable build ---------------*- C++ -*-===//
//
// What hcr-build does: rewrite every module of a C program (lib/Rewrite, in
// process), compile each module into its own shared object and the host
// into the program, in parallel, and replace the outputs only when
// everything built. Incremental: a module is rewritten again when its files
// or the definitions it depends on changed, and compiled again when its
// rewritten text or flags changed.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_BUILD_BUILDER_H
#define HCR_BUILD_BUILDER_H

#include "hcr/Rewrite/ModuleRewriter.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace hcr::build {

struct BuildOptions {
  std::string OutDir;
  std::string ProgramName; ///< Empty: the host's stem.
  unsigned Jobs = 0;       ///< 0: the number of cores.
  bool Quiet = false;
  std::vector<std::string> Sources;
  std::vector<std::string> CompilerFlags;
  /// A directory with compile_commands.json (-p): each source is compiled
  /// with its own entry's flags (CompilerFlags then only add to the link);
  /// without Sources, every file of the database is a source.
  std::string CompilationDatabaseDir;
  std::string Compiler = "clang-19";
  /// The Nim compiler, for a Nim program: Sources is one .nim file, which
  /// nim compiles to C (CompilerFlags are then nim's flags).
  std::string Nim = "nim";
  /// Where <hcr/hcr.h> and libhcr.so are.
  std::string RuntimeIncludeDir, RuntimeLibrary;
  /// The clang plugin that gives modules their source names in debug
  /// information (lib/DebugNames); used when Compiler is the clang it was
  /// built for. Empty: none.
  std::string DebugNamesPlugin;
  /// Where hcr's Nim modules are (hotcodereloading.nim): nim finds them
  /// before its own library's. Empty: nim's own only.
  std::string NimModuleDir;
  /// If set, a Makefile-style depfile listing every file the build read,
  /// for build systems (CMake's add_custom_command DEPFILE).
  std::string DepFile;
  /// Also compile each module to an object file (OUTDIR/.hcr/obj) and check
  /// with hcr-verify (LLVM ORC) that every symbol resolves as reloading
  /// needs; a problem fails the build (after the outputs were replaced).
  bool Verify = false;
  /// Print where the build's time went (BuildResult's timings).
  bool Timings = false;
  /// How every module is rewritten. ProjectRoots lists the extra roots:
  /// the build puts the sources' common directory first, and adds those
  /// the sources imply (rewrite::producerRoots: Nim's lib directory).
  rewrite::RewriteOptions Rewrite;
};

struct BuildResult {
  std::vector<std::string> Compiled; ///< Modules compiled this time.
  bool HostChanged = false;          ///< The running program must restart.
  std::string Program;               ///< Path of the built program.
  /// Every file the build read: the sources and the project headers they
  /// include, or for a Nim program the .nim files nim read and the project
  /// headers outside the nimcache (absolute, sorted).
  std::vector<std::string> Inputs;
  /// Where the build's time went, in milliseconds: nim (a Nim program's
  /// front end), the rewrite (parsing every changed module), the compiler
  /// runs (and install), hcr-verify.
  double NimMs = 0, RewriteMs = 0, CompileMs = 0, VerifyMs = 0;
  unsigned Rewritten = 0; ///< Modules the rewrite parsed again.
};

/// The category of the build's llvm::cl options; a tool over the build
/// (hcr-watch) adds its own options to it.
extern llvm::cl::OptionCategory BuildCategory;

/// Parses a build tool's command line with llvm::cl (argv[0] locates the
/// runtime; compiler flags follow "--"): false with Err set on bad usage.
/// --help prints Overview and the options, and exits.
bool parseCommandLine(int Argc, char **Argv, const char *Overview,
                      BuildOptions &Opts, std::string &Err);

/// A one-line summary of the build's usage, for errors.
extern const char *const BuildUsage;

/// Builds; on failure OutDir keeps its previous build and the error says
/// why (compiler diagnostics were already printed to Log).
llvm::Expected<BuildResult> build(const BuildOptions &Options,
                                  llvm::raw_ostream &Log);

} // namespace hcr::build

#endif
