//===- HcrRewrite.cpp - The hcr-rewrite driver
//------------------------------===//
//
// Options, the project index file and where the rewritten text goes; the
// transform itself is lib/Rewrite. Nothing is written unless every module
// rewrites cleanly, and then every file is replaced atomically.
//
//===----------------------------------------------------------------------===//

#include "hcr/Rewrite/ModuleRewriter.h"
#include "hcr/Rewrite/ProjectIndex.h"

#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

using namespace hcr::rewrite;
namespace cl = llvm::cl;

static cl::OptionCategory Category("hcr-rewrite options");
static cl::extrahelp
    CommonHelp(clang::tooling::CommonOptionsParser::HelpMessage);
static cl::extrahelp MoreHelp(R"(
Rewrites C translation units (one per module) into the form the hcr runtime
reloads. With one source and neither -o nor -i, the rewritten main file goes
to stdout. See docs/Rewrite.md.
)");

static cl::opt<std::string>
    OutputDir("o",
              cl::desc("Write rewritten files under <dir>, mirroring their "
                       "paths below the project root"),
              cl::value_desc("dir"), cl::cat(Category));
static cl::opt<bool> InPlace("i", cl::desc("Rewrite the files in place"),
                             cl::cat(Category));
static cl::opt<std::string>
    IndexFile("index", cl::desc("Project index to read and update (JSON)"),
              cl::value_desc("file"), cl::cat(Category));
static cl::opt<bool> IndexOnly("index-only",
                               cl::desc("Only update the project index"),
                               cl::cat(Category));
static cl::opt<std::string> ModuleName(
    "module-name",
    cl::desc("Module name of the (single) source; default: its stem"),
    cl::value_desc("name"), cl::cat(Category));
static cl::list<std::string> ProjectRoots(
    "project-root",
    cl::desc("Directory whose headers belong to the project (repeatable; "
             "default: the sources' common directory)"),
    cl::value_desc("dir"), cl::cat(Category));
static cl::opt<bool> AllCallsIndirect(
    "all-calls-indirect",
    cl::desc("Call the module's own functions through trampolines too"),
    cl::cat(Category));
static cl::opt<bool> SlotPatching(
    "slot-patching",
    cl::desc("Bind the slots of imported functions that are only called "
             "(hcr_bind_proc): the runtime rewrites them on reload"),
    cl::cat(Category));
static cl::list<std::string>
    NonReloadable("non-reloadable", cl::desc("Functions to leave alone"),
                  cl::CommaSeparated, cl::value_desc("f,g"), cl::cat(Category));

static int fail(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "hcr-rewrite") << Message << "\n";
  return 1;
}

static bool isFresh(const ModuleIndex &M) {
  for (const FileStamp &S : M.Inputs)
    if (!(stampFile(S.Path) == S))
      return false;
  return !M.Inputs.empty();
}

/// Runs the transform on each source in turn (one tool per file keeps
/// ClangTool from printing progress). Non-zero if any failed.
static int runEach(const clang::tooling::CompilationDatabase &DB,
                   const std::vector<std::string> &Sources,
                   const RewriteOptions &Opts, const ProjectIndex &Index,
                   std::vector<ModuleRewrite> &Out) {
  int Status = 0;
  for (const std::string &S : Sources) {
    clang::tooling::ClangTool Tool(DB, {S});
    Status |= Tool.run(newRewriteActionFactory(Opts, &Index, Out).get());
  }
  return Status;
}

int main(int argc, const char **argv) {
  auto Parser =
      clang::tooling::CommonOptionsParser::create(argc, argv, Category);
  if (!Parser)
    return fail(llvm::toString(Parser.takeError()));
  std::vector<std::string> Sources;
  for (const std::string &S : Parser->getSourcePathList())
    Sources.push_back(absolutePath(S));
  if (Sources.empty())
    return fail("no source file given");
  if (!ModuleName.empty() && Sources.size() != 1)
    return fail("--module-name needs exactly one source");
  bool ToStdout = OutputDir.empty() && !InPlace && !IndexOnly;
  if (ToStdout && Sources.size() != 1)
    return fail("several sources need -o <dir> or -i");
  if (!OutputDir.empty() && InPlace)
    return fail("-o and -i exclude each other");

  RewriteOptions Opts;
  Opts.ModuleName = ModuleName;
  Opts.AllCallsIndirect = AllCallsIndirect;
  Opts.SlotPatching = SlotPatching;
  Opts.NonReloadable = NonReloadable;
  for (const std::string &R : ProjectRoots)
    Opts.ProjectRoots.push_back(absolutePath(R));
  if (Opts.ProjectRoots.empty())
    Opts.ProjectRoots.push_back(commonDirectory(Sources));

  ProjectIndex Index;
  if (!IndexFile.empty() && llvm::sys::fs::exists(IndexFile)) {
    auto Buffer = llvm::MemoryBuffer::getFile(IndexFile);
    if (!Buffer)
      return fail("cannot read '" + IndexFile +
                  "': " + Buffer.getError().message());
    auto Read = ProjectIndex::fromJSON((*Buffer)->getBuffer());
    if (!Read)
      return fail(IndexFile + ": " + llvm::toString(Read.takeError()));
    Index = std::move(*Read);
  }

  // Index the sources whose entry is stale, unless the only stale one is
  // the only source: its rewrite indexes it from the same parse.
  std::vector<std::string> Stale;
  for (const std::string &S : Sources) {
    bool Fresh = false;
    for (const auto &[Name, M] : Index.modules())
      Fresh |= M.MainFile == S && isFresh(M);
    if (!Fresh)
      Stale.push_back(S);
  }
  bool RewriteIndexesItself = Sources.size() == 1 && !IndexOnly;
  if (!Stale.empty() && !RewriteIndexesItself) {
    RewriteOptions IndexOpts = Opts;
    IndexOpts.IndexOnly = true;
    std::vector<ModuleRewrite> Entries;
    if (runEach(Parser->getCompilations(), Stale, IndexOpts, Index, Entries))
      return 1;
    for (ModuleRewrite &E : Entries)
      Index.add(std::move(E.Index));
  }

  std::vector<ModuleRewrite> Results;
  if (!IndexOnly) {
    int Status =
        runEach(Parser->getCompilations(), Sources, Opts, Index, Results);
    bool AllSucceeded = Results.size() == Sources.size();
    for (const ModuleRewrite &R : Results)
      AllSucceeded &= R.Succeeded;
    if (Status || !AllSucceeded)
      return 1;
    for (ModuleRewrite &R : Results)
      Index.add(R.Index);
  }
  for (const std::string &Dup : Index.duplicateDefinitions())
    return fail("'" + Dup.substr(0, Dup.find(':')) +
                "' is defined by more than one module:" +
                Dup.substr(Dup.find(':') + 1));

  // The rewritten text of every file; a header shared by several modules
  // gets the edits all of them need.
  std::map<std::string, std::vector<clang::tooling::Replacement>> All;
  for (const ModuleRewrite &R : Results)
    for (const auto &[Path, Edits] : R.Edits) {
      std::vector<clang::tooling::Replacement> &V = All[Path];
      V.insert(V.end(), Edits.begin(), Edits.end());
    }
  std::map<std::string, clang::tooling::Replacements> Merged;
  for (auto &[Path, Edits] : All) {
    auto Union = unionOfEdits(Path, std::move(Edits));
    if (!Union)
      return fail(llvm::toString(Union.takeError()));
    Merged[Path] = std::move(*Union);
  }
  std::map<std::string, std::string> Rewritten;
  for (const auto &[Path, Edits] : Merged) {
    auto Buffer = llvm::MemoryBuffer::getFile(Path);
    if (!Buffer)
      return fail("cannot read '" + Path + "'");
    auto Text = applyEdits((*Buffer)->getBuffer(), Edits);
    if (!Text)
      return fail(Path + ": " + llvm::toString(Text.takeError()));
    Rewritten[Path] = std::move(*Text);
  }

  std::map<std::string, std::string> Outputs;
  if (ToStdout) {
    llvm::outs() << Rewritten[Sources.front()];
  } else if (InPlace) {
    Outputs = Rewritten;
  } else if (!OutputDir.empty()) {
    for (auto &[Path, Text] : Rewritten) {
      std::optional<std::string> Target =
          mirrorPath(Path, Opts.ProjectRoots, absolutePath(OutputDir));
      if (!Target)
        return fail("'" + Path + "' is outside every project root");
      Outputs[*Target] = Text;
    }
  }
  if (!IndexFile.empty())
    Outputs[absolutePath(IndexFile)] = Index.toJSON();
  if (llvm::Error E = writeFilesAtomically(Outputs))
    return fail(llvm::toString(std::move(E)));
  return 0;
}
