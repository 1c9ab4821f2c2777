#!/usr/bin/env bash
# normalize.sh < TRANSCRIPT: what differs between two runs of the same
# debugging session whatever the build: addresses, process ids, gdb's
# notes on threads and on breakpoints that wait for a shared object (a
# module is one; a native build has the function in the executable).
sed -E \
  -e 's/0x[0-9a-f]+/ADDR/g' \
  -e 's/(process|Process) [0-9]+/\1 N/g' \
  -e '/index cache directory/d' \
  -e '/^\[Inferior|^\[Thread|libthread_db|^Using host/d' \
  -e '/^Breakpoint [0-9]+ at |^Breakpoint [0-9]+ \(.*\) pending|^No source file named|^Function ".*" not defined/d'
