// On any error nothing is written: the output tree and files rewritten in
// place keep their previous content.
// RUN: rm -rf %t && mkdir -p %t/out %t/src
// RUN: echo 'int good(void) { return 1; }' > %t/src/good.c
// RUN: echo '_Thread_local int bad;' > %t/src/bad.c
// RUN: echo 'previous build' > %t/out/good.c
// RUN: not %hcr-rewrite -o %t/out %t/src/good.c %t/src/bad.c -- 2>&1 | FileCheck %s --check-prefix=DIAG
// RUN: FileCheck %s --check-prefix=KEPT < %t/out/good.c
// RUN: not ls %t/out/bad.c
// RUN: cp %t/src/good.c %t/good-before.c
// RUN: not %hcr-rewrite -i %t/src/good.c %t/src/bad.c -- 2>/dev/null
// RUN: diff %t/good-before.c %t/src/good.c
// A source that does not compile is reported by clang, nothing is written.
// RUN: echo 'int broken(void) { return }' > %t/src/broken.c
// RUN: not %hcr-rewrite -o %t/out %t/src/broken.c -- 2>&1 | FileCheck %s --check-prefix=PARSE
// RUN: not ls %t/out/broken.c

// DIAG: bad.c:1:19: error: thread-local variable 'bad'
// KEPT: previous build
// PARSE: broken.c:1:27: error: expected expression
