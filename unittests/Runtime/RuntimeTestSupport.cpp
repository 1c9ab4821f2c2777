//===- RuntimeTestSupport.cpp - Fixtures for the runtime tests
//-------------===//

#include "RuntimeTestSupport.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace hcr::test {

std::vector<std::string> &eventLog() {
  static std::vector<std::string> Log;
  return Log;
}

std::vector<std::string> takeEvents() {
  std::vector<std::string> Events;
  Events.swap(eventLog());
  return Events;
}

static std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  EXPECT_TRUE(In.good()) << "missing fixture " << Path;
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

ModuleDir::ModuleDir() {
  std::string Template = ::testing::TempDir() + "hcr-modules-XXXXXX";
  std::vector<char> Buf(Template.begin(), Template.end());
  Buf.push_back('\0');
  Path = mkdtemp(Buf.data());
}

ModuleDir::~ModuleDir() {
  std::string Cmd = "rm -rf '" + Path + "'";
  (void)std::system(Cmd.c_str());
}

void ModuleDir::replace(const std::string &Module, const std::string &Bytes) {
  std::string Tmp = Path + "/." + Module + ".tmp";
  {
    std::ofstream Out(Tmp, std::ios::binary);
    Out << Bytes;
  }
  ASSERT_EQ(rename(Tmp.c_str(), (Path + "/" + Module + ".so").c_str()), 0);
}

std::string ModuleDir::fixture(const std::string &Fixture) {
  return std::string(HCR_TEST_FIXTURE_DIR) + "/" + Fixture + ".so";
}

void ModuleDir::install(const std::string &Fixture, const std::string &Module) {
  replace(Module, readFile(fixture(Fixture)));
}

void ModuleDir::overwrite(const std::string &Fixture,
                          const std::string &Module) {
  std::ofstream Out(fileOf(Module), std::ios::binary | std::ios::trunc);
  ASSERT_TRUE(Out.good()) << fileOf(Module);
  Out << readFile(fixture(Fixture));
}

void ModuleDir::corrupt(const std::string &Module) {
  replace(Module, "this is not an ELF shared object\n");
}

void ModuleDir::remove(const std::string &Module) {
  ASSERT_EQ(unlink((Path + "/" + Module + ".so").c_str()), 0);
}

// The host's side of the module ABI.
static std::vector<std::string> HostImports;
static std::vector<const char *> HostImportList;

static void hostLog(const char *Event) { eventLog().push_back(Event); }
static void hostBefore() { eventLog().push_back("host.before"); }
static void hostAfter() { eventLog().push_back("host.after"); }
static const char *const *hostImports() { return HostImportList.data(); }
static const char *hostSignature() { return "host"; }
static void hostRegister() {
  hcr_register_proc("host", "log", reinterpret_cast<void *>(&hostLog));
  hcr_add_reload_handler("host", HCR_BEFORE_RELOAD, hostBefore);
  hcr_add_reload_handler("host", HCR_AFTER_RELOAD, hostAfter);
}
static void hostLink() {}
static void hostInit() { eventLog().push_back("host.init"); }

hcr_status HostTest::start(std::vector<std::string> Imports) {
  eventLog().clear(); // Each test sees only its own events.
  HostImports = std::move(Imports);
  HostImportList.clear();
  for (const std::string &I : HostImports)
    HostImportList.push_back(I.c_str());
  HostImportList.push_back(nullptr);
  static const hcr_module_entry_points Host = {
      hostImports, hostSignature, hostRegister, hostLink, hostInit};
  return hcr_init("host", &Host, Dir.path().c_str());
}

} // namespace hcr::test
