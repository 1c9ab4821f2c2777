#ifndef GREET_H
#define GREET_H
#define PUNCTUATION "!"
const char *greet(void);
#endif
