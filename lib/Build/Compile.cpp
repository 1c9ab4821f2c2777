//===- Compile.cpp - The compiler runs of a build -------------------------===//
//
// Each module whose compile reads something new (its command, or the
// rewritten text of a file it includes) is compiled, in parallel, into
// OUTDIR/.hcr/stage; only when all succeeded are the outputs installed:
// libhcr first, then the modules, the program last. With --verify, objects
// of every module go to hcr-verify.
//
//===----------------------------------------------------------------------===//

#include "BuilderInternal.h"

#include "hcr/Rewrite/ProjectFiles.h"
#include "hcr/Verify/Verifier.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/xxhash.h"

#include <mutex>
#include <set>

using namespace hcr::rewrite;
namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace hcr::build {

std::vector<std::string> Builder::compileCommand(const std::string &Module,
                                                 bool IsHost,
                                                 const std::string &Output,
                                                 bool ObjectOnly) {
  const ModuleIndex *M = Index.module(Module);
  std::vector<std::string> Cmd = {Opts.Compiler};
  // The module's compiler flags (its own, with -p), then the link flags.
  std::vector<std::string> ModuleFlags = flagsOf(M->MainFile);
  if (SourceFlags.count(M->MainFile))
    for (const std::string &F : Flags)
      ModuleFlags.push_back(F);
  // The rewritten copies come first: include directories inside a project
  // root are mirrored.
  for (size_t I = 0; I < ModuleFlags.size(); ++I) {
    llvm::StringRef F = ModuleFlags[I];
    std::string Dir;
    if (F == "-I" && I + 1 < ModuleFlags.size())
      Dir = ModuleFlags[I + 1];
    else if (F.starts_with("-I") && F.size() > 2)
      Dir = F.drop_front(2).str();
    if (Dir.empty())
      continue;
    if (auto Mirror =
            mirrorPath(absolutePath(Dir) + "/x", Rewrite.ProjectRoots, SrcDir))
      Cmd.push_back("-I" + path::parent_path(*Mirror).str());
  }
  for (size_t K = 1; K < Rewrite.ProjectRoots.size(); ++K)
    Cmd.push_back("-I" + join(SrcDir, ".hcr-roots/" + std::to_string(K)));
  Cmd.push_back("-I" + Opts.RuntimeIncludeDir);
  Cmd.push_back("-DHCR_ENABLED=1");
  Cmd.push_back("-fPIC");
  std::string Plugin = debugNamesFlag();
  if (!Plugin.empty())
    Cmd.push_back(Plugin);
  // The rewrite keeps lines but not columns (`g` is now `(*g)`): no column
  // is better than a wrong one in a debugger's caret. gcc and clang take
  // the flag; another compiler may not, and keeps its columns.
  llvm::StringRef CompilerName = path::filename(Opts.Compiler);
  if (!Plugin.empty() || CompilerName.contains("gcc") ||
      CompilerName.contains("clang"))
    Cmd.push_back("-gno-column-info");
  // The copies' own names (the unit's, the prologue's lines before its
  // #line) are the originals' too, so that `list 6` is not ambiguous:
  // absolute, as a build system names sources, and the same from any
  // working directory (the command is part of what decides a rebuild).
  // The last mapping that matches wins: the nested roots come after.
  for (size_t K = 0; K < Rewrite.ProjectRoots.size(); ++K)
    Cmd.push_back(
        "-fdebug-prefix-map=" +
        (K ? join(SrcDir, ".hcr-roots/" + std::to_string(K)) : SrcDir) + "=" +
        Rewrite.ProjectRoots[K]);
  if (ObjectOnly)
    Cmd.push_back("-c");
  else if (!IsHost)
    Cmd.push_back("-shared");
  Cmd.push_back(*mirrorPath(M->MainFile, Rewrite.ProjectRoots, SrcDir));
  if (IsHost && !ObjectOnly && !ExportsFile.empty())
    Cmd.push_back(ExportsFile);
  Cmd.insert(Cmd.end(), ModuleFlags.begin(), ModuleFlags.end());
  if (ObjectOnly) {
    // Keep the flags that matter to compiling, drop the link's.
    llvm::erase_if(Cmd, [](const std::string &A) {
      return llvm::StringRef(A).starts_with("-l") ||
             llvm::StringRef(A).starts_with("-L") ||
             llvm::StringRef(A).starts_with("-Wl,");
    });
    Cmd.push_back("-o");
    Cmd.push_back(Output);
    return Cmd;
  }
  Cmd.push_back("-o");
  Cmd.push_back(Output);
  Cmd.push_back("-L" + path::parent_path(Opts.RuntimeLibrary).str());
  Cmd.push_back("-lhcr");
  Cmd.push_back("-Wl,-rpath,$ORIGIN");
  return Cmd;
}

std::string Builder::debugNamesFlag() {
  if (DebugNamesFlag)
    return *DebugNamesFlag;
  DebugNamesFlag.emplace();
  // A plugin runs inside the compiler, on the LLVM it was built against:
  // only that clang may load it (another compiler's modules keep the
  // rewritten names in their debug information, docs/Debugging.md).
  llvm::SmallString<256> Mine, Theirs;
  auto Program = llvm::sys::findProgramByName(Opts.Compiler);
  if (Opts.DebugNamesPlugin.empty() || !fs::exists(Opts.DebugNamesPlugin) ||
      !Program || fs::real_path(*Program, Theirs) ||
      fs::real_path(HCR_PLUGIN_CLANG, Mine) || Mine != Theirs)
    return *DebugNamesFlag;
  *DebugNamesFlag = "-fpass-plugin=" + Opts.DebugNamesPlugin;
  return *DebugNamesFlag;
}

llvm::Error Builder::compile(BuildResult &Result) {
  struct Job {
    std::string Module, Output, Hash;
    bool Host;
    std::vector<std::string> Command;
  };
  std::vector<Job> Jobs;
  for (const std::string &Source : Sources) {
    std::string Name = moduleOf(Source);
    const ModuleIndex *M = Index.module(Name);
    bool IsHost = Name == Host;
    std::string Artifact = join(Out, IsHost ? Result.Program : Name + ".so");
    Job J{Name, join(Stage, IsHost ? "program" : Name + ".so"), "", IsHost, {}};
    J.Command = compileCommand(Name, IsHost, J.Output);
    // What the compile reads: its command and every rewritten file.
    std::string Key;
    for (const std::string &Arg : J.Command)
      if (Arg != J.Output)
        Key += Arg + '\0';
    for (const FileStamp &Input : M->Inputs)
      Key += Input.Path + '\0' + Texts[Input.Path] + '\0';
    if (IsHost && !ExportsFile.empty())
      if (auto Exports = readFile(ExportsFile))
        Key += *Exports;
      else
        llvm::consumeError(Exports.takeError());
    J.Hash = llvm::utohexstr(llvm::xxh3_64bits(Key));
    auto Prev = Previous.Modules.find(Name);
    if (Prev != Previous.Modules.end() && Prev->second.Hash == J.Hash &&
        fs::exists(Artifact))
      continue;
    Jobs.push_back(std::move(J));
  }

  std::vector<Task> Commands;
  for (const Job &J : Jobs)
    Commands.push_back(
        {(J.Host ? "host " : "module ") + J.Module, J.Output, J.Command});
  if (llvm::Error E = runJobs(Commands, "compiling"))
    return error(llvm::toString(std::move(E)) + "; the previous build in '" +
                 Out + "' is kept");
  // Install: libhcr first, then modules, the program last.
  std::string Lib = join(Out, "libhcr.so");
  auto LibNew = readFile(Opts.RuntimeLibrary);
  if (!LibNew)
    return LibNew.takeError();
  if (llvm::Error E = updateFile(Lib, *LibNew))
    return E;
  std::sort(Jobs.begin(), Jobs.end(),
            [](const Job &A, const Job &B) { return A.Host < B.Host; });
  for (const Job &J : Jobs) {
    std::string Target = join(Out, J.Host ? Result.Program : J.Module + ".so");
    Previous.Modules[J.Module] = ModuleState{J.Hash, J.Host};
    Result.Compiled.push_back(J.Module);
    // A host whose image is the same is kept: a running program need not
    // restart for it.
    if (J.Host && fs::exists(Target)) {
      std::optional<uint64_t> Old = loadedImageHash(Target);
      if (Old && Old == loadedImageHash(J.Output)) {
        fs::remove(J.Output);
        say("the host '" + J.Module + "' compiled to the same code: " + Target +
            " is kept");
        continue;
      }
    }
    if (auto EC = fs::rename(J.Output, Target))
      return error("cannot replace '" + Target + "': " + EC.message());
    if (J.Host)
      Result.HostChanged = true;
  }
  // A module that is no longer built (its source dropped, or no longer in
  // nim's build file) leaves OUTDIR; a running program keeps its copy.
  std::set<std::string> Current;
  for (const std::string &Source : Sources)
    Current.insert(moduleOf(Source));
  for (auto It = Previous.Modules.begin(); It != Previous.Modules.end();) {
    if (Current.count(It->first)) {
      ++It;
      continue;
    }
    std::string Module = join(Out, It->first + ".so");
    if (!It->second.Host && fs::exists(Module) && !fs::remove(Module))
      say("removed module " + It->first + ": it is no longer built");
    It = Previous.Modules.erase(It);
  }
  return saveModules(State, Rewrite.serialize(), Previous.Modules);
}

llvm::Error Builder::runJobs(const std::vector<Task> &Jobs, const char *What) {
  unsigned Threads = Opts.Jobs
                         ? Opts.Jobs
                         : llvm::hardware_concurrency().compute_thread_count();
  auto Program = llvm::sys::findProgramByName(Opts.Compiler);
  if (!Program && !Jobs.empty())
    return error("cannot find the compiler '" + Opts.Compiler + "'");
  std::mutex Lock;
  std::vector<std::string> Failed;
  size_t Started = 0;
  {
    llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Threads));
    for (const Task &T : Jobs)
      Pool.async([&, T] {
        const std::string &Label = T.Label;
        std::string LogFile = T.Output + ".log";
        std::vector<llvm::StringRef> Args(T.Command.begin(), T.Command.end());
        {
          std::lock_guard<std::mutex> G(Lock);
          say("[" + llvm::Twine(++Started) + "/" + llvm::Twine(Jobs.size()) +
              "] " + What + " " + Label);
        }
        std::optional<llvm::StringRef> Redirects[] = {std::nullopt, LogFile,
                                                      LogFile};
        std::string ErrMsg;
        int RC = llvm::sys::ExecuteAndWait(*Program, Args, std::nullopt,
                                           Redirects, 0, 0, &ErrMsg);
        std::lock_guard<std::mutex> G(Lock);
        auto Diags = llvm::MemoryBuffer::getFile(LogFile);
        if (Diags && (*Diags)->getBufferSize())
          Log << (*Diags)->getBuffer();
        fs::remove(LogFile);
        if (RC != 0) {
          if (!ErrMsg.empty())
            Log << "hcr-build: error: " << ErrMsg << "\n";
          Failed.push_back(Label.substr(Label.find(' ') + 1));
        }
      });
    Pool.wait();
  }
  if (Failed.empty())
    return llvm::Error::success();
  std::sort(Failed.begin(), Failed.end());
  std::string List;
  for (const std::string &F : Failed)
    List += " " + F;
  return error(llvm::Twine(What) + " failed for:" + List);
}

/// The shared libraries of link flags (-lNAME, -l NAME) as the linker finds
/// them: lib<NAME>.so in each -L directory, then the system's; a name the
/// dynamic linker may still find (lib<NAME>.so) if none has it.
static std::vector<std::string>
linkLibraries(const std::vector<std::string> &Flags) {
  std::vector<std::string> Dirs, Names, Out;
  for (size_t I = 0; I < Flags.size(); ++I) {
    llvm::StringRef F = Flags[I];
    if (F.consume_front("-L"))
      Dirs.push_back(F.empty() && I + 1 < Flags.size() ? Flags[++I] : F.str());
    else if (F.consume_front("-l"))
      Names.push_back(F.empty() && I + 1 < Flags.size() ? Flags[++I] : F.str());
  }
  for (const char *D : {"/usr/local/lib", "/usr/lib/x86_64-linux-gnu",
                        "/lib/x86_64-linux-gnu", "/usr/lib", "/lib"})
    Dirs.push_back(D);
  for (const std::string &N : Names) {
    if (N == "c" || N == "m")
      continue; // Always there.
    // The development link (lib<N>.so), else a versioned one (libdl.so.2).
    std::string Found;
    for (const std::string &D : Dirs) {
      if (fs::exists(join(D, "lib" + N + ".so"))) {
        Found = join(D, "lib" + N + ".so");
        break;
      }
      std::error_code EC;
      for (fs::directory_iterator It(D, EC), End; !EC && It != End;
           It.increment(EC))
        if (path::filename(It->path()).starts_with("lib" + N + ".so.")) {
          Found = It->path();
          break;
        }
      if (!Found.empty())
        break;
    }
    Out.push_back(Found.empty() ? "lib" + N + ".so" : Found);
  }
  return Out;
}

llvm::Error Builder::verifyObjects(const BuildResult &Result) {
  std::string ObjDir = join(State, "obj");
  std::vector<Task> Jobs;
  std::vector<verify::ModuleFile> Files;
  for (const std::string &Source : Sources) {
    std::string Name = moduleOf(Source);
    std::string Obj = join(ObjDir, Name + ".o");
    Files.push_back({Name, Obj});
    bool Compiled = std::find(Result.Compiled.begin(), Result.Compiled.end(),
                              Name) != Result.Compiled.end();
    if (Compiled || !fs::exists(Obj))
      Jobs.push_back({"object " + Name, Obj,
                      compileCommand(Name, Name == Host, Obj,
                                     /*ObjectOnly=*/true)});
  }
  if (auto EC = fs::create_directories(ObjDir))
    return error("cannot create '" + ObjDir + "': " + EC.message());
  if (llvm::Error E = runJobs(Jobs, "compiling for hcr-verify"))
    return E;
  auto Report = verify::verify(Files, linkLibraries(Flags));
  if (!Report)
    return Report.takeError();
  if (!Report->clean() || !Opts.Quiet)
    Log << Report->toText();
  if (!Report->clean())
    return error("hcr-verify found " + llvm::Twine(Report->Findings.size()) +
                 " problems (the outputs were replaced)");
  return llvm::Error::success();
}

} // namespace hcr::build
