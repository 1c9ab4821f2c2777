//===- ProjectRewriter.cpp - Rewriting every module of a project ----------===//
//
// The pipeline behind hcr-rewrite and hcr-build. A module is parsed again
// when a file it read changed, when it has no edits from an earlier run, or
// when a definition it uses moved to or from another module; the other
// modules' edits are reused. A header's text is the union of its includers'
// edits.
//
//===----------------------------------------------------------------------===//

#include "hcr/Rewrite/ProjectRewriter.h"

#include "clang/Tooling/Tooling.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <set>
#include <tuple>

using namespace clang;

namespace hcr::rewrite {

char RewriteFailed::ID;

void RewriteFailed::log(llvm::raw_ostream &OS) const {
  OS << "cannot rewrite '" << File << "' (see the errors above)";
}

std::error_code RewriteFailed::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

namespace {

llvm::Error error(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

bool isFresh(const ModuleIndex &M) {
  if (M.Inputs.empty())
    return false;
  for (const FileStamp &S : M.Inputs)
    if (!(stampFile(S.Path) == S))
      return false;
  return true;
}

std::set<std::string> definitions(const ModuleIndex &M) {
  // A definition whose key changed is a change for its users too: their
  // lookups name the key.
  std::set<std::string> Out;
  for (const auto *Names : {&M.Functions, &M.Globals})
    for (const std::string &Name : *Names) {
      auto Key = M.Keys.find(Name);
      Out.insert(Key == M.Keys.end() ? Name : Name + " " + Key->second);
    }
  return Out;
}

class ProjectRewriter {
public:
  ProjectRewriter(const tooling::CompilationDatabase &DB,
                  ProjectRewriteInput In)
      : DB(DB), In(std::move(In)) {}
  llvm::Expected<ProjectRewrite> run();

private:
  std::string moduleOf(const std::string &Source) const {
    return In.Options.ModuleName.empty() ? llvm::sys::path::stem(Source).str()
                                         : In.Options.ModuleName;
  }
  /// Parses each file: indexes it, and unless IndexOnly rewrites it.
  llvm::Error parse(const std::vector<std::string> &Files, bool IndexOnly);
  /// Names that Files' modules define now and did not before, or the other
  /// way round; Before is brought up to date.
  std::set<std::string> changedDefinitions(const std::vector<std::string> &F);
  /// The sources (not in Except) that use one of Names, with why.
  std::vector<std::string> usersOf(const std::set<std::string> &Names,
                                   const std::vector<std::string> &Except);
  llvm::Error applyAll();

  const tooling::CompilationDatabase &DB;
  ProjectRewriteInput In;
  ProjectRewrite Out;
  std::map<std::string, ModuleIndex> Before; ///< Entries of the last parse.
  std::map<std::string, std::string> Why;
};

llvm::Error ProjectRewriter::parse(const std::vector<std::string> &Files,
                                   bool IndexOnly) {
  RewriteOptions Options = In.Options;
  Options.IndexOnly = IndexOnly;
  std::optional<std::string> Failed;
  for (const std::string &File : Files) {
    // One tool per file keeps ClangTool from printing progress.
    std::vector<ModuleRewrite> Results;
    RewriteAction Action(Options, &Out.Index, Results);
    tooling::ClangTool Tool(DB, {File});
    int Status = Tool.run(tooling::newFrontendActionFactory(&Action).get());
    if (Status || Results.size() != 1 || !Results[0].Succeeded) {
      Failed = Failed.value_or(File);
      continue; // Report the errors of every file.
    }
    ModuleRewrite &R = Results[0];
    std::string Name = R.Index.Name;
    Out.Index.add(std::move(R.Index));
    if (IndexOnly)
      continue;
    Out.Rewritten[Name] = Why[Name];
    FileEdits &Edits = Out.Edits[Name];
    Edits.clear();
    for (const auto &[F, Rs] : R.Edits)
      Edits[F].assign(Rs.begin(), Rs.end());
  }
  if (Failed)
    return llvm::make_error<RewriteFailed>(*Failed);
  return llvm::Error::success();
}

std::set<std::string>
ProjectRewriter::changedDefinitions(const std::vector<std::string> &Files) {
  std::set<std::string> Changed;
  for (const std::string &Source : Files) {
    std::string Name = moduleOf(Source);
    const ModuleIndex *Now = Out.Index.module(Name);
    std::set<std::string> A = Now ? definitions(*Now) : std::set<std::string>{};
    auto Old = Before.find(Name);
    std::set<std::string> B = Old != Before.end() ? definitions(Old->second)
                                                  : std::set<std::string>{};
    std::vector<std::string> Differ;
    std::set_symmetric_difference(A.begin(), A.end(), B.begin(), B.end(),
                                  std::back_inserter(Differ));
    for (llvm::StringRef D : Differ)
      Changed.insert(D.split(' ').first.str());
    if (Now)
      Before[Name] = *Now;
  }
  return Changed;
}

std::vector<std::string>
ProjectRewriter::usersOf(const std::set<std::string> &Names,
                         const std::vector<std::string> &Except) {
  std::vector<std::string> Users;
  for (const std::string &Source : In.Sources) {
    const ModuleIndex *M = Out.Index.module(moduleOf(Source));
    if (!M || llvm::is_contained(Except, Source))
      continue;
    for (const std::string &Ref : M->References)
      if (Names.count(Ref)) {
        Users.push_back(Source);
        Why.try_emplace(M->Name, "uses '" + Ref + "', whose owner changed");
        break;
      }
  }
  return Users;
}

llvm::Expected<ProjectRewrite> ProjectRewriter::run() {
  Out.Index = std::move(In.Index);
  // Which modules must be parsed, and why.
  std::vector<std::string> Queue, Unindexed;
  for (const std::string &Source : In.Sources) {
    std::string Name = moduleOf(Source);
    const ModuleIndex *M = Out.Index.module(Name);
    if (M)
      Before[Name] = *M;
    if (!M || M->MainFile != Source || !isFresh(*M)) {
      Queue.push_back(Source);
      Unindexed.push_back(Source);
      Why[Name] = M ? "changed" : "new";
    } else if (auto It = In.PreviousEdits.find(Name);
               It != In.PreviousEdits.end()) {
      Out.Edits[Name] = std::move(It->second);
    } else {
      Queue.push_back(Source);
      Why[Name] = "not built yet";
    }
  }
  if (In.Options.IndexOnly) {
    if (llvm::Error E = parse(Unindexed, /*IndexOnly=*/true))
      return std::move(E);
    Queue.clear();
  }
  // Several modules unknown to the index: index them first, so that the
  // first rewrite of each already knows every owner.
  bool Unknown = llvm::any_of(Queue, [&](const std::string &S) {
    return !Out.Index.module(moduleOf(S));
  });
  if (Queue.size() > 1 && Unknown) {
    if (llvm::Error E = parse(Unindexed, /*IndexOnly=*/true))
      return std::move(E);
    for (const std::string &User :
         usersOf(changedDefinitions(Unindexed), Queue))
      Queue.push_back(User);
  }
  // Rewriting a module changes no module's definitions (they depend on its
  // own files only), so this ends. The modules of a batch are queued again
  // too: they may have been rewritten before the module that now defines
  // what they use.
  while (!Queue.empty()) {
    if (llvm::Error E = parse(Queue, /*IndexOnly=*/false))
      return std::move(E);
    std::set<std::string> Changed = changedDefinitions(Queue);
    Queue = Changed.empty() ? std::vector<std::string>{} : usersOf(Changed, {});
  }
  for (const DuplicateDefinition &D : Out.Index.duplicateDefinitions()) {
    std::string Modules;
    for (const std::string &M : D.Modules)
      Modules += " " + M;
    return error("'" + D.Name +
                 "' is defined by more than one module:" + Modules);
  }
  if (llvm::Error E = applyAll())
    return std::move(E);
  return std::move(Out);
}

llvm::Error ProjectRewriter::applyAll() {
  std::map<std::string, std::vector<tooling::Replacement>> All;
  for (const auto &[Module, Files] : Out.Edits)
    for (const auto &[File, Edits] : Files) {
      std::vector<tooling::Replacement> &V = All[File];
      V.insert(V.end(), Edits.begin(), Edits.end());
    }
  for (auto &[File, Edits] : All) {
    auto Union = unionOfEdits(File, std::move(Edits));
    if (!Union)
      return Union.takeError();
    auto Buffer = llvm::MemoryBuffer::getFile(File);
    if (!Buffer)
      return error("cannot read '" + File +
                   "': " + Buffer.getError().message());
    auto Text = applyEdits((*Buffer)->getBuffer(), *Union);
    if (!Text)
      return error(File + ": " + llvm::toString(Text.takeError()));
    // The copy is compiled in place of the original: diagnostics, debug
    // information and __FILE__ name the original, as in a native build.
    std::string Line = "#line 1 \"";
    for (char C : File) {
      if (C == '"' || C == '\\')
        Line += '\\';
      Line += C;
    }
    Out.Texts[File] = Line + "\"\n" + *Text;
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<ProjectRewrite>
rewriteProject(const tooling::CompilationDatabase &DB,
               ProjectRewriteInput Input) {
  return ProjectRewriter(DB, std::move(Input)).run();
}

llvm::Expected<tooling::Replacements>
unionOfEdits(llvm::StringRef File, std::vector<tooling::Replacement> All) {
  auto Key = [](const tooling::Replacement &R) {
    return std::make_tuple(R.getOffset(), R.getLength(),
                           R.getReplacementText());
  };
  llvm::sort(All,
             [&](const auto &A, const auto &B) { return Key(A) < Key(B); });
  All.erase(std::unique(
                All.begin(), All.end(),
                [&](const auto &A, const auto &B) { return Key(A) == Key(B); }),
            All.end());
  auto Conflict = [&] {
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "'" + File +
            "' needs different rewrites for different modules (is it "
            "compiled with different flags, or does a macro mean different "
            "symbols?)");
  };
  for (size_t I = 1; I < All.size(); ++I)
    if (All[I].getOffset() == All[I - 1].getOffset() &&
        (All[I].getLength() == 0) == (All[I - 1].getLength() == 0))
      return Conflict();
  tooling::Replacements Out;
  for (const tooling::Replacement &R : All)
    if (llvm::Error E = Out.add(R)) {
      llvm::consumeError(std::move(E));
      return Conflict();
    }
  return Out;
}

} // namespace hcr::rewrite
