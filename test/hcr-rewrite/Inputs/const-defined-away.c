/* Code for compilers without const (macro-after-declaration.c). */
static const char greeting[] = "hi";
const char *greet(void) { return greeting; }
#define const
