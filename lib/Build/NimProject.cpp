//===- NimProject.cpp - Run nim, read its build file ----------------------===//
//
// A Nim program is built from the C that nim writes: hcr-build runs
// `nim c --compileOnly` into OUTDIR/.hcr/nimcache (nim's output passed
// through), then reads nim's build file, <nimcache>/<main>.json: the C
// sources are exactly its "compile" list (a .c left in the nimcache by an
// earlier build is not one), the compiler flags those of its compile
// commands, the link flags those of its "linkcmd". The .nim files nim read
// are in <nimcache>/<main>.deps (--genScript:on; 1.6's "depfiles" is empty).
//
//===----------------------------------------------------------------------===//

#include "BuilderInternal.h"

#include "hcr/Rewrite/ProjectFiles.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/StringSaver.h"

#include <cstdlib>
#include <set>

extern char **environ;

namespace path = llvm::sys::path;

namespace hcr::build {

bool isNimProgram(const std::vector<std::string> &Sources) {
  return Sources.size() == 1 && path::extension(Sources[0]) == ".nim";
}

/// A command line of nim's build file split as a shell would.
static std::vector<std::string> split(llvm::StringRef Command) {
  llvm::BumpPtrAllocator Alloc;
  llvm::StringSaver Saver(Alloc);
  llvm::SmallVector<const char *> Args;
  llvm::cl::TokenizeGNUCommandLine(Command, Saver, Args);
  return std::vector<std::string>(Args.begin(), Args.end());
}

/// The flags of one command: not the program, not "-c", not "-o FILE",
/// nor the files in Skip. Relative -I directories are made absolute (nim
/// runs its commands in the nimcache).
static void addFlags(llvm::StringRef Command, const std::set<std::string> &Skip,
                     llvm::StringRef Dir, std::vector<std::string> &Flags) {
  std::vector<std::string> Args = split(Command);
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    if (A == "-o") {
      ++I;
      continue;
    }
    if (A == "-c" || Skip.count(A.str()) || Skip.count(join(Dir, A)))
      continue;
    if (A.starts_with("-I") && A.size() > 2 && path::is_relative(A.substr(2)))
      Flags.push_back("-I" + join(Dir, A.substr(2)));
    else
      Flags.push_back(A.str());
  }
}

/// Reads <NimCache>/<Name>.json into Project's sources and flags.
static llvm::Error readBuildFile(llvm::StringRef NimCache, llvm::StringRef Name,
                                 NimProject &Project) {
  std::string File = join(NimCache, (Name + ".json").str());
  auto Text = readFile(File);
  if (!Text)
    return Text.takeError();
  auto Parsed = llvm::json::parse(*Text);
  if (!Parsed)
    return error(File + ": " + llvm::toString(Parsed.takeError()));
  const llvm::json::Object *Root = Parsed->getAsObject();
  const llvm::json::Array *Compile = Root ? Root->getArray("compile") : nullptr;
  if (!Compile)
    return error(File + ": no \"compile\" list in nim's build file");
  std::vector<std::string> CompileFlags;
  for (const llvm::json::Value &Entry : *Compile) {
    const llvm::json::Array *Pair = Entry.getAsArray();
    auto Source =
        Pair && Pair->size() == 2 ? (*Pair)[0].getAsString() : std::nullopt;
    auto Command = Source ? (*Pair)[1].getAsString() : std::nullopt;
    if (!Command)
      return error(File + ": a \"compile\" entry is not [file, command]");
    std::string C = rewrite::absolutePath(
        path::is_absolute(*Source) ? Source->str() : join(NimCache, *Source));
    Project.Sources.push_back(C);
    addFlags(*Command, {C, path::filename(C).str()}, NimCache, CompileFlags);
  }
  // Each compile command repeats the common flags: keep each flag once.
  std::set<std::string> Seen;
  for (const std::string &F : CompileFlags)
    if (Seen.insert(F).second)
      Project.Flags.push_back(F);
  std::set<std::string> Objects;
  if (const llvm::json::Array *Link = Root->getArray("link"))
    for (const llvm::json::Value &O : *Link)
      if (auto S = O.getAsString())
        Objects.insert(S->str());
  if (auto LinkCmd = Root->getString("linkcmd"))
    addFlags(*LinkCmd, Objects, NimCache, Project.Flags);
  return llvm::Error::success();
}

/// The environment for nim: XDG_CONFIG_HOME names a user configuration
/// that puts hcr's Nim modules first on nim's path. nim reads the user's
/// nim.cfg after its global one, whose --path entries it would otherwise
/// search first (a --path on the command line comes after them), so this
/// is how `import hotcodereloading` finds hcr's. The user's own nim.cfg
/// and config.nims are carried over.
static llvm::Expected<std::vector<std::string>>
nimEnvironment(const BuildOptions &Opts, llvm::StringRef NimCache) {
  std::vector<std::string> Env;
  for (char **E = environ; *E; ++E)
    if (!llvm::StringRef(*E).starts_with("XDG_CONFIG_HOME="))
      Env.push_back(*E);
  if (Opts.NimModuleDir.empty())
    return Env;
  std::string UserHome;
  if (const char *X = std::getenv("XDG_CONFIG_HOME"); X && *X)
    UserHome = X;
  else if (const char *H = std::getenv("HOME"))
    UserHome = join(H, ".config");
  std::string Home = join(path::parent_path(NimCache), "nimconfig");
  std::string Dir = join(Home, "nim");
  if (auto EC = llvm::sys::fs::create_directories(Dir))
    return error("cannot create '" + Dir + "': " + EC.message());
  std::string Cfg;
  if (!UserHome.empty()) {
    if (auto Own = readFile(join(UserHome, "nim/nim.cfg")))
      Cfg = *Own + "\n";
    else
      llvm::consumeError(Own.takeError());
    if (auto Script = readFile(join(UserHome, "nim/config.nims"))) {
      if (llvm::Error E = updateFile(join(Dir, "config.nims"), *Script))
        return std::move(E);
    } else {
      llvm::consumeError(Script.takeError());
      llvm::sys::fs::remove(join(Dir, "config.nims"));
    }
  }
  Cfg += "# hcr-build: hcr's Nim modules (hotcodereloading) come first.\n"
         "path=\"" +
         Opts.NimModuleDir + "\"\n";
  if (llvm::Error E = updateFile(join(Dir, "nim.cfg"), Cfg))
    return std::move(E);
  Env.push_back("XDG_CONFIG_HOME=" + Home);
  return Env;
}

llvm::Expected<NimProject> compileNim(const BuildOptions &Opts,
                                      llvm::StringRef Main,
                                      llvm::StringRef NimCache) {
  auto Nim = llvm::sys::findProgramByName(Opts.Nim);
  if (!Nim)
    return error("cannot find the Nim compiler '" + Opts.Nim +
                 "' (put nim on PATH or give --nim=PATH)");
  std::vector<std::string> Args = {*Nim, "c", "--compileOnly", "--genScript:on",
                                   ("--nimcache:" + NimCache).str()};
  // -q: errors only; the user's own flags after these still decide.
  if (Opts.Quiet)
    Args.push_back("--hints:off");
  Args.insert(Args.end(), Opts.CompilerFlags.begin(), Opts.CompilerFlags.end());
  Args.push_back(Main.str());
  std::vector<llvm::StringRef> Refs(Args.begin(), Args.end());
  auto Env = nimEnvironment(Opts, NimCache);
  if (!Env)
    return Env.takeError();
  std::vector<llvm::StringRef> EnvRefs(Env->begin(), Env->end());
  llvm::outs().flush();
  std::string ErrMsg;
  int RC = llvm::sys::ExecuteAndWait(*Nim, Refs, EnvRefs, {}, 0, 0, &ErrMsg);
  if (RC != 0)
    return error("nim failed on '" + Main + "'" +
                 (ErrMsg.empty() ? "" : ": " + ErrMsg));
  NimProject Project;
  std::string Name = path::stem(Main).str();
  if (llvm::Error E = readBuildFile(NimCache, Name, Project))
    return std::move(E);
  Project.Inputs.push_back(Main.str());
  if (auto Deps = readFile(join(NimCache, Name + ".deps"))) {
    llvm::SmallVector<llvm::StringRef> Lines;
    llvm::StringRef(*Deps).split(Lines, '\n', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef L : Lines)
      Project.Inputs.push_back(rewrite::absolutePath(L.trim()));
  } else {
    llvm::consumeError(Deps.takeError());
  }
  return Project;
}

} // namespace hcr::build
