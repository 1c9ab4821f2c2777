//===- ProjectIndex.cpp - Who defines what --------------------------------===//

#include "hcr/Rewrite/ProjectIndex.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <tuple>

namespace hcr::rewrite {

void ProjectIndex::add(ModuleIndex M) {
  std::string Name = M.Name;
  Modules[Name] = std::move(M);
  rebuildOwners();
}

const ModuleIndex *ProjectIndex::module(llvm::StringRef Name) const {
  auto It = Modules.find(Name.str());
  return It == Modules.end() ? nullptr : &It->second;
}

void ProjectIndex::rebuildOwners() {
  FunctionOwners.clear();
  GlobalOwners.clear();
  for (const auto &[Name, M] : Modules) {
    for (const std::string &F : M.Functions)
      FunctionOwners[F].push_back(Name);
    for (const std::string &G : M.Globals)
      GlobalOwners[G].push_back(Name);
  }
}

static std::optional<std::string>
ownerIn(const llvm::StringMap<std::vector<std::string>> &Owners,
        llvm::StringRef Name) {
  auto It = Owners.find(Name);
  if (It == Owners.end() || It->second.empty())
    return std::nullopt;
  return It->second.front();
}

std::optional<std::string>
ProjectIndex::functionOwner(llvm::StringRef Name) const {
  return ownerIn(FunctionOwners, Name);
}

std::optional<std::string>
ProjectIndex::globalOwner(llvm::StringRef Name) const {
  return ownerIn(GlobalOwners, Name);
}

std::string ProjectIndex::keyOf(llvm::StringRef Name) const {
  std::optional<std::string> Owner = functionOwner(Name);
  if (!Owner)
    Owner = globalOwner(Name);
  if (Owner)
    if (const ModuleIndex *M = module(*Owner))
      if (auto It = M->Keys.find(Name.str()); It != M->Keys.end())
        return It->second;
  return Name.str();
}

std::vector<DuplicateDefinition> ProjectIndex::duplicateDefinitions() const {
  std::vector<DuplicateDefinition> Out;
  for (const auto *Owners : {&FunctionOwners, &GlobalOwners})
    for (const auto &Entry : *Owners)
      if (Entry.second.size() > 1)
        Out.push_back({Entry.first().str(), Entry.second});
  std::sort(Out.begin(), Out.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Name, A.Modules) < std::tie(B.Name, B.Modules);
  });
  return Out;
}

static llvm::json::Array strings(const std::vector<std::string> &V) {
  return llvm::json::Array(V);
}

std::string ProjectIndex::toJSON() const {
  llvm::json::Array Ms;
  for (const auto &[Name, M] : Modules) {
    llvm::json::Array Inputs;
    for (const FileStamp &S : M.Inputs)
      Inputs.push_back(llvm::json::Object{{"path", S.Path},
                                          {"size", int64_t(S.Size)},
                                          {"mtime_ns", S.ModifiedNs}});
    llvm::json::Object Keys;
    for (const auto &[CName, Key] : M.Keys)
      Keys[CName] = Key;
    Ms.push_back(llvm::json::Object{{"name", M.Name},
                                    {"main_file", M.MainFile},
                                    {"host", M.IsHost},
                                    {"functions", strings(M.Functions)},
                                    {"globals", strings(M.Globals)},
                                    {"references", strings(M.References)},
                                    {"keys", std::move(Keys)},
                                    {"exported", strings(M.Exported)},
                                    {"inputs", std::move(Inputs)}});
  }
  llvm::json::Object Root{{"version", 1}, {"modules", std::move(Ms)}};
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Root))) << "\n";
  return Out;
}

static bool readStrings(const llvm::json::Object &O, llvm::StringRef Key,
                        std::vector<std::string> &Out) {
  const llvm::json::Array *A = O.getArray(Key);
  if (!A)
    return false;
  for (const llvm::json::Value &V : *A) {
    auto S = V.getAsString();
    if (!S)
      return false;
    Out.push_back(S->str());
  }
  return true;
}

llvm::Expected<ProjectIndex> ProjectIndex::fromJSON(llvm::StringRef Text) {
  auto Bad = [](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "malformed project index: " + Why);
  };
  llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse(Text);
  if (!Parsed)
    return Bad(llvm::toString(Parsed.takeError()));
  const llvm::json::Object *Root = Parsed->getAsObject();
  if (!Root || Root->getInteger("version") != 1)
    return Bad("expected an object with \"version\": 1");
  const llvm::json::Array *Ms = Root->getArray("modules");
  if (!Ms)
    return Bad("no \"modules\" array");
  ProjectIndex Index;
  for (const llvm::json::Value &V : *Ms) {
    const llvm::json::Object *O = V.getAsObject();
    ModuleIndex M;
    if (!O)
      return Bad("a module is not an object");
    auto Name = O->getString("name");
    auto Main = O->getString("main_file");
    if (!Name || !Main)
      return Bad("a module lacks \"name\" or \"main_file\"");
    M.Name = Name->str();
    M.MainFile = Main->str();
    M.IsHost = O->getBoolean("host").value_or(false);
    if (!readStrings(*O, "functions", M.Functions) ||
        !readStrings(*O, "globals", M.Globals) ||
        !readStrings(*O, "references", M.References))
      return Bad("module '" + M.Name + "' has a malformed symbol list");
    if (O->getArray("exported") && !readStrings(*O, "exported", M.Exported))
      return Bad("module '" + M.Name + "' has a malformed export list");
    if (const llvm::json::Object *Keys = O->getObject("keys"))
      for (const auto &[CName, Key] : *Keys) {
        if (!Key.getAsString())
          return Bad("module '" + M.Name + "' has a malformed key");
        M.Keys[CName.str()] = Key.getAsString()->str();
      }
    if (const llvm::json::Array *Inputs = O->getArray("inputs"))
      for (const llvm::json::Value &I : *Inputs) {
        const llvm::json::Object *IO = I.getAsObject();
        if (!IO || !IO->getString("path"))
          return Bad("module '" + M.Name + "' has a malformed input");
        FileStamp S;
        S.Path = IO->getString("path")->str();
        S.Size = IO->getInteger("size").value_or(0);
        S.ModifiedNs = IO->getInteger("mtime_ns").value_or(0);
        M.Inputs.push_back(std::move(S));
      }
    Index.Modules[M.Name] = std::move(M);
  }
  Index.rebuildOwners();
  return Index;
}

FileStamp stampFile(llvm::StringRef Path) {
  FileStamp S;
  S.Path = Path.str();
  llvm::sys::fs::file_status Status;
  if (!llvm::sys::fs::status(Path, Status)) {
    S.Size = Status.getSize();
    S.ModifiedNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       Status.getLastModificationTime().time_since_epoch())
                       .count();
  }
  return S;
}

} // namespace hcr::rewrite
