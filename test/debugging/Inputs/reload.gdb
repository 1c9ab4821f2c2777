# A breakpoint set before a reload stops in the new code after it: the
# session stops in render_frame, rebuilds render.c edited ($EDIT), and
# goes on; the program reloads before its next frame.
set pagination off
set width 0
set confirm off
set breakpoint pending on
break render_frame
run
list 6,6
print world.tick
shell eval "$EDIT"
continue
# gdb would list the text of render.c as it first read it; with
# tools/debugger/hcr-gdb.py it reads the edited file (docs/Debugging.md).
list 6,6
print n
print world
print world.tick * 2
bt
info hcr-frame
# A call from the debugger runs the new code: the replaced copy is not
# loaded meanwhile (kept for a rollback, docs/Runtime.md).
disable 1
call render_frame(7)
enable 1
finish
continue
delete
continue
