//===- HcrVerify.cpp - The hcr-verify driver
//--------------------------------===//
//
//   hcr-verify [--format=text|json] MODULE.o...
//
// Each file is a module named after its stem (the one defining main is the
// host). Exit status 0 only when every symbol resolves as reloading needs.
//
//===----------------------------------------------------------------------===//

#include "hcr/Verify/Verifier.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

static cl::OptionCategory Category("hcr-verify options");
static cl::list<std::string> Inputs(cl::Positional, cl::OneOrMore,
                                    cl::desc("<module object files>"),
                                    cl::cat(Category));
enum class Format { Text, JSON };
static cl::opt<Format> OutputFormat(
    "format", cl::desc("Report format"), cl::init(Format::Text),
    cl::values(clEnumValN(Format::Text, "text", "one line per problem"),
               clEnumValN(Format::JSON, "json", "for tools")),
    cl::cat(Category));

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions(Category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "checks with LLVM ORC that every symbol of a rewritten program "
      "resolves through the hcr runtime\n");
  std::vector<hcr::verify::ModuleFile> Files;
  for (const std::string &In : Inputs) {
    StringRef Stem = sys::path::filename(In);
    Stem.consume_back(".o");
    Files.push_back({Stem.str(), In});
  }
  auto Report = hcr::verify::verify(Files);
  if (!Report) {
    WithColor::error(errs(), "hcr-verify")
        << toString(Report.takeError()) << "\n";
    return 2;
  }
  outs() << (OutputFormat == Format::JSON ? Report->toJSON()
                                          : Report->toText());
  return Report->clean() ? 0 : 1;
}
