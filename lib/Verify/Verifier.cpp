//===- Verifier.cpp - Symbol resolution checked with ORC
//-------------------===//

#include "hcr/Verify/Verifier.h"

#include "RecordingRuntime.h"
#include "hcr/hcr.h"

#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/ExecutorProcessControl.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"

#include <map>
#include <set>

using namespace llvm;
using namespace llvm::orc;

namespace hcr::verify {

const char *Finding::kindName() const {
  switch (What) {
  case DirectReference:
    return "direct-reference";
  case Undefined:
    return "undefined";
  case StrayExport:
    return "stray-export";
  case UnregisteredLookup:
    return "unregistered-lookup";
  case DoubleRegistration:
    return "double-registration";
  }
  return "unknown";
}

std::string Finding::message() const {
  switch (What) {
  case DirectReference:
    return Module + ": references " + Symbol + " defined in module " + Owner +
           " directly";
  case Undefined:
    return Module + ": references " + Symbol + ", which is undefined anywhere";
  case StrayExport:
    return Module + ": exports " + Symbol +
           ", which the dynamic linker could bind to (only the module ABI's "
           "entry points may be exported)";
  case UnregisteredLookup:
    return Module + ": looks up " + Detail + " '" + Symbol + "' of module " +
           Owner + ", which no module registers";
  case DoubleRegistration:
    return Owner + ": " + Detail + " '" + Symbol + "' is registered twice" +
           (Module.empty() ? "" : " (by " + Module + ")");
  }
  return "";
}

std::string Report::toText() const {
  std::string Out;
  for (const Finding &F : Findings)
    Out += "error: " + F.message() + "\n";
  for (const std::string &N : Notes)
    Out += "note: " + N + "\n";
  Out += "hcr-verify: " + std::to_string(Modules.size()) + " modules, " +
         std::to_string(Registrations) + " registrations, " +
         std::to_string(Lookups) + " lookups: " +
         (clean() ? std::string("every symbol resolves through the runtime")
                  : std::to_string(Findings.size()) + " problems") +
         "\n";
  return Out;
}

std::string Report::toJSON() const {
  json::Array Fs;
  for (const Finding &F : Findings)
    Fs.push_back(json::Object{{"kind", F.kindName()},
                              {"module", F.Module},
                              {"symbol", F.Symbol},
                              {"owner", F.Owner},
                              {"message", F.message()}});
  json::Object Root{{"modules", json::Array(Modules)},
                    {"host", Host},
                    {"clean", clean()},
                    {"registrations", int64_t(Registrations)},
                    {"lookups", int64_t(Lookups)},
                    {"findings", std::move(Fs)},
                    {"notes", json::Array(Notes)}};
  std::string Out;
  raw_string_ostream OS(Out);
  OS << formatv("{0:2}", json::Value(std::move(Root))) << "\n";
  return Out;
}

namespace {

/// The entry points a module may export (docs/ModuleABI.md).
bool isEntryPoint(StringRef Name) {
#define HCR_IS_ENTRY_POINT_(name, type, what)                                  \
  if (Name == HCR_MODULE_PREFIX #name)                                         \
    return true;
  HCR_MODULE_ENTRY_POINTS(HCR_IS_ENTRY_POINT_)
#undef HCR_IS_ENTRY_POINT_
  return Name == HCR_MODULE_ABI_VERSION_SYMBOL;
}

/// What one object file defines and needs, read from its symbol table.
struct ObjectSymbols {
  std::set<std::string> Defined;   ///< Global definitions, any visibility.
  std::set<std::string> Exported;  ///< Global, default visibility.
  std::set<std::string> Undefined; ///< References to other objects.
};

Expected<ObjectSymbols> readSymbols(MemoryBufferRef Buffer) {
  auto Obj = object::ObjectFile::createObjectFile(Buffer);
  if (!Obj)
    return Obj.takeError();
  const auto *ELF = dyn_cast<object::ELFObjectFileBase>(Obj->get());
  if (!ELF || !ELF->isRelocatableObject())
    return createStringError(inconvertibleErrorCode(),
                             "'" + Buffer.getBufferIdentifier() +
                                 "' is not a relocatable ELF object "
                                 "(hcr-build --verify keeps them)");
  ObjectSymbols S;
  for (const object::ELFSymbolRef &Sym : ELF->symbols()) {
    Expected<uint32_t> Flags = Sym.getFlags();
    Expected<StringRef> Name = Sym.getName();
    if (!Flags || !Name) {
      consumeError(Flags.takeError());
      consumeError(Name.takeError());
      continue;
    }
    if (Name->empty() || !(*Flags & object::SymbolRef::SF_Global))
      continue;
    if (*Flags & object::SymbolRef::SF_Undefined) {
      S.Undefined.insert(Name->str());
      continue;
    }
    S.Defined.insert(Name->str());
    if ((Sym.getOther() & 0x3) == ELF::STV_DEFAULT)
      S.Exported.insert(Name->str());
  }
  return S;
}

struct LoadedModule {
  std::string Name;
  std::unique_ptr<MemoryBuffer> Buffer;
  ObjectSymbols Symbols;
  JITDylib *JD = nullptr;
  bool Linked = false;
};

} // namespace

Expected<Report> verify(const std::vector<ModuleFile> &Files) {
  InitializeNativeTarget();
  Report R;
  std::vector<LoadedModule> Modules;
  for (const ModuleFile &F : Files) {
    auto Buffer = MemoryBuffer::getFile(F.Path);
    if (!Buffer)
      return createStringError(Buffer.getError(),
                               "cannot read '" + F.Path +
                                   "': " + Buffer.getError().message());
    LoadedModule M;
    M.Name = F.Name;
    M.Buffer = std::move(*Buffer);
    auto Symbols = readSymbols(M.Buffer->getMemBufferRef());
    if (!Symbols)
      return Symbols.takeError();
    M.Symbols = std::move(*Symbols);
    if (M.Symbols.Defined.count("main")) {
      if (!R.Host.empty())
        return createStringError(inconvertibleErrorCode(),
                                 "both '" + R.Host + "' and '" + M.Name +
                                     "' define main");
      R.Host = M.Name;
    }
    R.Modules.push_back(M.Name);
    Modules.push_back(std::move(M));
  }
  std::map<std::string, std::string> DefinedBy;
  for (const LoadedModule &M : Modules)
    for (const std::string &S : M.Symbols.Defined)
      DefinedBy.emplace(S, M.Name);

  // Exports: only the module ABI's entry points (the host: main).
  for (const LoadedModule &M : Modules)
    for (const std::string &S : M.Symbols.Exported)
      if (!(M.Name == R.Host ? S == "main" : isEntryPoint(S)))
        R.Findings.push_back({Finding::StrayExport, M.Name, S, "", ""});

  // One bare JITDylib per module: the runtime's API (recorded), libc and
  // libm, nothing else.
  auto EPC = SelfExecutorProcessControl::Create();
  if (!EPC)
    return EPC.takeError();
  ExecutionSession ES(std::move(*EPC));
  std::map<std::string, std::set<std::string>> Missing; // By module.
  std::string CurrentModule;
  ES.setErrorReporter([&](Error E) {
    handleAllErrors(
        std::move(E),
        [&](SymbolsNotFound &NF) {
          for (const SymbolStringPtr &S : NF.getSymbols())
            Missing[CurrentModule].insert((*S).str());
        },
        [&](ErrorInfoBase &Other) {
          R.Notes.push_back(CurrentModule + ": " + Other.message());
        });
  });
  ObjectLinkingLayer Linker(ES);
  RecordingRuntime Recorder;
  for (LoadedModule &M : Modules) {
    M.JD = &ES.createBareJITDylib(M.Name);
    if (Error E = M.JD->define(absoluteSymbols(Recorder.symbols(ES))))
      return std::move(E);
    for (const char *Lib : {"libc.so.6", "libm.so.6"}) {
      auto G = DynamicLibrarySearchGenerator::Load(Lib, '\0');
      if (!G)
        return G.takeError();
      M.JD->addGenerator(std::move(*G));
    }
    if (Error E = Linker.add(*M.JD, MemoryBuffer::getMemBuffer(
                                        M.Buffer->getMemBufferRef(), false)))
      return std::move(E);
  }

  // Linking materializes everything a module defines; what it needs and
  // its JITDylib lacks reaches the error reporter.
  for (LoadedModule &M : Modules) {
    CurrentModule = M.Name;
    SymbolLookupSet Lookup;
    for (const std::string &S : M.Symbols.Defined)
      Lookup.add(ES.intern(S));
    auto Result = ES.lookup(
        makeJITDylibSearchOrder(M.JD, JITDylibLookupFlags::MatchAllSymbols),
        std::move(Lookup));
    if (Result) {
      M.Linked = true;
    } else {
      std::string Why = toString(Result.takeError());
      if (Missing[M.Name].empty())
        R.Notes.push_back(M.Name + ": not linked (" + Why +
                          "), so its registrations were not run");
      else
        R.Notes.push_back(M.Name +
                          ": not linked, so its registrations were not run");
    }
    for (const std::string &S : Missing[M.Name]) {
      auto Owner = DefinedBy.find(S);
      if (Owner != DefinedBy.end() && Owner->second != M.Name)
        R.Findings.push_back(
            {Finding::DirectReference, M.Name, S, Owner->second, ""});
      else
        R.Findings.push_back({Finding::Undefined, M.Name, S, "", ""});
    }
  }

  // Registration, then lookups, as the runtime orders them.
  for (const char *Phase : {"register_symbols", "link"})
    for (LoadedModule &M : Modules) {
      if (!M.Linked)
        continue;
      std::string Entry =
          (M.Name == R.Host ? HCR_HOST_PREFIX : HCR_MODULE_PREFIX) +
          std::string(Phase);
      auto Sym = ES.lookup(
          makeJITDylibSearchOrder(M.JD, JITDylibLookupFlags::MatchAllSymbols),
          ES.intern(Entry));
      if (!Sym) {
        consumeError(Sym.takeError());
        if (std::string(Phase) == "register_symbols")
          R.Notes.push_back(M.Name + ": has no " + Entry +
                            " (not a rewritten module?)");
        continue;
      }
      Recorder.setCurrentModule(M.Name);
      Sym->getAddress().toPtr<void (*)()>()();
    }

  for (const RecordingRuntime::Registration &Reg : Recorder.registrations()) {
    ++R.Registrations;
    if (Reg.Count > 1)
      R.Findings.push_back({Finding::DoubleRegistration, Reg.By, Reg.Name,
                            Reg.Module, Reg.IsProc ? "proc" : "global"});
  }
  for (const RecordingRuntime::Lookup &L : Recorder.lookups()) {
    ++R.Lookups;
    if (!Recorder.isRegistered(L.IsProc, L.Module, L.Name))
      R.Findings.push_back({Finding::UnregisteredLookup, L.By, L.Name, L.Module,
                            L.IsProc ? "proc" : "global"});
  }
  cantFail(ES.endSession());
  return R;
}

} // namespace hcr::verify
