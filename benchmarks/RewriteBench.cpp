//===- RewriteBench.cpp - Rewrite time against the parse alone
//-------------===//
//
// Times, in one process and one run, clang's parse of a translation unit
// (-fsyntax-only, in process) and hcr-rewrite's index + rewrite of the same
// unit, and prints their ratio. usage:
//   hcr-rewrite-bench FILE.c [google benchmark flags]
//
//===----------------------------------------------------------------------===//

#include "hcr/Rewrite/ModuleRewriter.h"

#include "clang/Frontend/FrontendActions.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>

namespace {

std::string Input;
const std::vector<std::string> Flags = {"-std=c11"};

int runTool(clang::tooling::FrontendActionFactory &Factory) {
  clang::tooling::FixedCompilationDatabase DB(".", Flags);
  clang::tooling::ClangTool Tool(DB, {Input});
  return Tool.run(&Factory);
}

void parseOnly(benchmark::State &State) {
  auto Factory =
      clang::tooling::newFrontendActionFactory<clang::SyntaxOnlyAction>();
  for (auto _ : State)
    if (runTool(*Factory) != 0)
      State.SkipWithError("the parse failed");
}

void rewrite(benchmark::State &State) {
  hcr::rewrite::RewriteOptions Opts;
  for (auto _ : State) {
    std::vector<hcr::rewrite::ModuleRewrite> Out;
    auto Factory = hcr::rewrite::newRewriteActionFactory(Opts, nullptr, Out);
    if (runTool(*Factory) != 0 || Out.size() != 1 || !Out[0].Succeeded)
      State.SkipWithError("the rewrite failed");
    benchmark::DoNotOptimize(Out);
  }
}

/// Prints as usual and keeps each benchmark's mean time per iteration.
class RatioReporter : public benchmark::ConsoleReporter {
public:
  void ReportRuns(const std::vector<Run> &Runs) override {
    ConsoleReporter::ReportRuns(Runs);
    for (const Run &R : Runs)
      if (R.run_type == Run::RT_Iteration && !R.error_occurred)
        Times[R.run_name.function_name].push_back(R.GetAdjustedRealTime());
  }
  std::map<std::string, std::vector<double>> Times;
};

double mean(const std::vector<double> &V) {
  double Sum = 0;
  for (double X : V)
    Sum += X;
  return V.empty() ? 0 : Sum / V.size();
}

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE.c [benchmark flags]\n", argv[0]);
    return 2;
  }
  Input = argv[1];
  // Interleaved repetitions, so both see the same machine load.
  for (int I = 0; I < 5; ++I) {
    benchmark::RegisterBenchmark("parse_only", parseOnly)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("rewrite", rewrite)
        ->Unit(benchmark::kMillisecond);
  }
  RatioReporter Reporter;
  benchmark::RunSpecifiedBenchmarks(&Reporter);
  double Parse = mean(Reporter.Times["parse_only"]);
  double Rewrite = mean(Reporter.Times["rewrite"]);
  if (Parse <= 0 || Rewrite <= 0)
    return 1;
  std::printf("rewrite / parse-only: %.3f (%.1f ms / %.1f ms, %s)\n",
              Rewrite / Parse, Rewrite, Parse, Input.c_str());
  return 0;
}
