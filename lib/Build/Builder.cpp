//===- Builder.cpp - The reloadable build ---------------------------------===//
//
// OUTDIR holds what the user runs (the program, <module>.so, libhcr.so);
// OUTDIR/.hcr holds the build's state (BuildState.cpp), the rewritten
// sources (src/, a mirror of the project roots) and this build's outputs
// until they all succeeded (stage/). A build: load the state, rewrite the
// project (lib/Rewrite), write the rewritten sources, compile, and report.
//
//===----------------------------------------------------------------------===//

#include "BuilderInternal.h"

#include "hcr/Rewrite/ProjectFiles.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/FileSystem.h"

#include "llvm/Support/FormatVariadic.h"

#include <chrono>
#include <set>

using namespace hcr::rewrite;
namespace fs = llvm::sys::fs;

namespace hcr::build {

std::string Builder::artifactOf(const std::string &Name) const {
  auto It = Previous.Modules.find(Name);
  if (It == Previous.Modules.end() || !It->second.Host)
    return join(Out, Name + ".so");
  return join(Out, ProgramName.empty() ? Name : ProgramName);
}

llvm::Expected<std::vector<std::string>> Builder::frontEnd() {
  if (!Opts.CompilationDatabaseDir.empty()) {
    auto DB = readCompileCommands(Opts.CompilationDatabaseDir, Opts.Sources);
    if (!DB)
      return DB.takeError();
    SourceFlags = std::move(DB->Flags);
    return DB->Sources;
  }
  if (!isNimProgram(Opts.Sources))
    return Opts.Sources;
  NimCache = join(State, "nimcache");
  std::string Main = absolutePath(Opts.Sources[0]);
  if (!fs::is_regular_file(Main))
    return error("no such source file: '" + Opts.Sources[0] + "'");
  if (auto EC = fs::create_directories(NimCache))
    return error("cannot create '" + NimCache + "': " + EC.message());
  auto NimStart = std::chrono::steady_clock::now();
  auto Nim = compileNim(Opts, Main, NimCache);
  NimMs = std::chrono::duration<double, std::milli>(
              std::chrono::steady_clock::now() - NimStart)
              .count();
  if (!Nim)
    return error(llvm::toString(Nim.takeError()) + "; the previous build in '" +
                 Out + "' is kept");
  Flags = std::move(Nim->Flags);
  FrontInputs = std::move(Nim->Inputs);
  if (ProgramName.empty())
    ProgramName = llvm::sys::path::stem(Main).str();
  return std::move(Nim->Sources);
}

llvm::Error Builder::prepare() {
  if (Opts.Sources.empty() && Opts.CompilationDatabaseDir.empty())
    return error("no source file given");
  if (Opts.OutDir.empty())
    return error("no output directory given (-o)");
  Out = absolutePath(Opts.OutDir);
  State = join(Out, ".hcr");
  SrcDir = join(State, "src");
  Stage = join(State, "stage");
  Flags = Opts.CompilerFlags;
  ProgramName = Opts.ProgramName;
  auto Given = frontEnd();
  if (!Given)
    return Given.takeError();
  std::set<std::string> Names;
  for (const std::string &S : *Given) {
    std::string A = absolutePath(S);
    if (!fs::is_regular_file(A))
      return error("no such source file: '" + S + "'");
    if (!Names.insert(moduleOf(A)).second)
      return error("two sources make module '" + moduleOf(A) +
                   "': module names are file stems and must differ");
    Sources.push_back(A);
  }
  if (!Opts.Rewrite.ModuleName.empty() || Opts.Rewrite.IndexOnly)
    return error("a build names each module after its source's stem and "
                 "rewrites every module: the rewrite options may not set a "
                 "module name or index only");
  Rewrite = Opts.Rewrite;
  // The table is for the plugin, which only a clang-19 compile loads.
  Rewrite.DebugNames = !debugNamesFlag().empty();
  Rewrite.ProjectRoots = {commonDirectory(Sources)};
  for (const std::string &R : Opts.Rewrite.ProjectRoots)
    Rewrite.ProjectRoots.push_back(absolutePath(R));
  // Roots the sources imply (Nim's nimbase.h), unless a root covers them.
  for (const std::string &R : producerRoots(Sources, Flags))
    if (llvm::none_of(Rewrite.ProjectRoots, [&](const std::string &Root) {
          return R == Root || llvm::StringRef(R).starts_with(Root + "/");
        }))
      Rewrite.ProjectRoots.push_back(R);
  // Nim's module initialization leaves the host for a module of its own.
  bool GlobalMarkers = false;
  for (const std::string &S : Sources)
    if (auto Text = readFile(S))
      GlobalMarkers |= definesGlobalMarkers(*Text);
    else
      llvm::consumeError(Text.takeError());
  for (const std::string &S : Sources) {
    auto Program = nimProgramModule(S, GlobalMarkers);
    if (!Program)
      return Program.takeError();
    if (!*Program)
      continue;
    std::string Dir = join(State, "nim");
    std::string File = join(Dir, std::string(NimProgramModuleName) + ".c");
    if (Names.count(NimProgramModuleName))
      return error("a source makes module '" +
                   llvm::Twine(NimProgramModuleName) +
                   "', the name of the module hcr-build generates for Nim");
    if (auto EC = fs::create_directories(Dir))
      return error("cannot create '" + Dir + "': " + EC.message());
    if (llvm::Error E = updateFile(File, **Program))
      return E;
    Sources.push_back(File);
    Rewrite.ProjectRoots.push_back(Dir);
    break;
  }
  ParseFlags = parseFlags(Flags);
  if (auto EC = fs::create_directories(Stage))
    return error("cannot create '" + Stage + "': " + EC.message());
  std::vector<std::string> Modules;
  for (const std::string &S : Sources)
    Modules.push_back(moduleOf(S));
  auto Loaded = loadState(State, Rewrite.serialize(), Modules);
  if (!Loaded)
    return Loaded.takeError();
  Previous = std::move(*Loaded);
  return llvm::Error::success();
}

std::vector<std::string>
Builder::parseFlags(const std::vector<std::string> &Compile) const {
  // The rewrite parses; link flags mean nothing to it (and clang warns).
  std::vector<std::string> Out;
  for (const std::string &F : Compile) {
    llvm::StringRef Flag = F;
    if (!Flag.starts_with("-l") && !Flag.starts_with("-L") &&
        !Flag.starts_with("-Wl,"))
      Out.push_back(F);
  }
  Out.push_back("-I" + Opts.RuntimeIncludeDir);
  Out.push_back("-DHCR_ENABLED=1");
  return Out;
}

namespace {
/// Each source parsed with its own flags (-p), the others with the common
/// ones.
class ParseDatabase : public clang::tooling::CompilationDatabase {
public:
  ParseDatabase(std::vector<std::string> Common,
                std::map<std::string, std::vector<std::string>> Own)
      : Common(std::move(Common)), Own(std::move(Own)) {}
  std::vector<clang::tooling::CompileCommand>
  getCompileCommands(llvm::StringRef File) const override {
    auto It = Own.find(File.str());
    const std::vector<std::string> &Flags =
        It == Own.end() ? Common : It->second;
    std::vector<std::string> Args = {"clang-tool"};
    Args.insert(Args.end(), Flags.begin(), Flags.end());
    Args.push_back(File.str());
    return {clang::tooling::CompileCommand(".", File, std::move(Args), "")};
  }

private:
  std::vector<std::string> Common;
  std::map<std::string, std::vector<std::string>> Own;
};
} // namespace

llvm::Error Builder::rewrite() {
  ProjectRewriteInput In;
  In.Sources = Sources;
  In.Options = Rewrite;
  In.Index = std::move(Previous.Index);
  // A module whose output is missing is rewritten (and compiled) again.
  for (auto &[Name, Edits] : Previous.Edits)
    if (fs::exists(artifactOf(Name)))
      In.PreviousEdits[Name] = std::move(Edits);
  std::map<std::string, std::vector<std::string>> Own;
  for (const auto &[Source, F] : SourceFlags)
    Own[Source] = parseFlags(F);
  ParseDatabase DB(ParseFlags, std::move(Own));
  auto Result = rewriteProject(DB, std::move(In));
  if (!Result)
    return Result.takeError();
  Index = std::move(Result->Index);
  Texts = std::move(Result->Texts);
  for (const auto &[Name, Why] : Result->Rewritten)
    if (llvm::Error E = saveEdits(State, Name, Result->Edits[Name]))
      return E;

  for (const std::string &Source : Sources) {
    std::string Name = moduleOf(Source);
    const ModuleIndex *M = Index.module(Name);
    if (M && M->IsHost) {
      if (!Host.empty() && Host != Name)
        return error("both '" + Host + "' and '" + Name + "' define main()");
      Host = Name;
    }
  }
  if (Host.empty())
    return error("no source defines main(): one module must be the host");
  Rewritten = Result->Rewritten.size();
  if (!Result->Rewritten.empty()) {
    std::string List;
    for (const auto &[Name, Why] : Result->Rewritten)
      List += " " + Name + " (" + Why + ")";
    say("rewrote " + llvm::Twine(Result->Rewritten.size()) + " of " +
        llvm::Twine(Sources.size()) + " modules:" + List);
  }
  if (exportsDynamic(Flags)) {
    std::string Dir = join(State, "exports");
    if (auto EC = fs::create_directories(Dir))
      return error("cannot create '" + Dir + "': " + EC.message());
    ExportsFile = join(Dir, "hcr_exports.c");
    if (llvm::Error E = updateFile(ExportsFile, exportsSource(Index)))
      return E;
  }
  return writeFile(join(State, "index.json"), Index.toJSON());
}

llvm::Error Builder::writeSources() {
  for (const auto &[File, Text] : Texts) {
    std::optional<std::string> Target =
        mirrorPath(File, Rewrite.ProjectRoots, SrcDir);
    if (!Target)
      return error("'" + File + "' is outside every project root");
    if (llvm::Error E = updateFile(*Target, Text))
      return E;
  }
  return llvm::Error::success();
}

llvm::Expected<BuildResult> Builder::run() {
  using Clock = std::chrono::steady_clock;
  Clock::time_point Mark = Clock::now();
  auto Lap = [&] {
    Clock::time_point Now = Clock::now();
    double Ms = std::chrono::duration<double, std::milli>(Now - Mark).count();
    Mark = Now;
    return Ms;
  };
  if (llvm::Error E = prepare())
    return std::move(E);
  BuildResult Result;
  Result.NimMs = NimMs;
  Lap();
  if (llvm::Error E = rewrite())
    return std::move(E);
  if (llvm::Error E = writeSources())
    return std::move(E);
  Result.RewriteMs = Lap();
  Result.Rewritten = Rewritten;
  Result.Program = ProgramName.empty() ? Host : ProgramName;
  if (llvm::Error E = compile(Result))
    return std::move(E);
  Result.CompileMs = Lap();
  Result.Program = join(Out, Result.Program);
  if (Opts.Verify)
    if (llvm::Error E = verifyObjects(Result))
      return std::move(E);
  Result.VerifyMs = Lap();
  if (Opts.Timings)
    Log << llvm::formatv("hcr-build: timings: nim {0:f0} ms, rewrite {1:f0} "
                         "ms ({2} modules), compile {3:f0} ms ({4} modules)",
                         Result.NimMs, Result.RewriteMs, Result.Rewritten,
                         Result.CompileMs, Result.Compiled.size())
        << (Opts.Verify
                ? llvm::formatv(", verify {0:f0} ms", Result.VerifyMs).str()
                : std::string())
        << "\n";
  // nim writes the nimcache: its files are outputs of the .nim inputs.
  std::set<std::string> Inputs(FrontInputs.begin(), FrontInputs.end());
  for (const std::string &Source : Sources)
    if (const ModuleIndex *M = Index.module(moduleOf(Source)))
      for (const FileStamp &S : M->Inputs)
        if (!llvm::StringRef(S.Path).starts_with(State + "/"))
          Inputs.insert(S.Path); // Not what hcr-build itself writes.
  Result.Inputs.assign(Inputs.begin(), Inputs.end());
  if (!Opts.DepFile.empty())
    if (llvm::Error E = writeDepFile(absolutePath(Opts.DepFile), Result.Program,
                                     Result.Inputs))
      return std::move(E);
  if (Result.Compiled.empty())
    say("up to date: " + Result.Program);
  else
    say("built " + Result.Program + " (" + llvm::Twine(Result.Compiled.size()) +
        " of " + llvm::Twine(Sources.size()) + " modules compiled)");
  // Said even with -q: a running program does not get this change.
  if (Result.HostChanged && !Previous.FirstBuild)
    Log << "hcr-build: the host '" << Host
        << "' was rebuilt: a running program must be restarted to use it\n";
  return Result;
}

llvm::Expected<BuildResult> build(const BuildOptions &Options,
                                  llvm::raw_ostream &Log) {
  return Builder(Options, Log).run();
}

} // namespace hcr::build
