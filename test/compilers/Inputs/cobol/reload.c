/* hcr_perform_reload for COBOL's CALL STATIC: a function the native build
 * links too (there <hcr/hcr.h>'s fallback, which never reloads, is inline
 * and has no symbol). */
#include <hcr/hcr.h>
int cob_hcr_reload(void);
int cob_hcr_reload(void) { return (int)hcr_perform_reload(); }
