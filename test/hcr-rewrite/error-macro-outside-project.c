// A use of a global written inside a macro defined outside the project
// cannot be rewritten in place: reported with the macro's name.
// RUN: not %hcr-rewrite %s -- -isystem %S/Inputs/system 2>&1 | FileCheck %s --check-prefix=DIAG
int shared_value;
#include <syslib.h>

// DIAG: error-macro-outside-project.c:[[@LINE+1]]:25: error: hcr cannot rewrite this use of 'shared_value' inside macro 'READ_IT', which is defined outside the project or pastes tokens; use the name outside the macro
int read(void) { return READ_IT(); }
