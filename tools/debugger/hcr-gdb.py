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
#   - Watchpoints on a reloaded module's globals, set again as the module's
#     replaced copy goes (gdb 13 would crash).

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

# gdb 13 keeps the symbols and values of a watchpoint's expression
# (`watch world.tick`) when the objfile they come from goes away, and
# crashes at the next stop: a reload unloads the replaced copy of a module
# whose global is watched. Such a watchpoint is set again, on the same
# expression, as the copy goes (the new copy is loaded already, the old
# one is out of gdb's list): it then watches the same storage. A
# -location watchpoint holds no symbol and is left alone.
_WATCHPOINT_CLASS = {
    gdb.BP_WATCHPOINT: gdb.WP_WRITE,
    gdb.BP_HARDWARE_WATCHPOINT: gdb.WP_WRITE,
    gdb.BP_READ_WATCHPOINT: gdb.WP_READ,
    gdb.BP_ACCESS_WATCHPOINT: gdb.WP_ACCESS,
}


def _renew_watchpoints(event):
    if not _MODULE_COPY.match(event.objfile.filename or ""):
        return
    for old in gdb.breakpoints():
        wp_class = _WATCHPOINT_CLASS.get(old.type)
        if wp_class is None or old.expression.startswith("-location"):
            continue
        kept = dict(enabled=old.enabled, condition=old.condition,
                    silent=old.silent, ignore_count=old.ignore_count,
                    thread=old.thread, task=old.task)
        commands, expression, temporary = (old.commands, old.expression,
                                           old.temporary)
        old.delete()
        new = gdb.Breakpoint(expression, gdb.BP_WATCHPOINT, wp_class,
                             temporary=temporary)
        for attribute, value in kept.items():
            setattr(new, attribute, value)
        if commands:
            new.commands = commands


gdb.events.free_objfile.connect(_renew_watchpoints)


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
