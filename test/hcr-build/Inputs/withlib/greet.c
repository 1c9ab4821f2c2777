/* A library of the system's, outside the project: linked with -lgreet. */
const char *greet_word(void) { return "hello from libgreet"; }
