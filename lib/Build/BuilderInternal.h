//===- BuilderInternal.h - The build's steps --------------------*- C++ -*-===//
//
// Private to lib/Build. One build runs these steps in order:
//   NimProject.cpp  for a Nim program, nim's C and flags (runs nim);
//   BuildState.cpp  what the previous build left in OUTDIR/.hcr (index,
//                   each module's edits, each module's compile hash);
//   Builder.cpp     the rewrite of the project (lib/Rewrite's
//                   rewriteProject), the rewritten sources, the depfile;
//   Compile.cpp     the compiler runs, in parallel, the install of their
//                   outputs, and hcr-verify's check of the objects.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_BUILD_BUILDERINTERNAL_H
#define HCR_LIB_BUILD_BUILDERINTERNAL_H

#include "hcr/Build/Builder.h"
#include "hcr/Rewrite/ProjectRewriter.h"

#include "llvm/Support/Path.h"

#include <map>
#include <string>
#include <vector>

namespace hcr::build {

llvm::Error error(const llvm::Twine &Message);
std::string join(llvm::StringRef A, llvm::StringRef B);
llvm::Expected<std::string> readFile(llvm::StringRef Path);
/// Writes Text to Path, atomically.
llvm::Error writeFile(llvm::StringRef Path, llvm::StringRef Text);
/// Writes Text to Path unless Path holds it already, so that a timestamp
/// means something.
llvm::Error updateFile(llvm::StringRef Path, llvm::StringRef Text);

/// What the build remembers of each module between runs.
struct ModuleState {
  std::string Hash; ///< Of everything its compile reads.
  bool Host = false;
};

/// What the previous build left in OUTDIR/.hcr.
struct BuildState {
  rewrite::ProjectIndex Index;
  std::map<std::string, ModuleState> Modules;
  /// Per module, its edits, if they were made with the same rewrite
  /// options (the same RewriteOptions::serialize()).
  std::map<std::string, rewrite::FileEdits> Edits;
  bool FirstBuild = true;
};

llvm::Expected<BuildState> loadState(llvm::StringRef StateDir,
                                     llvm::StringRef RewriteKey,
                                     const std::vector<std::string> &Modules);
llvm::Error saveEdits(llvm::StringRef StateDir, llvm::StringRef Module,
                      const rewrite::FileEdits &Edits);
llvm::Error saveModules(llvm::StringRef StateDir, llvm::StringRef RewriteKey,
                        const std::map<std::string, ModuleState> &Modules);
/// A Makefile-style rule: Target depends on every input.
llvm::Error writeDepFile(llvm::StringRef Path, llvm::StringRef Target,
                         const std::vector<std::string> &Inputs);

/// A Nim program as nim compiled it to C.
struct NimProject {
  std::vector<std::string> Sources; ///< The C files of nim's build file.
  /// The flags of its compile commands, then those of its link.
  std::vector<std::string> Flags;
  std::vector<std::string> Inputs; ///< The .nim files nim read.
};
/// Whether the sources are a Nim program: one .nim file.
bool isNimProgram(const std::vector<std::string> &Sources);
/// Runs `nim c --compileOnly` on Main (Opts.CompilerFlags are nim's flags)
/// into NimCache, nim's output passed through, and reads its build file.
llvm::Expected<NimProject> compileNim(const BuildOptions &Opts,
                                      llvm::StringRef Main,
                                      llvm::StringRef NimCache);

/// The module hcr_nim_program for Nim's main module Source: its PreMain's
/// calls (NimProgram.cpp). None if Source does not define PreMain.
llvm::Expected<std::optional<std::string>>
nimProgramModule(const std::string &Source, bool GlobalMarkers);
/// Whether Text (a module's C) defines refc's nimRegisterGlobalMarker.
bool definesGlobalMarkers(llvm::StringRef Text);
inline constexpr const char *NimProgramModuleName = "hcr_nim_program";

/// Sources and their own flags, from compile_commands.json in Dir
/// (CompileCommands.cpp); Given: the sources named on the command line.
struct CompileCommands {
  std::vector<std::string> Sources;
  std::map<std::string, std::vector<std::string>> Flags; ///< By source.
};
llvm::Expected<CompileCommands>
readCompileCommands(const std::string &Dir,
                    const std::vector<std::string> &Given);

/// Whether link flags export the program's symbols (-Wl,-E, -rdynamic).
bool exportsDynamic(const std::vector<std::string> &Flags);
/// The C of the program's exported API (ProgramExports.cpp).
std::string exportsSource(const rewrite::ProjectIndex &Index);

/// A hash of what the loader maps of the ELF file at Path (LoadedImage.cpp);
/// none if it cannot be read.
std::optional<uint64_t> loadedImageHash(const std::string &Path);

class Builder {
public:
  Builder(const BuildOptions &Opts, llvm::raw_ostream &Log)
      : Opts(Opts), Log(Log) {}
  llvm::Expected<BuildResult> run();

private:
  void say(const llvm::Twine &Message) {
    if (!Opts.Quiet)
      Log << "hcr-build: " << Message << "\n";
  }
  std::string moduleOf(const std::string &Source) const {
    return llvm::sys::path::stem(Source).str();
  }
  /// Where the previous build put module Name's output.
  std::string artifactOf(const std::string &Name) const;
  llvm::Error prepare();
  /// The C sources: the options', or those nim writes for a Nim program.
  llvm::Expected<std::vector<std::string>> frontEnd();
  llvm::Error rewrite();
  llvm::Error writeSources();

  // Compile.cpp.
  llvm::Error compile(BuildResult &Result);
  std::vector<std::string> compileCommand(const std::string &Module, bool Host,
                                          const std::string &Out,
                                          bool ObjectOnly = false);
  /// A compiler run: what to call it in progress lines, its command, the
  /// file it writes (its diagnostics go beside it).
  struct Task {
    std::string Label, Output;
    std::vector<std::string> Command;
  };
  llvm::Error runJobs(const std::vector<Task> &Jobs, const char *What);
  /// The rewrite's flags for compiler flags Compile: no link flags, the
  /// runtime's include directory, HCR_ENABLED.
  std::vector<std::string>
  parseFlags(const std::vector<std::string> &Compile) const;
  llvm::Error verifyObjects(const BuildResult &Result);
  /// -fpass-plugin of the debug-names plugin, if the compiler can load it
  /// (it is the clang the plugin was built for); empty otherwise.
  std::string debugNamesFlag();
  std::optional<std::string> DebugNamesFlag;

  const BuildOptions &Opts;
  llvm::raw_ostream &Log;
  std::string Out, State, SrcDir, Stage;
  std::vector<std::string> Sources, ParseFlags;
  /// Each source's own compiler flags (-p), by absolute path; a source not
  /// in it uses Flags.
  std::map<std::string, std::vector<std::string>> SourceFlags;
  /// The compiler flags of one module's source: its own, or Flags.
  const std::vector<std::string> &flagsOf(const std::string &Source) const {
    auto It = SourceFlags.find(Source);
    return It == SourceFlags.end() ? Flags : It->second;
  }
  /// The compiler flags and the program's name: the options', or for a Nim
  /// program those nim's build file gives and the stem of its main file.
  std::vector<std::string> Flags;
  std::string ProgramName;
  /// Files read before the C sources (the .nim files of a Nim program).
  std::vector<std::string> FrontInputs;
  std::string NimCache;
  /// The generated file of the program's exported API, if the link flags
  /// export it (ProgramExports.cpp).
  std::string ExportsFile;
  double NimMs = 0;       ///< nim's run, for a Nim program.
  unsigned Rewritten = 0; ///< Modules the rewrite parsed.
  /// Opts.Rewrite with every project root, the sources' common directory
  /// first.
  rewrite::RewriteOptions Rewrite;
  BuildState Previous;
  rewrite::ProjectIndex Index;
  /// Rewritten text of every project file, by original path.
  std::map<std::string, std::string> Texts;
  std::string Host;
};

} // namespace hcr::build

#endif
