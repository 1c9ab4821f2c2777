int ledger(int amount) {
#include "ledger.l.h"
  if (!initialized) {
    __builtin_memset(total, 0, sizeof total);
    initialized = 1;
  }
  scratch = amount;
  field[0] += (unsigned char)scratch;
  return total[0];
}
