# hcr's lldb helpers (docs/Debugging.md, "Helpers"). lldb on Linux loads no
# script of a program's own; hcr's plugin (LldbPlugin.cpp), which an install
# links into lldb's plugin directory, imports this one into each debugger.
# From a build tree, the user loads it once:
# `command script import <hcr>/tools/debugger/hcr_lldb.py` in ~/.lldbinit.
#
#   - The source text after a reload: lldb 19 keeps the text of each file
#     for as long as the process runs, and would show the lines of the file
#     as it was before the edit, next to the new code's line numbers.
#     Without the cache (use-source-cache false) lldb reads a file each time
#     it shows it.
#   - `hcr-modules`: each module's code, the reload it comes from and its
#     copy (the runtime's hcr_debug_print_modules, printed by the program).
#   - `hcr-frame`: the copy the selected frame runs in, then the modules,
#     where that copy says which module's code from which reload.
#   - Module names in frames: a module's copy is a memory file, which lldb
#     would name after its descriptor (`6\`render_frame`); frames and
#     threads name it after the module's file instead (`render.so`).

import os
import re

import lldb

# A module's copy: a memory file (/proc/PID/fd/N) that the runtime names
# hcr-<module>.<load count>.so (lib/Runtime/ModuleCode.cpp).
_MODULE_COPY = re.compile(r"/proc/\d+/fd/\d+$")
_COPY_NAME = re.compile(r"/memfd:hcr-(.+)\.\d+\.so")


def module_name(frame, internal_dict):
    """The name of a frame's shared object, a module's for hcr's copies
    (${script.frame:...} in frame-format and thread-format)."""
    spec = frame.GetModule().GetFileSpec()
    path = spec.fullpath or ""
    if _MODULE_COPY.match(path):
        try:
            copy = _COPY_NAME.match(os.readlink(path))
            if copy:
                return copy.group(1) + ".so"
        except OSError:
            pass
    return spec.basename or ""


def _name_modules_in(debugger, setting):
    """Has a format setting name each frame's shared object by
    module_name, keeping the rest of it (the user's, if set)."""
    value = lldb.SBDebugger.GetInternalVariableValue(
        setting, debugger.GetInstanceName()).GetStringAtIndex(0)
    if not value or "${module.file.basename}" not in value:
        return
    debugger.HandleCommand("settings set %s %s" % (setting, value.replace(
        "${module.file.basename}", "${script.frame:%s.module_name}" %
        __name__)))


def _running_hcr_program(debugger, result):
    """Whether the target is a running hcr program; else says why not."""
    target = debugger.GetSelectedTarget()
    if not target.GetProcess().IsValid():
        result.SetError("the program is not being run")
        return False
    if not target.FindFunctions("hcr_debug_print_modules").GetSize():
        result.SetError(
            "not a program built by hcr: it has no hcr_debug_print_modules")
        return False
    return True


def hcr_modules(debugger, command, result, internal_dict):
    """Each hcr module's code, the reload it comes from, and its copy."""
    if not _running_hcr_program(debugger, result):
        return
    # Through the interpreter, so that a failed call fails the command.
    debugger.GetCommandInterpreter().HandleCommand(
        "expr -- (void)hcr_debug_print_modules()", result)


def hcr_frame(debugger, command, result, internal_dict):
    """The module copy the selected frame runs in, then hcr's modules."""
    if not _running_hcr_program(debugger, result):
        return
    frame = debugger.GetSelectedTarget().GetProcess(
    ).GetSelectedThread().GetSelectedFrame()
    if not frame.IsValid():
        result.SetError("no selected frame")
        return
    copy = frame.GetModule().GetFileSpec().fullpath
    # Now, before the program prints the modules.
    print("frame #%d (%s) runs in %s" %
          (frame.GetFrameID(), frame.GetFunctionName(), copy), flush=True)
    hcr_modules(debugger, command, result, internal_dict)


def __lldb_init_module(debugger, internal_dict):
    debugger.HandleCommand("settings set use-source-cache false")
    for setting in ("frame-format", "thread-format"):
        _name_modules_in(debugger, setting)
    # -o: imported twice (~/.lldbinit and a script), the command is replaced.
    for name in ("hcr-modules", "hcr-frame"):
        debugger.HandleCommand("command script add -o -f %s.%s %s" %
                               (__name__, name.replace("-", "_"), name))
