/* Constructs of real C (Lua's style): storage classes and attributes from
 * macros, a declaration written as a macro's argument. */
#ifndef API_H
#define API_H

#define API extern
#define INTERNAL __attribute__((visibility("hidden"))) extern
#define LIB_API API
#define DECLARE_DATA(dec) INTERNAL dec

typedef int (*op_fn)(int, int);
typedef struct {
  const char *name;
  op_fn fn;
} op_reg;

API int (op_add)(int a, int b);
LIB_API int (op_mul)(int a, int b);
INTERNAL int op_sub(int a, int b);
DECLARE_DATA(const char *const op_names[3];)
DECLARE_DATA(int op_calls;)

const op_reg *op_table(void);
int weighted(int i);
int *const *counters(void);

#endif
