# A watchpoint on the storage of a global of a module that reloads
# (`watch -l`): the storage stays, so the watchpoint goes on firing on the
# new code's writes.
set pagination off
set width 0
set confirm off
set breakpoint pending on
break world_step
run
delete 1
watch -l world.tick
shell eval "$EDIT"
continue
continue
info watchpoints
continue
continue
