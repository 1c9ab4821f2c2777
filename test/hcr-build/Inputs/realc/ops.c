#include "api.h"
#include "weights.h"

int op_calls;
const char *const op_names[3] = {"add", "mul", "sub"};
static int adds, muls;

int (op_add)(int a, int b) { ++op_calls; ++adds; return a + b; }
int (op_mul)(int a, int b) { ++op_calls; ++muls; return a * b; }
int op_sub(int a, int b) { ++op_calls; return a - b; }

/* Constant data that names functions and globals (luaL_Reg tables;
 * csmith's `static int *const g[] = {&a}`). */
static const op_reg table[] = {
    {"add", op_add}, {"mul", op_mul}, {"sub", &op_sub}, {0, 0}};
static int *const counter_table[] = {&adds, &muls, &op_calls};

const op_reg *op_table(void) { return table; }
int weighted(int i) { return weighted_ops[i % 2](weights[i % 3], 10); }
int *const *counters(void) { return counter_table; }
