# -*- Python -*-
# lit configuration of hcr's tool tests; CMake writes lit.site.cfg.py with
# the paths, then loads this file.
import os

import lit.formats

config.name = "hcr"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".test"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.hcr_obj_root, "test")

# FileCheck, not and count from LLVM 19; our tools ahead of anything else.
config.environment["PATH"] = os.pathsep.join(
    [config.hcr_tools_dir, config.llvm_tools_dir, config.environment["PATH"]])
include = os.path.join(config.hcr_src_root, "include")
config.substitutions.append(("%hcr-rewrite",
                             os.path.join(config.hcr_tools_dir, "hcr-rewrite")))
config.substitutions.append(("%hcr_include", include))
config.substitutions.append(("%hcr-watch",
                             os.path.join(config.hcr_tools_dir, "hcr-watch")))
config.substitutions.append(("%hcr-build",
                             os.path.join(config.hcr_tools_dir, "hcr-build")))
config.substitutions.append(
    ("%scenario", "%s %s" % (
        os.path.join(config.hcr_src_root, "test", "scenarios", "Inputs",
                     "run-scenario.sh"),
        os.path.join(config.hcr_tools_dir, "hcr-build"))))
# The rewritten output must compile cleanly with both compilers.
config.substitutions.append(
    ("%clang-check", "clang-19 -fsyntax-only -std=c11 -Wall -Werror -I" + include))
config.substitutions.append(
    ("%gcc-check", "gcc -fsyntax-only -std=c11 -Wall -Werror -I" + include))
config.substitutions.append(("%hcr_obj_root", config.hcr_obj_root))
config.substitutions.append(
    ("%debug-names-plugin",
     os.path.join(config.hcr_obj_root, "lib", "libHcrDebugNames.so")))
config.substitutions.append(("%hcr_src_root", config.hcr_src_root))
config.substitutions.append(
    ("%runtime-demo",
     "bash %s %s" % (os.path.join(config.hcr_src_root, "examples", "runtime",
                                  "demo.sh"), config.hcr_obj_root)))

# Nim-generated C tests need Debian's nim (scripts/run installs it).
import shutil
if shutil.which("nim"):
    config.available_features.add("nim")
# Debuggers (scripts/run installs them): the debugging tests run each.
if shutil.which("gdb"):
    config.available_features.add("gdb")
if shutil.which("lldb-19"):
    config.available_features.add("lldb")
# hcr's lldb plugin, built where lldb's API headers are (liblldb-19-dev).
if config.hcr_lldb_plugin:
    config.available_features.add("lldb-plugin")
    config.substitutions.append(("%lldb-plugin", config.hcr_lldb_plugin))
config.substitutions.append(("%cmake", config.cmake_command))
# Other compilers whose C hcr takes (scripts/run installs them).
for tool in ["bison", "f2c", "csc", "valac", "cobc"]:
    if shutil.which(tool):
        config.available_features.add(tool)

# Third-party sources (../shared/corpora, beside the project): tests that
# need one say so with REQUIRES, and lit reports them UNSUPPORTED when the
# directory is absent.
lua_corpus = os.path.join(os.path.dirname(config.hcr_src_root), "shared",
                          "corpora", "lua-5.4.8")
if os.path.isfile(os.path.join(lua_corpus, "lua.h")):
    config.available_features.add("lua-corpus")
    config.substitutions.append(("%lua_corpus", lua_corpus))
