//===- HcrRewriteFuzzer.cpp - libFuzzer target of the rewrite -------------===//
//
// Rewrites each input as one module of a project and checks the promise of
// docs/Rewrite.md that a user relies on first: C that clang accepts and the
// rewrite accepts becomes C that clang accepts too, with the same flags. A
// crash, a sanitizer report or rewritten C that does not compile is a
// finding (abort); an input that clang or the rewrite rejects with a
// diagnostic is not. docs/Fuzzing.md says how to run it.
//
// An input is the module's file, /project/m.c, optionally followed by
// files in LLVM's split-file form: a line "//--- shapes.h" starts the
// project header /project/shapes.h, "//--- system/x.h" a system header
// (-isystem /project/system). The hcr-rewrite options an input names
// anywhere (--all-calls-indirect, --slot-patching, --non-reloadable=f,g,
// -std=...) apply to it, so the lit tests' inputs are seeds as they are,
// RUN lines included.
//
// With HCR_FUZZ_PRINT=1 in the environment, the clang diagnostics and the
// rewritten files are printed: run the fuzzer on one input to see why it
// was rejected or what it became.
//
//===----------------------------------------------------------------------===//

#include "hcr/Rewrite/ModuleRewriter.h"

#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Frontend/Utils.h"
#include "clang/Sema/SemaConsumer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace clang;
using namespace hcr::rewrite;

namespace {

constexpr llvm::StringLiteral ProjectDir = "/project";
constexpr llvm::StringLiteral MainPath = "/project/m.c";
constexpr llvm::StringLiteral FileMarker = "//--- ";

/// Warnings that are errors for gcc 14 or that a correct rewrite cannot
/// introduce (main's implicit return 0 lost in main_actual was one). They
/// are errors for the input too, so an input that has them is rejected,
/// never blamed on the rewrite.
const char *const StrictFlags[] = {
    "-Werror=incompatible-pointer-types", "-Werror=int-conversion",
    "-Werror=implicit-function-declaration", "-Werror=implicit-int",
    "-Werror=return-type"};

/// One input, split: every file by absolute path, the options it names.
struct FuzzInput {
  std::map<std::string, std::string> Files;
  RewriteOptions Options;
  std::string Standard; ///< -std=...; empty: clang's default.
};

/// A split-file name: a relative path without "." or ".." components.
bool isFileName(llvm::StringRef Name) {
  if (Name.empty() || Name.starts_with("/") || Name.ends_with("/"))
    return false;
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Name.split(Parts, '/');
  for (llvm::StringRef P : Parts)
    if (P.empty() || P == "." || P == ".." ||
        P.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
                            "VWXYZ0123456789_.-") != llvm::StringRef::npos)
      return false;
  return true;
}

/// The word after Option= in Text ("" if absent), of the characters Chars.
std::string optionValue(llvm::StringRef Text, llvm::StringRef Option,
                        llvm::StringRef Chars) {
  size_t At = Text.find(Option);
  if (At == llvm::StringRef::npos)
    return "";
  llvm::StringRef Rest = Text.drop_front(At + Option.size());
  return Rest.take_while([&](char C) { return Chars.contains(C); }).str();
}

/// Whether clang 19 may never finish parsing Text: in C, a parenthesized
/// expression that starts with `::` (`int x = (::a);`) loops forever in
/// clang's parser (llvm/llvm-project#195367, #208044: clang's bug, which
/// hcr-rewrite shares with every clang-19 compile of that text). A `::`
/// can also come from pasting two colons (`:##:`), so any of these is
/// enough to skip the input.
bool hangsClang19(llvm::StringRef Text) {
  if (Text.contains("::"))
    return true;
  for (size_t At = Text.find("##"); At != llvm::StringRef::npos;
       At = Text.find("##", At + 2)) {
    llvm::StringRef Before = Text.take_front(At).rtrim(" \t\\\n");
    llvm::StringRef After = Text.drop_front(At + 2).ltrim(" \t\\\n");
    if (Before.ends_with(":") || After.starts_with(":"))
      return true;
  }
  return false;
}

/// Splits Data into its files and reads its options; nullopt if two files
/// share a name or clang could not parse it in bounded time (the input is
/// not worth keeping).
std::optional<FuzzInput> splitInput(llvm::StringRef Data) {
  if (hangsClang19(Data))
    return std::nullopt;
  FuzzInput In;
  std::string *Current = &In.Files[MainPath.str()];
  while (!Data.empty()) {
    auto [Line, Rest] = Data.split('\n');
    llvm::StringRef Name = Line.drop_front(FileMarker.size()).rtrim();
    if (Line.starts_with(FileMarker) && isFileName(Name)) {
      std::string Path = (ProjectDir + "/" + Name).str();
      auto [It, New] = In.Files.try_emplace(Path);
      if (!New)
        return std::nullopt;
      Current = &It->second;
    } else {
      Current->append(Line.begin(), Line.end());
      if (Line.end() != Data.end())
        Current->push_back('\n');
    }
    Data = Rest;
  }

  llvm::StringRef Main = In.Files[MainPath.str()];
  RewriteOptions &Opts = In.Options;
  Opts.ModuleName = "m";
  Opts.ProjectRoots = {ProjectDir.str()};
  Opts.AllCallsIndirect = Main.contains("--all-calls-indirect");
  Opts.SlotPatching = Main.contains("--slot-patching");
  const char *Identifier =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
      "0123456789_";
  std::string Excluded =
      optionValue(Main, "--non-reloadable=", std::string(Identifier) + ",");
  for (llvm::StringRef Rest = Excluded; !Rest.empty();) {
    auto [Name, Tail] = Rest.split(',');
    if (!Name.empty())
      Opts.NonReloadable.push_back(Name.str());
    Rest = Tail;
  }
  In.Standard =
      optionValue(Main, "-std=", "abcdefghijklmnopqrstuvwxyz0123456789+");
  return In;
}

/// The compiler invocation of both compilations, the input's and the
/// rewritten C's, for the input's flags. The driver's work (the toolchain's
/// include paths, found on disk) is done once per set of flags, not twice
/// per input: it took as long as parsing a small input.
std::shared_ptr<const CompilerInvocation> invocationFor(const FuzzInput &In) {
  std::vector<std::string> Flags = {"hcr-rewrite-fuzzer", "-fsyntax-only",
                                    "-I" HCR_FUZZ_INCLUDE_DIR, "-isystem",
                                    (ProjectDir + "/system").str()};
  // Nim's C includes nimbase.h (and brings Nim's conventions), as in the
  // lit tests.
  static const bool HaveNim = llvm::sys::fs::is_directory("/usr/lib/nim/lib");
  if (HaveNim)
    Flags.push_back("-I/usr/lib/nim/lib");
  Flags.insert(Flags.end(), std::begin(StrictFlags), std::end(StrictFlags));
  if (!In.Standard.empty())
    Flags.push_back("-std=" + In.Standard);
  Flags.push_back(MainPath.str());

  static std::map<std::vector<std::string>,
                  std::shared_ptr<const CompilerInvocation>>
      Cache;
  auto [It, New] = Cache.try_emplace(Flags);
  if (!New)
    return It->second;
  std::vector<const char *> Args;
  for (const std::string &F : Flags)
    Args.push_back(F.c_str());
  // The driver only needs to see that the main file exists.
  auto Memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  Memory->addFile(MainPath, 0, llvm::MemoryBuffer::getMemBuffer(""));
  auto Overlay = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      llvm::vfs::getRealFileSystem());
  Overlay->pushOverlay(Memory);
  IgnoringDiagConsumer Ignore;
  CreateInvocationOptions Opts;
  Opts.Diags = CompilerInstance::createDiagnostics(new DiagnosticOptions(),
                                                   &Ignore, false);
  Opts.VFS = Overlay;
  std::shared_ptr<CompilerInvocation> CI = createInvocation(Args, Opts);
  if (CI) {
    // The driver asks cc1 to leak its state at exit; this process lives on.
    CI->getFrontendOpts().DisableFree = false;
    CI->getCodeGenOpts().DisableFree = false;
  }
  // A -std= that clang rejects is cached as null: the input is rejected.
  return It->second = std::move(CI);
}

bool printing() {
  static const bool Print = std::getenv("HCR_FUZZ_PRINT") != nullptr;
  return Print;
}

/// How much of clang's diagnostics a compilation needs.
enum class Diagnosing {
  /// The input's: most inputs are rejected, and only whether is needed. The
  /// first error stops the parse, and no error is spell-checked. (Each
  /// diagnostic's source line costs a new identifier table in clang 19's
  /// snippet highlighter: carets off.) Over half of the time went there.
  FirstError,
  /// The rewritten C's: every error, shown as clang shows it.
  Everything,
};

/// Runs Action over /project/m.c of Files, which are seen above the real
/// file system; Diags gets clang's diagnostics. True if clang reported no
/// error.
bool runAction(FrontendAction &Action, const CompilerInvocation &Invocation,
               const std::map<std::string, std::string> &Files,
               DiagnosticConsumer &Diags, Diagnosing How) {
  auto Overlay = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      llvm::vfs::getRealFileSystem());
  auto Memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  Overlay->pushOverlay(Memory);
  for (const auto &[Path, Text] : Files)
    Memory->addFile(Path, 0, llvm::MemoryBuffer::getMemBuffer(Text, Path));
  auto Copy = std::make_shared<CompilerInvocation>(Invocation);
  if (How == Diagnosing::FirstError && !printing()) {
    Copy->getDiagnosticOpts().ErrorLimit = 1;
    Copy->getLangOpts().SpellChecking = false;
  }
  CompilerInstance Compiler;
  Compiler.setInvocation(std::move(Copy));
  Compiler.createDiagnostics(&Diags, /*ShouldOwnClient=*/false);
  // Not "N errors generated." on stderr for every input clang rejects.
  Compiler.setVerboseOutputStream(llvm::nulls());
  Compiler.createFileManager(Overlay);
  Compiler.createSourceManager(Compiler.getFileManager());
  return Compiler.ExecuteAction(Action);
}

/// Rewrites the module as hcr-rewrite rewrites a project whose index is
/// new: its index entry first, then the rewrite against an index in which
/// another module, "other", defines every external name the module uses
/// without defining it (so imports are fuzzed too). Both passes share one
/// parse.
class ProjectAction : public ASTFrontendAction {
public:
  ProjectAction(const RewriteOptions &Opts, std::vector<ModuleRewrite> &Out)
      : Opts(Opts), Out(Out) {}

private:
  /// Both passes' consumers, made before the parse: the rewrite's is a
  /// SemaConsumer, which reads the preprocessor's macros.
  class Consumer : public SemaConsumer {
  public:
    Consumer(const RewriteOptions &Opts, std::vector<ModuleRewrite> &Out)
        : IndexAction(indexOnly(Opts), nullptr, Indexed),
          Action(Opts, &Project, Out), Index(IndexAction.newASTConsumer()),
          Rewrite(Action.newASTConsumer()) {}
    void InitializeSema(Sema &S) override {
      for (ASTConsumer *C : {Index.get(), Rewrite.get()})
        if (auto *SC = dyn_cast<SemaConsumer>(C))
          SC->InitializeSema(S);
    }
    void ForgetSema() override {
      for (ASTConsumer *C : {Index.get(), Rewrite.get()})
        if (auto *SC = dyn_cast<SemaConsumer>(C))
          SC->ForgetSema();
    }
    void HandleTranslationUnit(ASTContext &Ctx) override {
      Index->HandleTranslationUnit(Ctx);
      if (Indexed.size() != 1 || !Indexed[0].Succeeded)
        return;
      ModuleIndex Other;
      Other.Name = "other";
      Other.MainFile = "/other/other.c";
      Other.Functions = Other.Globals = Indexed[0].Index.References;
      Project.add(std::move(Indexed[0].Index));
      Project.add(std::move(Other));
      Rewrite->HandleTranslationUnit(Ctx);
    }

  private:
    static RewriteOptions indexOnly(RewriteOptions Opts) {
      Opts.IndexOnly = true;
      return Opts;
    }
    std::vector<ModuleRewrite> Indexed;
    ProjectIndex Project;
    RewriteAction IndexAction, Action;
    std::unique_ptr<ASTConsumer> Index, Rewrite;
  };

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &,
                                                 llvm::StringRef) override {
    return std::make_unique<Consumer>(Opts, Out);
  }

  const RewriteOptions &Opts;
  std::vector<ModuleRewrite> &Out;
};

/// Collects diagnostics as text (printed only when someone looks).
struct DiagnosticText {
  explicit DiagnosticText(Diagnosing How) : Options(new DiagnosticOptions()) {
    Options->ShowCarets = How == Diagnosing::Everything || printing();
  }
  std::string Text;
  llvm::raw_string_ostream OS{Text};
  llvm::IntrusiveRefCntPtr<DiagnosticOptions> Options;
  TextDiagnosticPrinter Printer{OS, Options.get()};
};

void printFiles(const std::map<std::string, std::string> &Files) {
  for (const auto &[Path, Text] : Files)
    llvm::errs() << "//--- " << Path << "\n" << Text << "\n";
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::optional<FuzzInput> In =
      splitInput(llvm::StringRef(reinterpret_cast<const char *>(Data), Size));
  if (!In)
    return -1; // Not kept in the corpus.
  std::shared_ptr<const CompilerInvocation> Invocation = invocationFor(*In);
  if (!Invocation)
    return 0;

  std::vector<ModuleRewrite> Results;
  ProjectAction Rewrite(In->Options, Results);
  DiagnosticText InputDiags(Diagnosing::FirstError);
  bool Parsed = runAction(Rewrite, *Invocation, In->Files, InputDiags.Printer,
                          Diagnosing::FirstError);
  if (printing())
    llvm::errs() << "hcr-rewrite-fuzzer: the input:\n" << InputDiags.Text;
  if (!Parsed || Results.size() != 1 || !Results[0].Succeeded)
    return 0; // Rejected by clang or by the rewrite: not a finding.

  std::map<std::string, std::string> Rewritten = In->Files;
  for (const auto &[Path, Edits] : Results[0].Edits) {
    auto It = Rewritten.find(Path);
    if (It == Rewritten.end()) {
      if (Edits.empty())
        continue; // A file it read (hcr.h, nimbase.h) and left alone.
      llvm::errs() << "hcr-rewrite-fuzzer: the rewrite edits '" << Path
                   << "', which is not the module's\n";
      abort();
    }
    llvm::Expected<std::string> Text = applyEdits(It->second, Edits);
    if (!Text) {
      llvm::errs() << "hcr-rewrite-fuzzer: the edits of '" << Path
                   << "' do not apply: " << llvm::toString(Text.takeError())
                   << "\n";
      abort();
    }
    It->second = std::move(*Text);
  }
  if (printing()) {
    llvm::errs() << "hcr-rewrite-fuzzer: rewritten:\n";
    printFiles(Rewritten);
  }

  SyntaxOnlyAction Check;
  DiagnosticText OutputDiags(Diagnosing::Everything);
  if (!runAction(Check, *Invocation, Rewritten, OutputDiags.Printer,
                 Diagnosing::Everything)) {
    llvm::errs() << "hcr-rewrite-fuzzer: the rewritten C does not compile:\n"
                 << OutputDiags.Text << "hcr-rewrite-fuzzer: the input:\n";
    printFiles(In->Files);
    llvm::errs() << "hcr-rewrite-fuzzer: rewritten:\n";
    printFiles(Rewritten);
    abort();
  }
  return 0;
}
