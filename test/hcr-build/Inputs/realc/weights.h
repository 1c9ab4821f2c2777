/* A data table defined in a header that one file includes (as generated
 * tables are): its initializer moves like one in the main file. */
int weights[3] = {3, 1, 2};
static op_fn const weighted_ops[2] = {op_add, op_mul};
