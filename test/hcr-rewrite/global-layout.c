// Each kept global is registered with the layout of its type
// (docs/ModuleABI.md, "Layouts"), which the runtime compares to migrate it.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: grep -v "^// CHECK" %t.c | FileCheck %s
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c
struct Node {
  int id;
  struct Node *next;
};
enum Color { RED, GREEN };
struct Shape {
  unsigned char kind;
  enum Color color;
  unsigned visible : 1, layer : 4;
  union {
    float radius;
    long side;
  };
  double origin[2];
  struct Node *nodes;
  void (*draw)(void);
  _Bool filled;
};
struct Shape shape;
struct Node list;
const char *title = "t";

// CHECK: hcr_register_global_layout("global-layout", "shape", sizeof(*shape), 8, "{64;Shape;kind@0:u1,color@4:u4,visible@64!1:u4,layer@65!4:u4,#4@16:<8;;radius@0:f4,side@0:i8,>,origin@24:[2]f8,nodes@40:prNode#{{[0-9a-f]+}},draw@48:pF,filled@56:b,}"
// CHECK: hcr_register_global_layout("global-layout", "list", sizeof(*list), 8, "{16;Node;id@0:i4,next@8:prNode#cycle,}"
// CHECK: hcr_register_global_layout("global-layout", "title", sizeof(*title), 8, "pi1"
