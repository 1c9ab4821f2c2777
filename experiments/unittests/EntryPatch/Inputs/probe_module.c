/* Module "probe" of the entry-patching tests of what a reload keeps, built
 * twice: -DVERSION=1 (loaded first) and -DVERSION=2 (the reload). f returns
 * VERSION; version 2 also calls module "added", which did not exist when
 * version 1 was loaded, and defines a global that version 1 did not have. */
int global_counter;

#if VERSION >= 2
void added_mark(void);

int new_global; /* First defined by a reload: is it kept by the next one? */
int bump_new_global(void) { return ++new_global; }
#endif

/* A static function: its address, taken by the module's own code. */
__attribute__((noinline)) static int helper(int x) { return x + VERSION; }
void *address_of_helper(void) { return (void *)&helper; }

int f(int *static_calls) {
  static int calls;
  ++calls;
  ++global_counter;
  if (static_calls)
    *static_calls = calls;
#if VERSION >= 2
  added_mark();
#endif
  return VERSION;
}

/* &f and &global_counter as the module's own (possibly new) code sees them. */
void *address_of_f(void) { return (void *)&f; }
int *address_of_global(void) { return &global_counter; }

/* A call to f from inside the module. */
int call_f_inside(int *static_calls) { return f(static_calls); }
