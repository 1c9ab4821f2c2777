//===- Builder.cpp - The reloadable build
//----------------------------------===//
//
// OUTDIR holds what the user runs (the program, <module>.so, libhcr.so);
// OUTDIR/.hcr holds the build's state:
//   index.json       the project index (lib/Rewrite)
//   edits/<m>.json   module m's edits of each file it read, so a header's
//                    copy is the union over all includers without parsing
//                    them again
//   src/             the rewritten sources (mirror of the project roots)
//   state.json       per module: hash of what its compile read
//   stage/           this build's outputs until they all succeeded
//
//===----------------------------------------------------------------------===//

#include "hcr/Build/Builder.h"

#include "hcr/Rewrite/ModuleRewriter.h"
#include "hcr/Rewrite/ProjectIndex.h"
#include "hcr/Verify/Verifier.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/xxhash.h"

#include <map>
#include <mutex>
#include <set>

using namespace hcr::rewrite;
namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace hcr::build {
namespace {

llvm::Error error(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

std::string join(llvm::StringRef A, llvm::StringRef B) {
  llvm::SmallString<256> P(A);
  path::append(P, B);
  return std::string(P);
}

llvm::Expected<std::string> readFile(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return error("cannot read '" + Path + "': " + Buffer.getError().message());
  return (*Buffer)->getBuffer().str();
}

llvm::Error writeFile(llvm::StringRef Path, llvm::StringRef Text) {
  return writeFilesAtomically({{Path.str(), Text.str()}});
}

bool isFresh(const ModuleIndex &M) {
  if (M.Inputs.empty())
    return false;
  for (const FileStamp &S : M.Inputs)
    if (!(stampFile(S.Path) == S))
      return false;
  return true;
}

/// A module's edits, saved between builds.
llvm::json::Value editsToJSON(const ModuleRewrite &R) {
  llvm::json::Object Files;
  for (const auto &[File, Edits] : R.Edits) {
    llvm::json::Array A;
    for (const clang::tooling::Replacement &E : Edits)
      A.push_back(llvm::json::Array{int64_t(E.getOffset()),
                                    int64_t(E.getLength()),
                                    E.getReplacementText().str()});
    Files[File] = std::move(A);
  }
  return llvm::json::Object{{"files", std::move(Files)}};
}

llvm::Expected<std::map<std::string, std::vector<clang::tooling::Replacement>>>
editsFromJSON(llvm::StringRef Text) {
  std::map<std::string, std::vector<clang::tooling::Replacement>> Out;
  auto Parsed = llvm::json::parse(Text);
  if (!Parsed)
    return Parsed.takeError();
  const llvm::json::Object *Files =
      Parsed->getAsObject() ? Parsed->getAsObject()->getObject("files")
                            : nullptr;
  if (!Files)
    return error("malformed edits file");
  for (const auto &[File, Value] : *Files) {
    auto &V = Out[File.str()];
    if (const llvm::json::Array *A = Value.getAsArray())
      for (const llvm::json::Value &E : *A) {
        const llvm::json::Array *T = E.getAsArray();
        if (!T || T->size() != 3 || !(*T)[0].getAsInteger() ||
            !(*T)[1].getAsInteger() || !(*T)[2].getAsString())
          return error("malformed edit in '" + File.str() + "'");
        V.emplace_back(File.str(), unsigned(*(*T)[0].getAsInteger()),
                       unsigned(*(*T)[1].getAsInteger()),
                       *(*T)[2].getAsString());
      }
  }
  return Out;
}

/// What the build remembers of each module between runs.
struct ModuleState {
  std::string Hash; ///< Of everything its compile reads.
  bool Host = false;
};

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
  llvm::Error loadState();
  llvm::Error rewrite();
  llvm::Error rewriteModules(const std::vector<std::string> &Sources,
                             bool IndexOnly);
  llvm::Error writeSources();
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
  llvm::Error verifyObjects(const BuildResult &Result);
  std::string moduleOf(const std::string &Source) const {
    return path::stem(Source).str();
  }

  const BuildOptions &Opts;
  llvm::raw_ostream &Log;
  std::string Out, State, SrcDir, Stage;
  std::vector<std::string> Sources, Roots, ParseFlags;
  ProjectIndex Index;
  std::map<std::string, ModuleState> Previous;
  /// Per module: the edits of every file it read (saved in edits/).
  std::map<std::string,
           std::map<std::string, std::vector<clang::tooling::Replacement>>>
      ModuleEdits;
  std::set<std::string> Rewritten;        ///< Modules rewritten in this run.
  std::map<std::string, std::string> Why; ///< Why each was rewritten.
  /// Rewritten text of every project file, by original path.
  std::map<std::string, std::string> Texts;
  std::string Host;
  bool FirstBuild = true;
  /// The previous build used the same rewrite options (its edits are valid).
  bool SameRewriteOptions = false;
  std::string rewriteOptionsKey() const {
    return std::string(Opts.AllCallsIndirect ? "all-calls-indirect" : "") +
           (Opts.SlotPatching ? " slot-patching" : "");
  }
};

llvm::Error Builder::loadState() {
  std::string IndexPath = join(State, "index.json");
  if (fs::exists(IndexPath)) {
    auto Text = readFile(IndexPath);
    if (!Text)
      return Text.takeError();
    auto Read = ProjectIndex::fromJSON(*Text);
    if (!Read)
      return Read.takeError();
    Index = std::move(*Read);
  }
  std::string StatePath = join(State, "state.json");
  if (fs::exists(StatePath)) {
    auto Text = readFile(StatePath);
    if (!Text)
      return Text.takeError();
    auto Parsed = llvm::json::parse(*Text);
    if (!Parsed)
      return Parsed.takeError();
    // Edits made with other rewrite options are of no use: rewrite all.
    if (const auto *O = Parsed->getAsObject())
      SameRewriteOptions =
          O->getString("rewrite").value_or("") == rewriteOptionsKey();
    if (const auto *Ms = Parsed->getAsObject()
                             ? Parsed->getAsObject()->getObject("modules")
                             : nullptr)
      for (const auto &[Name, V] : *Ms)
        if (const auto *O = V.getAsObject()) {
          ModuleState S;
          S.Hash = O->getString("hash").value_or("").str();
          S.Host = O->getBoolean("host").value_or(false);
          Previous[Name.str()] = S;
          FirstBuild = false;
        }
  }
  for (const std::string &Source : Sources) {
    std::string Name = moduleOf(Source);
    std::string EditsPath = join(State, "edits/" + Name + ".json");
    if (!SameRewriteOptions || !fs::exists(EditsPath))
      continue;
    auto Text = readFile(EditsPath);
    if (!Text)
      return Text.takeError();
    auto Edits = editsFromJSON(*Text);
    if (!Edits)
      return Edits.takeError();
    ModuleEdits[Name] = std::move(*Edits);
  }
  return llvm::Error::success();
}

llvm::Error Builder::rewriteModules(const std::vector<std::string> &Files,
                                    bool IndexOnly) {
  RewriteOptions RO;
  RO.ProjectRoots = Roots;
  RO.IndexOnly = IndexOnly;
  RO.AllCallsIndirect = Opts.AllCallsIndirect;
  RO.SlotPatching = Opts.SlotPatching;
  clang::tooling::FixedCompilationDatabase DB(".", ParseFlags);
  for (const std::string &File : Files) {
    std::vector<ModuleRewrite> Results;
    clang::tooling::ClangTool Tool(DB, {File});
    int Status = Tool.run(newRewriteActionFactory(RO, &Index, Results).get());
    if (Status || Results.size() != 1 || !Results[0].Succeeded)
      return error("cannot rewrite '" + File + "' (see the errors above)");
    ModuleRewrite &R = Results[0];
    std::string Name = R.Index.Name;
    Index.add(R.Index);
    if (IndexOnly)
      continue;
    Rewritten.insert(Name);
    auto &Edits = ModuleEdits[Name];
    Edits.clear();
    for (const auto &[F, Rs] : R.Edits)
      Edits[F].assign(Rs.begin(), Rs.end());
    llvm::json::Value J = editsToJSON(R);
    std::string Text;
    llvm::raw_string_ostream(Text) << J;
    if (llvm::Error E = writeFile(join(State, "edits/" + Name + ".json"), Text))
      return E;
  }
  return llvm::Error::success();
}

llvm::Error Builder::rewrite() {
  // A module is rewritten again when a file it read changed, when it was
  // never rewritten, or when the definitions it references changed owner
  // (a function added to or removed from another module).
  std::vector<std::string> Stale;
  std::map<std::string, ModuleIndex> Before;
  for (const std::string &Source : Sources) {
    std::string Name = moduleOf(Source);
    const ModuleIndex *M = Index.module(Name);
    if (M)
      Before[Name] = *M;
    if (!M || M->MainFile != Source || !isFresh(*M)) {
      Stale.push_back(Source);
      Why[Name] = M ? "changed" : "new";
    } else if (!ModuleEdits.count(Name) ||
               !fs::exists(
                   join(Out, Name + (Previous[Name].Host ? "" : ".so")))) {
      Stale.push_back(Source);
      Why[Name] = "not built yet";
    }
  }
  // Without any index, index everything first so that the first rewrite of
  // each module already knows every owner.
  bool Clean = Index.modules().empty();
  if (Clean && !Stale.empty()) {
    if (llvm::Error E = rewriteModules(Stale, /*IndexOnly=*/true))
      return E;
    for (const auto &[Name, M] : Index.modules())
      Before[Name] = M;
  }

  std::vector<std::string> Queue = Stale;
  std::set<std::string> Done;
  while (!Queue.empty()) {
    std::vector<std::string> Batch;
    Batch.swap(Queue);
    if (llvm::Error E = rewriteModules(Batch, /*IndexOnly=*/false))
      return E;
    std::set<std::string> ChangedNames;
    for (const std::string &Source : Batch) {
      std::string Name = moduleOf(Source);
      Done.insert(Name);
      const ModuleIndex *Now = Index.module(Name);
      auto Old = Before.find(Name);
      std::set<std::string> A, B;
      if (Now) {
        A.insert(Now->Functions.begin(), Now->Functions.end());
        A.insert(Now->Globals.begin(), Now->Globals.end());
      }
      if (Old != Before.end()) {
        B.insert(Old->second.Functions.begin(), Old->second.Functions.end());
        B.insert(Old->second.Globals.begin(), Old->second.Globals.end());
      }
      std::set_symmetric_difference(
          A.begin(), A.end(), B.begin(), B.end(),
          std::inserter(ChangedNames, ChangedNames.end()));
      if (Now)
        Before[Name] = *Now;
    }
    if (ChangedNames.empty())
      break;
    for (const std::string &Source : Sources) {
      std::string Name = moduleOf(Source);
      const ModuleIndex *M = Index.module(Name);
      if (!M)
        continue;
      for (const std::string &Ref : M->References)
        if (ChangedNames.count(Ref)) {
          Queue.push_back(Source);
          Why.try_emplace(Name, "uses '" + Ref + "', whose owner changed");
          break;
        }
    }
    // Modules of this very batch are queued again too: they may have been
    // rewritten before the module that now defines what they use.
    // Terminates: a module's definitions depend only on its own files, so
    // rewriting it again changes none.
  }
  for (const std::string &Dup : Index.duplicateDefinitions())
    return error("'" + Dup.substr(0, Dup.find(':')) +
                 "' is defined by more than one module:" +
                 Dup.substr(Dup.find(':') + 1));
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
  if (!Rewritten.empty()) {
    std::string List;
    for (const std::string &Name : Rewritten)
      List += " " + Name + " (" + Why[Name] + ")";
    say("rewrote " + llvm::Twine(Rewritten.size()) + " of " +
        llvm::Twine(Sources.size()) + " modules:" + List);
  }
  std::string IndexText = Index.toJSON();
  return writeFile(join(State, "index.json"), IndexText);
}

llvm::Error Builder::writeSources() {
  // Every project file's text: the union of its includers' edits.
  std::map<std::string, std::vector<clang::tooling::Replacement>> All;
  for (const auto &[Module, Files] : ModuleEdits)
    for (const auto &[File, Edits] : Files) {
      auto &V = All[File];
      V.insert(V.end(), Edits.begin(), Edits.end());
    }
  for (auto &[File, Edits] : All) {
    auto Union = unionOfEdits(File, std::move(Edits));
    if (!Union)
      return Union.takeError();
    auto Original = readFile(File);
    if (!Original)
      return Original.takeError();
    auto Text = applyEdits(*Original, *Union);
    if (!Text)
      return Text.takeError();
    std::optional<std::string> Target = mirrorPath(File, Roots, SrcDir);
    if (!Target)
      return error("'" + File + "' is outside every project root");
    // Rewrite the file only if it changed, so its timestamp means something.
    auto Old = readFile(*Target);
    if (!Old || *Old != *Text) {
      if (!Old)
        llvm::consumeError(Old.takeError());
      if (llvm::Error E = writeFile(*Target, *Text))
        return E;
    }
    Texts[File] = std::move(*Text);
  }
  return llvm::Error::success();
}

std::vector<std::string> Builder::compileCommand(const std::string &Module,
                                                 bool IsHost,
                                                 const std::string &Output,
                                                 bool ObjectOnly) {
  const ModuleIndex *M = Index.module(Module);
  std::vector<std::string> Cmd = {Opts.Compiler};
  // The rewritten copies come first: include directories inside a project
  // root are mirrored.
  for (size_t I = 0; I < Opts.CompilerFlags.size(); ++I) {
    llvm::StringRef F = Opts.CompilerFlags[I];
    std::string Dir;
    if (F == "-I" && I + 1 < Opts.CompilerFlags.size())
      Dir = Opts.CompilerFlags[I + 1];
    else if (F.starts_with("-I") && F.size() > 2)
      Dir = F.drop_front(2).str();
    if (Dir.empty())
      continue;
    if (auto Mirror = mirrorPath(absolutePath(Dir) + "/x", Roots, SrcDir))
      Cmd.push_back("-I" + path::parent_path(*Mirror).str());
  }
  for (size_t K = 1; K < Roots.size(); ++K)
    Cmd.push_back("-I" + join(SrcDir, ".hcr-roots/" + std::to_string(K)));
  Cmd.push_back("-I" + Opts.RuntimeIncludeDir);
  Cmd.push_back("-DHCR_ENABLED=1");
  Cmd.push_back("-fPIC");
  if (ObjectOnly)
    Cmd.push_back("-c");
  else if (!IsHost)
    Cmd.push_back("-shared");
  Cmd.push_back(*mirrorPath(M->MainFile, Roots, SrcDir));
  Cmd.insert(Cmd.end(), Opts.CompilerFlags.begin(), Opts.CompilerFlags.end());
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
    J.Hash = llvm::utohexstr(llvm::xxh3_64bits(Key));
    auto Prev = Previous.find(Name);
    if (Prev != Previous.end() && Prev->second.Hash == J.Hash &&
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
  auto LibOld = readFile(Lib);
  if (!LibOld || *LibOld != *LibNew) {
    if (!LibOld)
      llvm::consumeError(LibOld.takeError());
    if (llvm::Error E = writeFile(Lib, *LibNew))
      return E;
  }
  std::sort(Jobs.begin(), Jobs.end(),
            [](const Job &A, const Job &B) { return A.Host < B.Host; });
  for (const Job &J : Jobs) {
    std::string Target = join(Out, J.Host ? Result.Program : J.Module + ".so");
    if (auto EC = fs::rename(J.Output, Target))
      return error("cannot replace '" + Target + "': " + EC.message());
    Previous[J.Module] = ModuleState{J.Hash, J.Host};
    Result.Compiled.push_back(J.Module);
    if (J.Host)
      Result.HostChanged = true;
  }
  llvm::json::Object Modules;
  for (const auto &[Name, S] : Previous)
    Modules[Name] = llvm::json::Object{{"hash", S.Hash}, {"host", S.Host}};
  std::string Text;
  llvm::raw_string_ostream(Text) << llvm::json::Value(llvm::json::Object{
      {"rewrite", rewriteOptionsKey()}, {"modules", std::move(Modules)}});
  return writeFile(join(State, "state.json"), Text);
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
  auto Report = verify::verify(Files);
  if (!Report)
    return Report.takeError();
  if (!Report->clean() || !Opts.Quiet)
    Log << Report->toText();
  if (!Report->clean())
    return error("hcr-verify found " + llvm::Twine(Report->Findings.size()) +
                 " problems (the outputs were replaced)");
  return llvm::Error::success();
}

llvm::Expected<BuildResult> Builder::run() {
  if (Opts.Sources.empty())
    return error("no source file given");
  if (Opts.OutDir.empty())
    return error("no output directory given (-o)");
  Out = absolutePath(Opts.OutDir);
  State = join(Out, ".hcr");
  SrcDir = join(State, "src");
  Stage = join(State, "stage");
  std::set<std::string> Names;
  for (const std::string &S : Opts.Sources) {
    std::string A = absolutePath(S);
    if (!fs::is_regular_file(A))
      return error("no such source file: '" + S + "'");
    if (!Names.insert(moduleOf(A)).second)
      return error("two sources make module '" + moduleOf(A) +
                   "': module names are file stems and must differ");
    Sources.push_back(A);
  }
  Roots.push_back(commonDirectory(Sources));
  for (const std::string &R : Opts.ExtraProjectRoots)
    Roots.push_back(absolutePath(R));
  // The rewrite parses; link flags mean nothing to it (and clang warns).
  for (const std::string &F : Opts.CompilerFlags) {
    llvm::StringRef Flag = F;
    if (!Flag.starts_with("-l") && !Flag.starts_with("-L") &&
        !Flag.starts_with("-Wl,"))
      ParseFlags.push_back(F);
  }
  ParseFlags.push_back("-I" + Opts.RuntimeIncludeDir);
  ParseFlags.push_back("-DHCR_ENABLED=1");
  if (auto EC = fs::create_directories(Stage))
    return error("cannot create '" + Stage + "': " + EC.message());

  if (llvm::Error E = loadState())
    return std::move(E);
  if (llvm::Error E = rewrite())
    return std::move(E);
  if (llvm::Error E = writeSources())
    return std::move(E);
  BuildResult Result;
  Result.Program = Opts.ProgramName.empty() ? Host : Opts.ProgramName;
  if (llvm::Error E = compile(Result))
    return std::move(E);
  Result.Program = join(Out, Result.Program);
  if (Opts.Verify)
    if (llvm::Error E = verifyObjects(Result))
      return std::move(E);
  if (!Opts.DepFile.empty()) {
    // Escape spaces the way make and ninja read them.
    auto Escape = [](llvm::StringRef P) {
      std::string E;
      for (char C : P)
        E += C == ' ' ? std::string("\\ ") : std::string(1, C);
      return E;
    };
    std::string Text = Escape(Result.Program) + ":";
    std::set<std::string> Inputs;
    for (const std::string &Source : Sources)
      if (const ModuleIndex *M = Index.module(moduleOf(Source)))
        for (const FileStamp &S : M->Inputs)
          Inputs.insert(S.Path);
    for (const std::string &I : Inputs)
      Text += " \\\n  " + Escape(I);
    if (llvm::Error E = writeFile(absolutePath(Opts.DepFile), Text + "\n"))
      return std::move(E);
  }
  if (Result.Compiled.empty())
    say("up to date: " + Result.Program);
  else
    say("built " + Result.Program + " (" + llvm::Twine(Result.Compiled.size()) +
        " of " + llvm::Twine(Sources.size()) + " modules compiled)");
  if (Result.HostChanged && !FirstBuild)
    say("the host '" + Host +
        "' was rebuilt: a running program must be restarted to use it");
  return Result;
}

} // namespace

llvm::Expected<BuildResult> build(const BuildOptions &Options,
                                  llvm::raw_ostream &Log) {
  return Builder(Options, Log).run();
}

} // namespace hcr::build
