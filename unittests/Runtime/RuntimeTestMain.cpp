//===- RuntimeTestMain.cpp - main() of the runtime tests
//-------------------===//
//
// Points the runtime's private copies at a folder of our own (before the
// runtime reads its knobs) so tests can watch copies come and go.
//
//===----------------------------------------------------------------------===//

#include "gtest/gtest.h"

#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  std::string Template = ::testing::TempDir() + "hcr-copies-XXXXXX";
  std::vector<char> Buf(Template.begin(), Template.end());
  Buf.push_back('\0');
  if (!mkdtemp(Buf.data()))
    return 2;
  setenv("HCR_COPY_DIR", Buf.data(), 1);
  int Result = RUN_ALL_TESTS();
  std::string Cmd = std::string("rm -rf '") + Buf.data() + "'";
  (void)std::system(Cmd.c_str());
  return Result;
}
