//===- RuntimeTestSupport.h - Fixtures for the runtime tests ----*- C++ -*-===//
//
// A module directory in a temporary folder, where tests install builds of
// the test modules (a rebuild is simulated by renaming a new file over the
// old one), and a host whose imports each test chooses.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_UNITTESTS_RUNTIME_RUNTIMETESTSUPPORT_H
#define HCR_UNITTESTS_RUNTIME_RUNTIMETESTSUPPORT_H

#include "hcr/hcr.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <cstdlib>
#include <string>
#include <vector>

namespace hcr::test {

/// Events logged through host.log, in order.
std::vector<std::string> &eventLog();
/// Pops every event logged so far.
std::vector<std::string> takeEvents();

/// A temporary module directory.
class ModuleDir {
public:
  ModuleDir();
  ~ModuleDir();
  const std::string &path() const { return Path; }
  /// Installs the fixture build Fixture (e.g. "counter_v2") as Module, the
  /// way a build system would: write elsewhere, then rename over.
  void install(const std::string &Fixture, const std::string &Module);
  /// Replaces Module's file with bytes that are not a shared object.
  void corrupt(const std::string &Module);
  void remove(const std::string &Module);
  /// Writes the fixture's bytes into Module's existing file, in place (as a
  /// linker that truncates and rewrites does), keeping its inode.
  void overwrite(const std::string &Fixture, const std::string &Module);
  /// The file of Module in this directory.
  std::string fileOf(const std::string &Module) const {
    return Path + "/" + Module + ".so";
  }
  /// The file of a fixture build.
  static std::string fixture(const std::string &Fixture);

private:
  void replace(const std::string &Module, const std::string &Bytes);
  std::string Path;
};

/// The host of the tests: imports what the test says, registers host.log and
/// logs its own handlers and init.
class HostTest : public ::testing::Test {
protected:
  void TearDown() override { hcr_shutdown(); }
  /// hcr_init with the given imports from Dir.
  hcr_status start(std::vector<std::string> Imports);

  ModuleDir Dir;
};

/// A HostTest run twice, with the runtime knob Knob ("HCR_NO_INOTIFY") set
/// to 1 when the parameter is true and unset when it is false.
class KnobTest : public HostTest, public ::testing::WithParamInterface<bool> {
protected:
  explicit KnobTest(const char *Knob) : Knob(Knob) {}
  void SetUp() override {
    if (GetParam())
      setenv(Knob, "1", 1);
    else
      unsetenv(Knob);
  }
  void TearDown() override {
    HostTest::TearDown();
    unsetenv(Knob);
  }

private:
  const char *Knob;
};

/// Typed access to a proc of a loaded module (nullptr if none).
template <typename Fn> Fn proc(const char *Module, const char *Name) {
  return reinterpret_cast<Fn>(hcr_get_proc(Module, Name));
}

} // namespace hcr::test

#endif
