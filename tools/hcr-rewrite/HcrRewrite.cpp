//===- HcrRewrite.cpp - The hcr-rewrite driver ----------------------------===//
//
// Options, the project index file and where the rewritten text goes; the
// pipeline is lib/Rewrite's rewriteProject. Nothing is written unless every
// module rewrites cleanly, and then every file is replaced atomically.
//
//===----------------------------------------------------------------------===//

#include "hcr/Rewrite/ProjectFiles.h"
#include "hcr/Rewrite/ProjectRewriter.h"

#include "clang/Tooling/CommonOptionsParser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

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
static cl::opt<bool> DebugNames(
    "debug-names",
    cl::desc("Leave the table of renamed symbols for the debug-names clang "
             "plugin (libHcrDebugNames.so, docs/Debugging.md)"),
    cl::cat(Category));
static cl::list<std::string>
    NonReloadable("non-reloadable", cl::desc("Functions to leave alone"),
                  cl::CommaSeparated, cl::value_desc("f,g"), cl::cat(Category));

/// Reports E (a module's failure was reported by its diagnostics already).
static int fail(llvm::Error E) {
  llvm::handleAllErrors(
      std::move(E), [](const RewriteFailed &) {},
      [](const llvm::ErrorInfoBase &Info) {
        llvm::WithColor::error(llvm::errs(), "hcr-rewrite")
            << Info.message() << "\n";
      });
  return 1;
}

static int fail(const llvm::Twine &Message) {
  return fail(llvm::createStringError(llvm::inconvertibleErrorCode(), Message));
}

int main(int argc, const char **argv) {
  auto Parser =
      clang::tooling::CommonOptionsParser::create(argc, argv, Category);
  if (!Parser)
    return fail(Parser.takeError());
  ProjectRewriteInput In;
  for (const std::string &S : Parser->getSourcePathList())
    In.Sources.push_back(absolutePath(S));
  const std::vector<std::string> &Sources = In.Sources;
  if (Sources.empty())
    return fail("no source file given");
  if (!ModuleName.empty() && Sources.size() != 1)
    return fail("--module-name needs exactly one source");
  bool ToStdout = OutputDir.empty() && !InPlace && !IndexOnly;
  if (ToStdout && Sources.size() != 1)
    return fail("several sources need -o <dir> or -i");
  if (!OutputDir.empty() && InPlace)
    return fail("-o and -i exclude each other");

  RewriteOptions &Opts = In.Options;
  Opts.ModuleName = ModuleName;
  Opts.AllCallsIndirect = AllCallsIndirect;
  Opts.SlotPatching = SlotPatching;
  Opts.NonReloadable = NonReloadable;
  Opts.IndexOnly = IndexOnly;
  Opts.DebugNames = DebugNames;
  for (const std::string &R : ProjectRoots)
    Opts.ProjectRoots.push_back(absolutePath(R));
  if (Opts.ProjectRoots.empty())
    Opts.ProjectRoots.push_back(commonDirectory(Sources));
  const std::vector<std::string> Roots = Opts.ProjectRoots;
  const std::string Main = Sources.front();

  if (!IndexFile.empty() && llvm::sys::fs::exists(IndexFile)) {
    auto Buffer = llvm::MemoryBuffer::getFile(IndexFile);
    if (!Buffer)
      return fail("cannot read '" + IndexFile +
                  "': " + Buffer.getError().message());
    auto Read = ProjectIndex::fromJSON((*Buffer)->getBuffer());
    if (!Read)
      return fail(IndexFile + ": " + llvm::toString(Read.takeError()));
    In.Index = std::move(*Read);
  }

  auto Result = rewriteProject(Parser->getCompilations(), std::move(In));
  if (!Result)
    return fail(Result.takeError());

  std::map<std::string, std::string> Outputs;
  if (ToStdout) {
    llvm::outs() << Result->Texts[Main];
  } else if (InPlace) {
    Outputs = Result->Texts;
  } else if (!OutputDir.empty()) {
    for (auto &[Path, Text] : Result->Texts) {
      std::optional<std::string> Target =
          mirrorPath(Path, Roots, absolutePath(OutputDir));
      if (!Target)
        return fail("'" + Path + "' is outside every project root");
      Outputs[*Target] = Text;
    }
  }
  if (!IndexFile.empty())
    Outputs[absolutePath(IndexFile)] = Result->Index.toJSON();
  if (llvm::Error E = writeFilesAtomically(Outputs))
    return fail(std::move(E));
  return 0;
}
