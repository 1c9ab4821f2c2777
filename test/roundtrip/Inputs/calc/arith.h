#ifndef ARITH_H
#define ARITH_H
int add(int a, int b);
int sub(int a, int b);
int mul(int a, int b);
int power(int base, int exp);
int sum_all(int count, ...);
#endif
