/* The function's storage, as GnuCOBOL writes it (prog.c.l.h): included
   inside the function's body. */
static int initialized = 0;
static unsigned char total[9];
static unsigned char *field = total;
int scratch;
