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
# gdb keeps the text of a source file it has shown; `directory` makes it
# read the file again (docs/Debugging.md).
directory
list 6,6
print n
print world
print world.tick * 2
bt
call hcr_debug_print_modules()
finish
continue
delete
continue
