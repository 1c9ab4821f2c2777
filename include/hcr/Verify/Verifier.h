//===- hcr/Verify/Verifier.h - Symbol resolution checked with ORC -*- C++
//-*-===//
//
// Proves, for the compiled modules of a rewritten program, that every
// symbol resolves the way reloading needs. Each module is linked by LLVM
// ORC (JITLink) into its own JITDylib that sees the runtime's API and the
// system libraries, never another module: a reference that only another
// module satisfies is a direct cross-module reference the rewrite missed.
// Then the modules' registration entry points run in the JIT against a
// recording stand-in for the runtime, to find lookups nobody registers
// and double registrations. ORC only checks: it never runs the program.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_VERIFY_VERIFIER_H
#define HCR_VERIFY_VERIFIER_H

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace hcr::verify {

/// One module's object file (relocatable, -fPIC).
struct ModuleFile {
  std::string Name; ///< Module name (the file's stem by default).
  std::string Path;
};

struct Finding {
  enum Kind {
    DirectReference,    ///< Uses a symbol another module defines.
    Undefined,          ///< Uses a symbol nothing defines.
    StrayExport,        ///< Exports more than the module ABI.
    UnregisteredLookup, ///< hcr_get_proc/global that nobody registers.
    DoubleRegistration, ///< (module, name) registered twice.
  };
  Kind What;
  std::string Module; ///< The module at fault.
  std::string Symbol;
  std::string Owner; ///< Defining or looked-up module, if any.
  std::string Detail;
  std::string message() const;
  const char *kindName() const;
};

struct Report {
  std::vector<std::string> Modules;
  std::string Host;
  std::vector<Finding> Findings;
  std::vector<std::string> Notes; ///< What could not be checked, and why.
  unsigned Registrations = 0, Lookups = 0;
  bool clean() const { return Findings.empty(); }
  std::string toText() const;
  std::string toJSON() const;
};

/// Verifies the modules; an error only for unreadable input. Libraries are
/// shared libraries of the program's link line (paths or sonames), whose
/// symbols every module may use.
llvm::Expected<Report> verify(const std::vector<ModuleFile> &Files,
                              const std::vector<std::string> &Libraries = {});

} // namespace hcr::verify

#endif
