//===- LldbPlugin.cpp - hcr's lldb helpers, loaded by lldb itself ---------===//
//
// lldb on Linux loads no script that a program brings with it, but each
// debugger it creates loads every shared object in its plugin directory
// (/usr/lib/lldb/plugins) and calls lldb::PluginInitialize. hcr's install
// links this plugin there; the plugin imports hcr_lldb.py, which sits beside
// the plugin's real file. So the helpers (docs/Debugging.md) need no setup
// by the user.
//
//===----------------------------------------------------------------------===//

#include "lldb/API/SBCommandInterpreter.h"
#include "lldb/API/SBCommandReturnObject.h"
#include "lldb/API/SBDebugger.h"

#include <dlfcn.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

/// The directory of this plugin's file, with symbolic links resolved: the
/// plugin directory holds a link to the file that sits beside the script.
std::string realDirectoryOfPlugin() {
  Dl_info Info;
  if (!dladdr(reinterpret_cast<void *>(&realDirectoryOfPlugin), &Info) ||
      !Info.dli_fname)
    return {};
  char Real[PATH_MAX];
  if (!realpath(Info.dli_fname, Real))
    return {};
  std::string Path = Real;
  return Path.substr(0, Path.rfind('/'));
}

/// Path as one argument of an lldb command.
std::string quoted(const std::string &Path) {
  std::string Quoted = "\"";
  for (char C : Path) {
    if (C == '"' || C == '\\')
      Quoted += '\\';
    Quoted += C;
  }
  return Quoted + "\"";
}

} // namespace

namespace lldb {

/// Called by lldb for each debugger it creates; false unloads the plugin.
bool PluginInitialize(SBDebugger Debugger) {
  std::string Directory = realDirectoryOfPlugin();
  if (Directory.empty()) {
    std::fprintf(stderr, "hcr: cannot find the file of hcr's lldb plugin; "
                         "hcr's lldb helpers are not loaded\n");
    return false;
  }
  std::string Command =
      "command script import " + quoted(Directory + "/hcr_lldb.py");
  SBCommandReturnObject Result;
  Debugger.GetCommandInterpreter().HandleCommand(Command.c_str(), Result);
  if (!Result.Succeeded()) {
    std::fprintf(stderr, "hcr: hcr's lldb helpers are not loaded: %s",
                 Result.GetError());
    return false;
  }
  return true;
}

} // namespace lldb
