# A watchpoint on a global of a module that reloads: it goes on firing on
# the same storage (hcr-gdb.py sets it again as the replaced copy goes),
# and gdb goes on.
set pagination off
set width 0
set confirm off
set breakpoint pending on
break world_step
run
delete 1
watch world.tick
shell eval "$EDIT"
continue
continue
info watchpoints
continue
continue
