/* The host: starts CHICKEN's runtime with the app unit (app.scm) as the
 * program's toplevel. C, because the main unit that csc writes defines
 * C_toplevel, which chicken.h (a system header) declares too, so hcr
 * cannot make it a pointer (docs/Build.md, other compilers). */
#include <chicken.h>
C_noret_decl(C_app_toplevel)
C_externimport void C_ccall C_app_toplevel(C_word c, C_word *av) C_noret;
int main(int argc, char *argv[]) {
  return CHICKEN_main(argc, argv, (void *)C_app_toplevel);
}
