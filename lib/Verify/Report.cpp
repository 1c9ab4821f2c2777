//===- Report.cpp - hcr-verify's findings as text and JSON ------*- C++ -*-===//
//
// How a finding reads: one line per problem for people, JSON for tools.
//
//===----------------------------------------------------------------------===//

#include "hcr/Verify/Verifier.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

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

} // namespace hcr::verify
