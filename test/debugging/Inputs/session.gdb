# A debugging session, the same for the native build and hcr-build's:
# their transcripts must match (gdb-native.test).
set pagination off
set width 0
set confirm off
# Modules are shared objects, loaded when the program starts (as with any
# function of a shared library, gdb asks before run; a script says yes).
set breakpoint pending on
break world.c:7
run
bt
print world
print world.tick
print world.name
ptype world
print calls
list
next
step
bt
up
print calls
down
print n
print world.tick
next
finish
print world.speed * 2
break render_frame
continue
continue
info breakpoints
continue
