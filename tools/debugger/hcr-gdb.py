# hcr's gdb helpers (docs/Debugging.md, "Helpers"). gdb does not load a
# program's own scripts from an arbitrary directory, but it sources every
# script in its system gdbinit directory (/etc/gdb/gdbinit.d), where hcr's
# install links this one. From a build tree, the user loads it once:
# `source <hcr>/tools/debugger/hcr-gdb.py` in ~/.gdbinit. It is in every
# gdb session then, so it acts only on hcr's module copies.
#
#   - The source text after a reload: gdb keeps the text of each file it
#     has shown (its source cache) and would list the lines of the file as
#     it was before the edit, next to the new code's line numbers. A module's
#     new code is a new copy (/proc/PID/fd/N): the cache is emptied whenever
#     one is loaded, so the edited file is read again.
#   - `info hcr-modules`: each module's code, the reload it comes from and
#     its copy (the runtime's hcr_debug_print_modules, printed by the
#     program).
#   - `info hcr-frame`: the copy the selected frame runs in, then the
#     modules, where that copy says which module's code from which reload.

import re

import gdb

# How the runtime loads a module's code: a private copy, a memory file
# dlopen'ed by its descriptor's name.
_MODULE_COPY = re.compile(r"/proc/\d+/fd/\d+$")


def _forget_source_text(event):
    name = event.new_objfile.filename or ""
    if _MODULE_COPY.match(name):
        gdb.execute("maintenance flush source-cache", to_string=True)


gdb.events.new_objfile.connect(_forget_source_text)


def _print_modules():
    """Has the program print its modules, or says why it cannot."""
    if gdb.selected_inferior().pid == 0:
        raise gdb.GdbError("The program is not being run.")
    try:
        gdb.parse_and_eval("hcr_debug_print_modules")
    except gdb.error:
        raise gdb.GdbError(
            "Not a program built by hcr: it has no hcr_debug_print_modules.")
    gdb.execute("call (void) hcr_debug_print_modules()")


class InfoHcrModules(gdb.Command):
    """Each hcr module's code, the reload it comes from, and its copy.

The program prints the list (hcr_debug_print_modules in libhcr), so it
appears where the program's output goes."""

    def __init__(self):
        super().__init__("info hcr-modules", gdb.COMMAND_STATUS)

    def invoke(self, argument, from_tty):
        _print_modules()


InfoHcrModules()


class InfoHcrFrame(gdb.Command):
    """The module copy the selected frame runs in, then hcr's modules.

The copy is the shared object of the frame's pc (/proc/PID/fd/N for a
module's code); the list of modules after it (info hcr-modules) says whose
code that copy is and from which reload."""

    def __init__(self):
        super().__init__("info hcr-frame", gdb.COMMAND_STACK)

    def invoke(self, argument, from_tty):
        if gdb.selected_inferior().pid == 0:
            raise gdb.GdbError("The program is not being run.")
        frame = gdb.selected_frame()
        name = frame.name() or "??"
        copy = gdb.solib_name(frame.pc()) or "the program itself"
        gdb.write("frame #%d (%s) runs in %s\n" % (frame.level(), name, copy))
        gdb.flush()
        _print_modules()


InfoHcrFrame()
