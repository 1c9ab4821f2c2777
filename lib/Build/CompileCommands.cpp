//===- CompileCommands.cpp - Per-file flags from compile_commands.json ----===//
//
// `hcr-build -p BUILD_DIR`: a project's build already knows each file's
// flags (CMake writes compile_commands.json; `bear -- make` records a
// Makefile's). Each source is parsed and compiled with its own entry's
// flags: the compiler, -c, -o and the file itself dropped, relative include
// directories made absolute against the entry's directory. Without sources
// on the command line, every C file the database lists is one.
//
//===----------------------------------------------------------------------===//

#include "BuilderInternal.h"

#include "hcr/Rewrite/ProjectFiles.h"

#include "clang/Tooling/JSONCompilationDatabase.h"

namespace path = llvm::sys::path;

namespace hcr::build {

llvm::Expected<CompileCommands>
readCompileCommands(const std::string &Dir,
                    const std::vector<std::string> &Given) {
  std::string File = join(Dir, "compile_commands.json");
  if (!llvm::sys::fs::exists(File))
    return error("-p " + Dir +
                 ": no compile_commands.json there (CMake "
                 "writes it with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON; for a "
                 "Makefile, run `bear -- make`)");
  std::string Err;
  auto DB = clang::tooling::JSONCompilationDatabase::loadFromFile(
      File, Err, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!DB)
    return error("-p " + Dir + ": " + Err);
  CompileCommands Out;
  std::vector<std::string> Files = Given;
  if (Files.empty())
    for (const std::string &F : DB->getAllFiles())
      if (path::extension(F) == ".c")
        Files.push_back(F);
  if (Files.empty())
    return error("-p " + Dir + ": compile_commands.json lists no C file");
  for (const std::string &File : Files) {
    std::string Abs = rewrite::absolutePath(File);
    auto Commands = DB->getCompileCommands(Abs);
    if (Commands.empty())
      return error("-p " + Dir + ": no compile command for '" + File + "'");
    const clang::tooling::CompileCommand &C = Commands.front();
    std::vector<std::string> Flags;
    for (size_t I = 1; I < C.CommandLine.size(); ++I) {
      llvm::StringRef A = C.CommandLine[I];
      if (A == "-o" || A == "-MF" || A == "-MT" || A == "-MQ") {
        ++I;
        continue;
      }
      if (A == "-c" || A == "-MD" || A == "-MMD" || A.starts_with("-o") ||
          rewrite::absolutePath(build::join(C.Directory, A)) == Abs)
        continue;
      for (llvm::StringRef Prefix : {"-I", "-isystem", "-iquote"})
        if (A.starts_with(Prefix) && A.size() > Prefix.size() &&
            path::is_relative(A.drop_front(Prefix.size()))) {
          Flags.push_back(
              (Prefix + build::join(C.Directory, A.drop_front(Prefix.size())))
                  .str());
          A = "";
          break;
        }
      if (!A.empty())
        Flags.push_back(A.str());
    }
    Out.Sources.push_back(Abs);
    Out.Flags[Abs] = std::move(Flags);
  }
  return Out;
}

} // namespace hcr::build
