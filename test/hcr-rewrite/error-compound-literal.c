// A compound literal outside a function is a static object; the
// initializer that holds it moves into a function (hcr_module_init, or
// hcr_module_link for a table), where the literal would be automatic: not
// a constant, and gone once the function returns. It is an error.
// RUN: not %hcr-rewrite %s -- 2>&1 | FileCheck %s --check-prefix=DIAG

// DIAG: error-compound-literal.c:[[@LINE+1]]:15: error: hcr cannot move the initializer of 'primes' into a function: its compound literal would no longer be static; make the literal a static variable of its own
int *primes = (int[]){2, 3, 5};
int count;
// DIAG: error-compound-literal.c:[[@LINE+1]]:38: error: hcr cannot move the initializer of 'table' into a function: its compound literal would no longer be static; make the literal a static variable of its own
static int *const table[] = {&count, (int[]){1}};
int first(void) { return primes[0] + *table[1]; }
