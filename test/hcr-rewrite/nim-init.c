// A Nim module initializes itself (docs/Nim.md): its Init000 runs all its
// top-level statements on the first load of the module, and on a reload of
// its code only those that initialize a global registered for the first
// time (with the statements whose temporaries they read); frame bookkeeping
// and declarations always stay. A refc GC marker is not registered with the
// GC: it becomes the visitor of the globals it names. On a reload the init
// entry point runs DatInit000 and Init000.
// REQUIRES: nim
// RUN: %hcr-rewrite %s -- -I/usr/lib/nim/lib > %t.c
// RUN: grep -v "^// CHECK" %t.c | FileCheck %s
// RUN: %clang-check -I/usr/lib/nim/lib -Wno-unused-function %t.c
#define NIM_INTBITS 64
#include "nimbase.h"

typedef struct { NI Field0; NI Field1; } tyTuple;
N_LIB_PRIVATE NI aa__m_70;
N_LIB_PRIVATE NI bb__m_71;
N_LIB_PRIVATE NI counter__m_16 = ((NI) 3);
N_LIB_PRIVATE N_NIMCALL(void, foo__m_41)(tyTuple *r) { r->Field0 = 1; r->Field1 = 2; }
N_LIB_PRIVATE N_NIMCALL(void, say__m_2)(NI x) { (void)x; }
static N_NIMCALL(void, TM__Qxv_9)(void) { (void)bb__m_71; }
N_LIB_PRIVATE N_NIMCALL(void, nimRegisterGlobalMarker)(void (*p)(void)) { (void)p; }
N_LIB_PRIVATE N_NIMCALL(void, atmmdotnim_DatInit000)(void) {}
N_LIB_PRIVATE N_NIMCALL(void, atmmdotnim_Init000)(void) {
{
	nimRegisterGlobalMarker(TM__Qxv_9);
}
{
	tyTuple T17_;
	say__m_2(counter__m_16);
	foo__m_41((&T17_));
	aa__m_70 = T17_.Field0;
	bb__m_71 = T17_.Field1;
	counter__m_16 -= 1;
}
}
// CHECK: static int hcr_nim_first_load; static int hcr_is_new_aa__m_70; static int hcr_is_new_bb__m_71; static int hcr_is_new_counter__m_16;
// CHECK-SAME: atmmdotnim_Init000_actual)(void) {
// CHECK-NEXT: {
// CHECK-NEXT: {{^}}	{{$}}
// CHECK-NEXT: }
// CHECK-NEXT: {
// CHECK-NEXT: tyTuple T17_;
// CHECK-NEXT: if (hcr_nim_first_load) { say__m_2_actual((*counter__m_16)); }
// CHECK-NEXT: if (hcr_nim_first_load || hcr_is_new_aa__m_70 || hcr_is_new_bb__m_71) { foo__m_41_actual((&T17_)); }
// CHECK-NEXT: if (hcr_nim_first_load || hcr_is_new_aa__m_70) { (*aa__m_70) = T17_.Field0; }
// CHECK-NEXT: if (hcr_nim_first_load || hcr_is_new_bb__m_71) { (*bb__m_71) = T17_.Field1; }
// CHECK-NEXT: if (hcr_nim_first_load || hcr_is_new_counter__m_16) { (*counter__m_16) -= 1; }

// CHECK-LABEL: void hcr_module_register_symbols(void) {
// CHECK: hcr_set_global_visitor("nim-init", "bb__m", (hcr_handler_fn)TM__Qxv_9_actual);
// CHECK-NEXT: hcr_nim_first_load = hcr_register_global("nim-init", "hcr.nim.loaded", 1, 1, (void **)&hcr_nim_loaded);
// CHECK-LABEL: void hcr_module_init(void) {
// CHECK: if (hcr_generation() > 0) { atmmdotnim_DatInit000_actual(); atmmdotnim_Init000_actual(); }
