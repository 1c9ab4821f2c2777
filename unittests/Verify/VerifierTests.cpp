//===- VerifierTests.cpp - lib/Verify on real object files
//-----------------===//
//
// Each test compiles small C modules with clang-19 (-fPIC, as hcr-build
// does) and checks what the verifier reports.
//
//===----------------------------------------------------------------------===//

#include "hcr/Verify/Verifier.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <fstream>

using namespace hcr::verify;
using ::testing::HasSubstr;

namespace {

/// The module ABI's boilerplate around Register and Link bodies.
std::string module(const std::string &Name, const std::string &Top,
                   const std::string &Register, const std::string &Link) {
  return "#include <hcr/hcr.h>\n#include <stddef.h>\n" + Top +
         "\nstatic const char *const imports[] = {NULL};\n"
         "HCR_MODULE_EXPORT unsigned hcr_module_abi_version(void) { return 1; "
         "}\n"
         "HCR_MODULE_EXPORT const char *const *hcr_module_imports(void) { "
         "return imports; }\n"
         "HCR_MODULE_EXPORT const char *hcr_module_signature(void) { return "
         "\"" +
         Name +
         "\"; }\nHCR_MODULE_EXPORT void hcr_module_register_symbols(void) {" +
         Register + "}\nHCR_MODULE_EXPORT void hcr_module_link(void) {" + Link +
         "}\nHCR_MODULE_EXPORT void hcr_module_init(void) {}\n";
}

class VerifierTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> D;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("hcr-verify-test", D));
    Dir = std::string(D);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  /// Compiles Code as module Name; the object's path.
  ModuleFile compile(const std::string &Name, const std::string &Code) {
    std::string Src = Dir + "/" + Name + ".c", Obj = Dir + "/" + Name + ".o";
    std::ofstream(Src) << Code;
    auto CC = llvm::sys::findProgramByName("clang-19");
    EXPECT_TRUE(static_cast<bool>(CC));
    std::string Include = std::string("-I") + HCR_TEST_INCLUDE_DIR;
    llvm::StringRef Args[] = {*CC,     "-c",
                              "-fPIC", "-fvisibility=hidden",
                              "-w",    "-DHCR_ENABLED=1",
                              Include, Src,
                              "-o",    Obj};
    EXPECT_EQ(llvm::sys::ExecuteAndWait(*CC, Args), 0) << Code;
    return {Name, Obj};
  }

  Report check(const std::vector<ModuleFile> &Files) {
    auto R = verify(Files);
    EXPECT_TRUE(static_cast<bool>(R));
    if (!R) {
      llvm::consumeError(R.takeError());
      return Report();
    }
    return std::move(*R);
  }

  std::string Dir;
};

const char *LibTop = "int lib_value(void) { return 1; }\nint lib_count;\n";
const char *LibRegister =
    "void *s; hcr_register_proc(\"lib\", \"value\", (void *)lib_value);"
    "hcr_register_global(\"lib\", \"count\", 4, 4, &s);";

TEST_F(VerifierTest, ModulesThroughTheRuntimeAreClean) {
  Report R =
      check({compile("lib", module("lib", LibTop, LibRegister, "")),
             compile("app", module("app", "", "",
                                   "hcr_get_proc(\"lib\", \"value\");"
                                   "hcr_get_global(\"lib\", \"count\");"))});
  EXPECT_TRUE(R.clean()) << R.toText();
  EXPECT_EQ(R.Registrations, 2u);
  EXPECT_EQ(R.Lookups, 2u);
}

TEST_F(VerifierTest, TheProgramsQueriesAreAvailableToModules) {
  // A module may call the queries a host calls (the stand-in runtime must
  // define every hcr_* function, or the module fails to link).
  Report R = check({compile(
      "m", module("m",
                  "unsigned long m_generation(void) {\n"
                  "  hcr_reload_stats s;\n"
                  "  if (hcr_last_reload_stats(&s, sizeof s) != HCR_OK ||\n"
                  "      hcr_last_status() != HCR_OK)\n"
                  "    return 0;\n"
                  "  return s.generation + hcr_generation();\n"
                  "}\n",
                  "", ""))});
  EXPECT_TRUE(R.clean()) << R.toText();
}

TEST_F(VerifierTest, ADirectCallNamesItsOwner) {
  Report R = check({compile("lib", module("lib", LibTop, LibRegister, "")),
                    compile("app", module("app",
                                          "int lib_value(void);\n"
                                          "int f(void) { return lib_value(); }",
                                          "", ""))});
  ASSERT_EQ(R.Findings.size(), 1u) << R.toText();
  EXPECT_EQ(R.Findings[0].What, Finding::DirectReference);
  EXPECT_EQ(R.Findings[0].Module, "app");
  EXPECT_EQ(R.Findings[0].Owner, "lib");
  EXPECT_EQ(R.Findings[0].message(),
            "app: references lib_value defined in module lib directly");
}

TEST_F(VerifierTest, LibcIsAvailableAndOtherSymbolsAreNot) {
  Report R = check({compile(
      "m", module("m",
                  "#include <string.h>\nint nowhere(void);\n"
                  "int f(const char *s) { return (int)strlen(s) + nowhere(); }",
                  "", ""))});
  ASSERT_EQ(R.Findings.size(), 1u) << R.toText();
  EXPECT_EQ(R.Findings[0].What, Finding::Undefined);
  EXPECT_EQ(R.Findings[0].Symbol, "nowhere");
}

TEST_F(VerifierTest, OnlyEntryPointsMayBeExported) {
  Report R = check({compile(
      "m", module("m",
                  "__attribute__((visibility(\"default\"))) int api(void) "
                  "{ return 0; }",
                  "", ""))});
  ASSERT_EQ(R.Findings.size(), 1u) << R.toText();
  EXPECT_EQ(R.Findings[0].What, Finding::StrayExport);
  EXPECT_EQ(R.Findings[0].Symbol, "api");
}

TEST_F(VerifierTest, LookupsAndRegistrationsAreMatched) {
  Report R =
      check({compile("lib", module("lib", LibTop, LibRegister, "")),
             compile("app",
                     module("app", "static int g(void) { return 0; }",
                            "hcr_register_proc(\"lib\", \"value\", (void *)g);",
                            "hcr_get_proc(\"lib\", \"gone\");"))});
  ASSERT_EQ(R.Findings.size(), 2u) << R.toText();
  bool Double = false, Unregistered = false;
  for (const Finding &F : R.Findings) {
    Double |= F.What == Finding::DoubleRegistration && F.Symbol == "value" &&
              F.Module == "lib,app";
    Unregistered |= F.What == Finding::UnregisteredLookup &&
                    F.Symbol == "gone" && F.Module == "app";
  }
  EXPECT_TRUE(Double) << R.toText();
  EXPECT_TRUE(Unregistered) << R.toText();
  EXPECT_THAT(R.toJSON(), HasSubstr("\"kind\": \"double-registration\""));
}

TEST_F(VerifierTest, InputThatIsNotAnObjectIsAnError) {
  std::string Path = Dir + "/text.o";
  std::ofstream(Path) << "not an object";
  auto R = verify({{"text", Path}});
  ASSERT_FALSE(static_cast<bool>(R));
  llvm::consumeError(R.takeError());
}

} // namespace
