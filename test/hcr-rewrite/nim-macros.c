// The C that Nim generates declares functions through macros: the name is
// a macro argument, and N_NIMCALL(rettype, name) becomes its N_NIMCALL_PTR
// variant for the pointer. N_LIB_PRIVATE (hidden visibility) is dropped
// from what becomes static.
// RUN: %hcr-rewrite %s -- -I/usr/lib/nim/lib > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check -I/usr/lib/nim/lib -Wno-unused-function %t.c
// RUN: %gcc-check -I/usr/lib/nim/lib %t.c
#define NIM_INTBITS 64
#include "nimbase.h"

N_LIB_PRIVATE N_NIMCALL(NI, addTwice__helper_3)(NI x);
// CHECK: static N_NIMCALL_PTR(NI, addTwice__helper_3)(NI x) HCR_SLOT;
N_LIB_PRIVATE NI calls__helper_2 = ((NI) 0);
// CHECK: static NI (*calls__helper_2) HCR_SLOT;
N_LIB_PRIVATE N_NIMCALL(NI, addTwice__helper_3)(NI x) {
  NI result;
  calls__helper_2 += ((NI) 1);
  result = (NI)(x * ((NI) 2));
  return result;
}
// CHECK: static N_NIMCALL(NI, addTwice__helper_3_actual)(NI x) {
// CHECK: (*calls__helper_2) += ((NI) 1);
N_LIB_PRIVATE N_NIMCALL(NI, use__helper_4)(void) { return addTwice__helper_3(calls__helper_2); }
// CHECK: static NI (*use__helper_4)(void) HCR_SLOT; static N_NIMCALL(NI, use__helper_4_actual)(void) { return addTwice__helper_3_actual((*calls__helper_2)); }
