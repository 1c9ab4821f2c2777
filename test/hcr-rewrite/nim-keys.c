// Nim names a symbol <name>__<module>_<counter> (and a template's symbols
// <name>X60gensym<counter>_...); the counters shift when earlier
// declarations change, so symbols register under their names without them.
// Namesakes are told apart by their C type, then by what their bodies name
// (the GC markers of two globals), then by rank; a key never has a counter.
// A function whose name lost a counter always carries its C type (NI
// (void) here for get and both twins), so that a namesake added later does
// not change its key.
// REQUIRES: nim
// RUN: %hcr-rewrite %s -- -I/usr/lib/nim/lib > %t.c
// RUN: grep -v "^// CHECK" %t.c | FileCheck %s
// RUN: %clang-check -I/usr/lib/nim/lib -Wno-unused-function %t.c
#define NIM_INTBITS 64
#include "nimbase.h"

N_LIB_PRIVATE NI hits__counter_12 = ((NI) 0);
N_LIB_PRIVATE NI misses__counter_13 = ((NI) 0);
N_LIB_PRIVATE N_NIMCALL(NI, get__counter_3)(void) { return hits__counter_12; }
N_LIB_PRIVATE N_NIMCALL(NI, add__counter_5)(NI a) { return a + 1; }
N_LIB_PRIVATE N_NIMCALL(NF, add__counter_9)(NF a) { return a + 1.0; }
N_LIB_PRIVATE N_NIMCALL(void, helperX60gensym12__counter_14)(void) {}
static N_NIMCALL(void, TM__abcDEF_7)(void) { (void)hits__counter_12; }
static N_NIMCALL(void, TM__abcDEF_8)(void) { (void)misses__counter_13; }
N_LIB_PRIVATE N_NIMCALL(NI, twin__counter_20)(void) { return 1; }
N_LIB_PRIVATE N_NIMCALL(NI, twin__counter_21)(void) { return 2; }

// CHECK-LABEL: void hcr_module_register_symbols(void) {
// CHECK-DAG: hcr_register_proc("nim-keys", "get__counter#[[NIV:[0-9a-f]+]]", (void *)get__counter_3_actual);
// CHECK-DAG: hcr_register_proc("nim-keys", "add__counter#[[ADD1:[0-9a-f]+]]", (void *)add__counter_5_actual);
// CHECK-DAG: hcr_register_proc("nim-keys", "add__counter#[[ADD2:[0-9a-f]+]]", (void *)add__counter_9_actual);
// CHECK-DAG: hcr_register_proc("nim-keys", "helperX60gensym__counter#{{[0-9a-f]+}}", (void *)helperX60gensym12__counter_14_actual);
// CHECK-DAG: hcr_register_proc("nim-keys", "TM__abcDEF#[[T:[0-9a-f]+]]#{{[0-9a-f]+}}", (void *)TM__abcDEF_7_actual);
// CHECK-DAG: hcr_register_proc("nim-keys", "TM__abcDEF#[[T]]#{{[0-9a-f]+}}", (void *)TM__abcDEF_8_actual);
// CHECK-DAG: hcr_register_proc("nim-keys", "twin__counter#[[NIV]]#[[B:[0-9a-f]+]]#0", (void *)twin__counter_20_actual);
// CHECK-DAG: hcr_register_proc("nim-keys", "twin__counter#[[NIV]]#[[B]]#1", (void *)twin__counter_21_actual);
// CHECK-DAG: hcr_register_global_layout("nim-keys", "hits__counter", sizeof(*hits__counter_12)
// CHECK-DAG: hcr_register_global_layout("nim-keys", "misses__counter", sizeof(*misses__counter_13)
// CHECK: }
