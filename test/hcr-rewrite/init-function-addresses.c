// An initializer that names functions stops being a constant expression
// after the rewrite (the names are pointer variables); it runs in
// hcr_module_init from automatic storage, once, and stores trampolines.
// RUN: %hcr-rewrite %s -- > %t.c
// RUN: FileCheck %s --match-full-lines < %t.c
// RUN: %clang-check %t.c
// RUN: %gcc-check %t.c

static int str_len(const char *s) { int n = 0; while (s[n]) ++n; return n; }
static int str_first(const char *s) { return s[0]; }
struct command { const char *name; int (*run)(const char *); };
struct command commands[] = {{"len", str_len}, {"first", &str_first}};
// CHECK: static struct command (*commands)[2] HCR_SLOT;

int call(int i, const char *arg) { return commands[i].run(arg); }

// CHECK-LABEL: HCR_MODULE_EXPORT void hcr_module_init(void) {
// CHECK-NEXT: if (hcr_is_new_commands) {
// CHECK-NEXT: __typeof__(*commands) hcr_value = {{[{][{]}}"len", str_len}, {"first", str_first}};
// CHECK-NEXT: __builtin_memcpy((void *)commands, (const void *)&hcr_value, sizeof hcr_value);
