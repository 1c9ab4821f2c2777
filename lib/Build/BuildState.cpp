//===- BuildState.cpp - What one build leaves for the next ----------------===//
//
// OUTDIR/.hcr holds the build's state:
//   index.json       the project index (lib/Rewrite)
//   edits/<m>.json   module m's edits of each file it read, so a header's
//                    copy is the union over all includers without parsing
//                    them again
//   state.json       the rewrite options' serialization, and per module
//                    the hash of what its compile read
//
//===----------------------------------------------------------------------===//

#include "BuilderInternal.h"

#include "hcr/Rewrite/ProjectFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

namespace fs = llvm::sys::fs;

namespace hcr::build {

llvm::Error error(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

std::string join(llvm::StringRef A, llvm::StringRef B) {
  llvm::SmallString<256> P(A);
  llvm::sys::path::append(P, B);
  return std::string(P);
}

llvm::Expected<std::string> readFile(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return error("cannot read '" + Path + "': " + Buffer.getError().message());
  return (*Buffer)->getBuffer().str();
}

llvm::Error writeFile(llvm::StringRef Path, llvm::StringRef Text) {
  return rewrite::writeFilesAtomically({{Path.str(), Text.str()}});
}

llvm::Error updateFile(llvm::StringRef Path, llvm::StringRef Text) {
  auto Old = readFile(Path);
  if (Old && *Old == Text)
    return llvm::Error::success();
  if (!Old)
    llvm::consumeError(Old.takeError());
  return writeFile(Path, Text);
}

static std::string toText(llvm::json::Value V) {
  std::string Text;
  llvm::raw_string_ostream(Text) << V;
  return Text;
}

llvm::Error saveEdits(llvm::StringRef StateDir, llvm::StringRef Module,
                      const rewrite::FileEdits &Edits) {
  llvm::json::Object Files;
  for (const auto &[File, Rs] : Edits) {
    llvm::json::Array A;
    for (const clang::tooling::Replacement &E : Rs)
      A.push_back(llvm::json::Array{int64_t(E.getOffset()),
                                    int64_t(E.getLength()),
                                    E.getReplacementText().str()});
    Files[File] = std::move(A);
  }
  return writeFile(join(StateDir, ("edits/" + Module + ".json").str()),
                   toText(llvm::json::Object{{"files", std::move(Files)}}));
}

static llvm::Expected<rewrite::FileEdits> editsFromJSON(llvm::StringRef Text) {
  rewrite::FileEdits Out;
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

llvm::Error saveModules(llvm::StringRef StateDir, llvm::StringRef RewriteKey,
                        const std::map<std::string, ModuleState> &Modules) {
  llvm::json::Object O;
  for (const auto &[Name, S] : Modules)
    O[Name] = llvm::json::Object{{"hash", S.Hash}, {"host", S.Host}};
  return writeFile(join(StateDir, "state.json"),
                   toText(llvm::json::Object{{"rewrite", RewriteKey},
                                             {"modules", std::move(O)}}));
}

llvm::Expected<BuildState> loadState(llvm::StringRef StateDir,
                                     llvm::StringRef RewriteKey,
                                     const std::vector<std::string> &Modules) {
  BuildState S;
  std::string IndexPath = join(StateDir, "index.json");
  if (fs::exists(IndexPath)) {
    auto Text = readFile(IndexPath);
    if (!Text)
      return Text.takeError();
    auto Read = rewrite::ProjectIndex::fromJSON(*Text);
    if (!Read)
      return Read.takeError();
    S.Index = std::move(*Read);
  }
  bool SameRewriteOptions = false;
  std::string StatePath = join(StateDir, "state.json");
  if (fs::exists(StatePath)) {
    auto Text = readFile(StatePath);
    if (!Text)
      return Text.takeError();
    auto Parsed = llvm::json::parse(*Text);
    if (!Parsed)
      return Parsed.takeError();
    const llvm::json::Object *O = Parsed->getAsObject();
    // Edits made with other rewrite options are of no use: rewrite all.
    SameRewriteOptions = O && O->getString("rewrite") == RewriteKey;
    if (const auto *Ms = O ? O->getObject("modules") : nullptr)
      for (const auto &[Name, V] : *Ms)
        if (const auto *M = V.getAsObject()) {
          S.Modules[Name.str()] = {M->getString("hash").value_or("").str(),
                                   M->getBoolean("host").value_or(false)};
          S.FirstBuild = false;
        }
  }
  for (const std::string &Name : Modules) {
    std::string EditsPath = join(StateDir, "edits/" + Name + ".json");
    if (!SameRewriteOptions || !fs::exists(EditsPath))
      continue;
    auto Text = readFile(EditsPath);
    if (!Text)
      return Text.takeError();
    auto Edits = editsFromJSON(*Text);
    if (!Edits)
      return Edits.takeError();
    S.Edits[Name] = std::move(*Edits);
  }
  return S;
}

llvm::Error writeDepFile(llvm::StringRef Path, llvm::StringRef Target,
                         const std::vector<std::string> &Inputs) {
  // Escape spaces the way make and ninja read them.
  auto Escape = [](llvm::StringRef P) {
    std::string E;
    for (char C : P)
      E += C == ' ' ? std::string("\\ ") : std::string(1, C);
    return E;
  };
  std::string Text = Escape(Target) + ":";
  for (const std::string &I : Inputs)
    Text += " \\\n  " + Escape(I);
  return writeFile(Path, Text + "\n");
}

} // namespace hcr::build
