//===- Plugin.cpp - The pass as a clang plugin ----------------------------===//
//
// hcr-build compiles modules with `-fpass-plugin=libHcrDebugNames.so`
// (clang-19 only: a plugin is tied to the LLVM it was built with). The pass
// runs first in every pipeline, -O0 included, before anything can inline
// or drop what the table names.
//
//===----------------------------------------------------------------------===//

#include "DebugNames.h"

#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"

extern "C" LLVM_ATTRIBUTE_WEAK llvm::PassPluginLibraryInfo
llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "HcrDebugNames", "1",
          [](llvm::PassBuilder &PB) {
            PB.registerPipelineStartEPCallback(
                [](llvm::ModulePassManager &MPM, llvm::OptimizationLevel) {
                  MPM.addPass(hcr::debugnames::DebugNamesPass());
                });
          }};
}
