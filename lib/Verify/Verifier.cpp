//===- Verifier.cpp - Symbol resolution checked with ORC --------*- C++ -*-===//
//
// verify() runs four steps over one ExecutionSession: read each module's
// symbols, link each module alone in its own JITDylib (what it lacks is a
// finding), run the registration and link entry points against the
// recording runtime, and compare what was looked up with what was
// registered. The session always ends, whatever step fails.
//
//===----------------------------------------------------------------------===//

#include "hcr/Verify/Verifier.h"

#include "ObjectSymbols.h"
#include "RecordingRuntime.h"
#include "hcr/hcr.h"

#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/ExecutorProcessControl.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"

#include <map>
#include <set>

using namespace llvm;
using namespace llvm::orc;

namespace hcr::verify {
namespace {

struct LoadedModule {
  std::string Name;
  std::unique_ptr<MemoryBuffer> Buffer;
  ObjectSymbols Symbols;
  JITDylib *JD = nullptr;
  bool Linked = false;
};

/// Reads every module and finds the host (the one defining main).
Expected<std::vector<LoadedModule>>
readModules(const std::vector<ModuleFile> &Files, Report &R) {
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
  return std::move(Modules);
}

/// Exports: only the module ABI's entry points (the host: main).
void checkExports(const std::vector<LoadedModule> &Modules, Report &R) {
  for (const LoadedModule &M : Modules)
    for (const std::string &S : M.Symbols.Exported)
      if (!(M.Name == R.Host ? S == "main" : isEntryPoint(S)))
        R.Findings.push_back({Finding::StrayExport, M.Name, S, "", ""});
}

/// One ORC session over the modules, each in a bare JITDylib that sees the
/// runtime's API (recorded), libc and libm, nothing else.
class LinkSession {
public:
  LinkSession(ExecutionSession &ES, Report &R,
              const std::vector<std::string> &Libraries)
      : ES(ES), Linker(ES), R(R), Libraries(Libraries) {
    ES.setErrorReporter([this](Error E) { reportError(std::move(E)); });
  }

  /// Adds every module's object to its own JITDylib.
  Error add(std::vector<LoadedModule> &Modules) {
    for (LoadedModule &M : Modules) {
      M.JD = &ES.createBareJITDylib(M.Name);
      if (Error E = M.JD->define(absoluteSymbols(Recorder.symbols(ES))))
        return E;
      for (const char *Lib : {"libc.so.6", "libm.so.6"}) {
        auto G = DynamicLibrarySearchGenerator::Load(Lib, '\0');
        if (!G)
          return G.takeError();
        M.JD->addGenerator(std::move(*G));
      }
      // The libraries of the program's link line (-l): their symbols are
      // defined for every module, as the dynamic linker makes them.
      for (const std::string &Lib : Libraries) {
        auto G = DynamicLibrarySearchGenerator::Load(Lib.c_str(), '\0');
        if (!G) {
          std::string Note = "library '" + Lib + "' could not be loaded (" +
                             toString(G.takeError()) +
                             "): its symbols are reported as undefined";
          if (!llvm::is_contained(R.Notes, Note))
            R.Notes.push_back(Note);
          continue;
        }
        M.JD->addGenerator(std::move(*G));
      }
      if (Error E = Linker.add(*M.JD, MemoryBuffer::getMemBuffer(
                                          M.Buffer->getMemBufferRef(), false)))
        return E;
    }
    return Error::success();
  }

  /// Links each module by looking up all it defines: what it needs and its
  /// JITDylib lacks reaches the error reporter, and becomes a finding.
  void link(std::vector<LoadedModule> &Modules) {
    std::map<std::string, std::string> DefinedBy;
    for (const LoadedModule &M : Modules)
      for (const std::string &S : M.Symbols.Defined)
        DefinedBy.emplace(S, M.Name);
    for (LoadedModule &M : Modules) {
      CurrentModule = M.Name;
      SymbolLookupSet Lookup;
      for (const std::string &S : M.Symbols.Defined)
        Lookup.add(ES.intern(S));
      auto Result = ES.lookup(makeSearchOrder(M), std::move(Lookup));
      M.Linked = static_cast<bool>(Result);
      if (!Result)
        R.Notes.push_back(M.Name + ": not linked" +
                          (Missing[M.Name].empty()
                               ? " (" + toString(Result.takeError()) + ")"
                               : (consumeError(Result.takeError()), "")) +
                          ", so its registrations were not run");
      for (const std::string &S : Missing[M.Name]) {
        auto Owner = DefinedBy.find(S);
        if (Owner != DefinedBy.end() && Owner->second != M.Name)
          R.Findings.push_back(
              {Finding::DirectReference, M.Name, S, Owner->second, ""});
        else
          R.Findings.push_back({Finding::Undefined, M.Name, S, "", ""});
      }
    }
  }

  /// Registration, then lookups, as the runtime orders them.
  void runEntryPoints(const std::vector<LoadedModule> &Modules) {
    for (const char *Phase : {"register_symbols", "link"})
      for (const LoadedModule &M : Modules)
        if (M.Linked)
          runEntryPoint(M, Phase);
  }

  /// Lookups nobody registers, and double registrations.
  void checkRecordings() {
    for (const RecordingRuntime::Registration &Reg : Recorder.registrations()) {
      ++R.Registrations;
      if (Reg.Count > 1)
        R.Findings.push_back({Finding::DoubleRegistration, Reg.By, Reg.Name,
                              Reg.Module, Reg.IsProc ? "proc" : "global"});
    }
    for (const RecordingRuntime::Lookup &L : Recorder.lookups()) {
      ++R.Lookups;
      if (!Recorder.isRegistered(L.IsProc, L.Module, L.Name))
        R.Findings.push_back({Finding::UnregisteredLookup, L.By, L.Name,
                              L.Module, L.IsProc ? "proc" : "global"});
    }
  }

private:
  JITDylibSearchOrder makeSearchOrder(const LoadedModule &M) {
    return makeJITDylibSearchOrder(M.JD, JITDylibLookupFlags::MatchAllSymbols);
  }

  void reportError(Error E) {
    handleAllErrors(
        std::move(E),
        [&](SymbolsNotFound &NF) {
          for (const SymbolStringPtr &S : NF.getSymbols())
            Missing[CurrentModule].insert((*S).str());
        },
        [&](ErrorInfoBase &Other) {
          R.Notes.push_back(CurrentModule + ": " + Other.message());
        });
  }

  void runEntryPoint(const LoadedModule &M, StringRef Phase) {
    std::string Entry =
        (M.Name == R.Host ? HCR_HOST_PREFIX : HCR_MODULE_PREFIX) + Phase.str();
    auto Sym = ES.lookup(makeSearchOrder(M), ES.intern(Entry));
    if (!Sym) {
      consumeError(Sym.takeError());
      if (Phase == "register_symbols")
        R.Notes.push_back(M.Name + ": has no " + Entry +
                          " (not a rewritten module?)");
      return;
    }
    Recorder.setCurrentModule(M.Name);
    Sym->getAddress().toPtr<void (*)()>()();
  }

  ExecutionSession &ES;
  ObjectLinkingLayer Linker;
  RecordingRuntime Recorder;
  Report &R;
  const std::vector<std::string> &Libraries;
  std::string CurrentModule; ///< Whose lookup the error reporter sees.
  std::map<std::string, std::set<std::string>> Missing; ///< By module.
};

/// The steps, in order; an error only for input that cannot be checked.
Error runSteps(LinkSession &Session, const std::vector<ModuleFile> &Files,
               Report &R) {
  auto Modules = readModules(Files, R);
  if (!Modules)
    return Modules.takeError();
  checkExports(*Modules, R);
  if (Error E = Session.add(*Modules))
    return E;
  Session.link(*Modules);
  Session.runEntryPoints(*Modules);
  Session.checkRecordings();
  return Error::success();
}

} // namespace

Expected<Report> verify(const std::vector<ModuleFile> &Files,
                        const std::vector<std::string> &Libraries) {
  InitializeNativeTarget();
  auto EPC = SelfExecutorProcessControl::Create();
  if (!EPC)
    return EPC.takeError();
  ExecutionSession ES(std::move(*EPC));
  Report R;
  Error Failed = [&] {
    LinkSession Session(ES, R, Libraries);
    Error E = runSteps(Session, Files, R);
    // The session ends on every path, before its linking layer goes.
    return joinErrors(std::move(E), ES.endSession());
  }();
  if (Failed)
    return std::move(Failed);
  return std::move(R);
}

} // namespace hcr::verify
