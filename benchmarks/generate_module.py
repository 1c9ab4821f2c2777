#!/usr/bin/env python3
"""Writes a large, deterministic C module for the rewrite benchmark:
globals, structs, tables of function pointers, static locals, macros and
calls between functions, in the proportions of generated C (Nim's output
runs to tens of thousands of lines per module).

usage: generate_module.py FUNCTIONS OUTPUT.c
"""
import sys

def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    lines = [
        "#include <stdio.h>", "#include <stdlib.h>", "#include <string.h>",
        "typedef struct { int id; double weight; char name[16]; } item;",
        "typedef int (*visit_fn)(item *, int);",
        "#define CLAMP(v, lo, hi) ((v) < (lo) ? (lo) : (v) > (hi) ? (hi) : (v))",
        "int total_calls;",
        "static item pool[64];",
    ]
    for i in range(count):
        lines.append(f"int fn_{i}(item *it, int depth);")
    for i in range(count):
        callee = (i * 7 + 3) % count
        lines += [
            f"static double scale_{i} = {i % 13}.5;",
            f"int fn_{i}(item *it, int depth) {{",
            "  static int seen = 0;",
            "  ++seen; ++total_calls;",
            f"  it->weight = it->weight * scale_{i} + depth;",
            "  switch (depth % 4) {",
            "  case 0: it->id += CLAMP(depth, 0, 10); break;",
            f"  case 1: strncpy(it->name, \"fn_{i}\", sizeof it->name - 1); break;",
            "  case 2: it->id ^= seen; break;",
            "  default: break;",
            "  }",
            "  for (int k = 0; k < 3; ++k)",
            "    pool[(it->id + k) & 63].weight += k;",
            f"  return depth > 0 ? fn_{callee}(it, depth - 1) : it->id;",
            "}",
        ]
    lines.append(f"visit_fn table[{count}] = {{")
    lines += [f"  fn_{i}," for i in range(count)]
    lines.append("};")
    lines += [
        "int run_all(int depth) {",
        "  item it = {0, 1.0, \"\"};",
        "  int sum = 0;",
        f"  for (int i = 0; i < {count}; ++i) sum += table[i](&it, depth);",
        "  return sum;",
        "}",
    ]
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")

if __name__ == "__main__":
    main()
