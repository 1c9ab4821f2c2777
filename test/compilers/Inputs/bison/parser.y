/* A calculator parsed by a bison-generated parser, in a reloadable module:
 * parse_line() parses one line; `results` counts the lines parsed. */
%{
#include <stdio.h>
#include <ctype.h>
int yylex(void);
void yyerror(const char *s);
int parse_line(const char *line);
static const char *input;
static int value;
int results;
%}
%token NUM
%left '+' '-'
%left '*' '/'
%%
line: expr { value = $1; ++results; } ;
expr: NUM
    | expr '+' expr { $$ = $1 + $3; }
    | expr '-' expr { $$ = $1 - $3; }
    | expr '*' expr { $$ = $1 * $3; }
    | expr '/' expr { $$ = $3 ? $1 / $3 : 0; }
    | '(' expr ')' { $$ = $2; }
    ;
%%
void yyerror(const char *s) { printf("error: %s\n", s); }
int yylex(void) {
  while (*input == ' ')
    ++input;
  if (isdigit((unsigned char)*input)) {
    int v = 0;
    while (isdigit((unsigned char)*input))
      v = v * 10 + (*input++ - '0');
    yylval = v;
    return NUM;
  }
  return *input ? *input++ : 0;
}
int parse_line(const char *line) {
  input = line;
  return yyparse() == 0 ? value : -1;
}
