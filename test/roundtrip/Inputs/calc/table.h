#ifndef TABLE_H
#define TABLE_H
typedef int (*binop)(int, int);
struct entry { const char *name; binop fn; };
extern struct entry ops[];
extern int op_count;
extern unsigned long calls;
binop lookup(const char *name);
int apply(const char *name, int a, int b);
#define COUNT_CALL() (++calls)
#endif
