// With --debug-names the rewrite leaves a table of what it renamed, and the
// debug-names plugin (lib/DebugNames) turns it into debug information with
// the source's names and types: a function's code is named after it, its
// slot has no entry, a global and a static local are variables of their
// own types at the address their slot holds (DW_OP_deref), the static
// local inside its function. The table itself leaves the object. A slot
// leaves no symbol (private), and a function's code takes the function's
// name; what the rewrite appends has no debug information and its
// variables no symbols.
// RUN: %hcr-rewrite --debug-names %s -- > %t.c
// RUN: grep -v "^//" %t.c | FileCheck %s --check-prefix=TABLE
// RUN: clang-19 -fpass-plugin=%debug-names-plugin -g -O0 -S -emit-llvm -I%hcr_include %t.c -o - | FileCheck %s --check-prefix=IR
// RUN: clang-19 -fpass-plugin=%debug-names-plugin -O0 -c -I%hcr_include %t.c -o %t.o
// RUN: llvm-nm-19 %t.o | FileCheck %s --check-prefix=GONE
// Without the option, no table.
// RUN: %hcr-rewrite %s -- | grep -v "^//" | FileCheck %s --check-prefix=NONE

struct point { int x, y; };
struct point origin = {1, 2};
extern int shared_count;

int step(int n) {
  static int calls;
  calls += n;
  return calls + origin.x + shared_count;
}

// TABLE:      static const char hcr_debug_names[] __attribute__((used)) =
// TABLE-NEXT: "f step_actual step\ns step\ng origin origin 0\nx origin\ns hcr_is_new_origin\ng hcr_static_step_calls calls 23 step_actual\ns hcr_is_new_hcr_static_step_calls\ns hcr_imports\n";

// IR-NOT: @hcr_debug_names
// IR-DAG: @hcr.slot.origin = private global ptr null
// IR-DAG: @hcr.slot.step = private global ptr null
// IR-DAG: define internal i32 @step(i32
// IR-DAG: !DIGlobalVariableExpression(var: ![[ORIGIN:[0-9]+]], expr: !DIExpression(DW_OP_deref))
// IR-DAG: ![[ORIGIN]] = distinct !DIGlobalVariable(name: "origin", scope: !{{[0-9]+}}, file: !{{[0-9]+}}, line: 19, type: ![[POINT:[0-9]+]], isLocal: false, isDefinition: true)
// IR-DAG: ![[POINT]] = {{(distinct )?}}!DICompositeType(tag: DW_TAG_structure_type, name: "point"
// IR-DAG: !DIGlobalVariableExpression(var: ![[CALLS:[0-9]+]], expr: !DIExpression(DW_OP_deref))
// IR-DAG: ![[CALLS]] = distinct !DIGlobalVariable(name: "calls", scope: ![[STEP:[0-9]+]], file: !{{[0-9]+}}, line: 23, type: ![[INT:[0-9]+]]
// IR-DAG: ![[STEP]] = distinct !DISubprogram(name: "step",
// IR-DAG: ![[INT]] = !DIBasicType(name: "int"
// IR-NOT: name: "step_actual"
// IR-NOT: !DIGlobalVariable(name: "step",
// IR-NOT: name: "hcr_static_step_calls"
// IR-NOT: name: "hcr_module_
// IR-NOT: name: "hcr_is_new_

// GONE-NOT: {{ origin$}}
// GONE-NOT: step_actual
// GONE-NOT: hcr_debug_names
// GONE-NOT: hcr_is_new_
// GONE-NOT: hcr_imports
// GONE-NOT: hcr_value
// GONE: t step
// GONE-NOT: {{ origin$}}
// GONE-NOT: step_actual
// GONE-NOT: hcr_debug_names
// GONE-NOT: hcr_is_new_
// GONE-NOT: hcr_imports
// GONE-NOT: hcr_value

// NONE-NOT: hcr_debug_names
