#!/usr/bin/env bash
# normalize-lldb.sh < TRANSCRIPT: normalize.sh, then what differs in lldb
# between a native build and hcr-build's by construction: the names of
# the shared objects (lldb names a module's copy after its descriptor,
# docs/Debugging.md "Limits"), the program's path, and the breakpoints
# that wait for a shared object (a module is one; a native build has the
# function in the executable).
"$(dirname "$0")/normalize.sh" | sed -E \
  -e 's/[^ `(=]+`/MODULE`/g' \
  -e 's#^(Best match found in ).*#\1MODULE:#' \
  -e 's#(target create|Current executable set to|launched:) .*#\1 PROGRAM#' \
  -e '/^Breakpoint [0-9]+: |^WARNING:  Unable to resolve breakpoint|^[0-9]+ locations? added to breakpoint/d'
