//===- RecordingRuntime.h - A stand-in for libhcr that records ---*- C++
//-*-===//
//
// The hcr_* functions a module's entry points call, defined in the JIT by
// absolute addresses of functions here: registrations and lookups are
// recorded, procs keep their own address, globals get scratch storage.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_VERIFY_RECORDINGRUNTIME_H
#define HCR_LIB_VERIFY_RECORDINGRUNTIME_H

#include "llvm/ExecutionEngine/Orc/Core.h"

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace hcr::verify {

class RecordingRuntime {
public:
  struct Registration {
    bool IsProc;
    std::string Module, Name;
    std::string By; ///< Modules that registered it, comma separated.
    unsigned Count = 0;
  };
  struct Lookup {
    bool IsProc;
    std::string Module, Name, By;
  };

  RecordingRuntime();
  ~RecordingRuntime();
  /// The runtime's C API, as symbols for a JITDylib.
  llvm::orc::SymbolMap symbols(llvm::orc::ExecutionSession &ES);
  /// The module whose entry point runs next.
  void setCurrentModule(std::string Name) { Current = std::move(Name); }

  std::vector<Registration> registrations() const;
  const std::vector<Lookup> &lookups() const { return Lookups; }
  bool isRegistered(bool IsProc, const std::string &Module,
                    const std::string &Name) const {
    return Registered.count({IsProc, Module, Name}) != 0;
  }

  // Called from the JIT through the C functions in RecordingRuntime.cpp.
  void *registerProc(const char *Module, const char *Name, void *Fn);
  void *registerGlobal(const char *Module, const char *Name, size_t Size,
                       void **Slot);
  void *lookup(bool IsProc, const char *Module, const char *Name);

private:
  std::string Current;
  std::map<std::tuple<bool, std::string, std::string>, Registration> Registered;
  std::vector<Lookup> Lookups;
  std::vector<std::unique_ptr<char[]>> Storage;
};

} // namespace hcr::verify

#endif
