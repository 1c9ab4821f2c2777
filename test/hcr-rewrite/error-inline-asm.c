// Assembler text that names a global or a function by its symbol would
// bypass the slot; hcr reports it instead of emitting wrong code.
// RUN: not %hcr-rewrite %s -- 2>&1 | FileCheck %s --check-prefix=DIAG

int counter;
void bump(void) {
  // DIAG: error-inline-asm.c:[[@LINE+1]]:3: error: inline assembly names global 'counter', which hcr moves behind a pointer; pass it as an operand instead
  __asm__ volatile("incl counter(%rip)");
}
void bump_operand(void) { __asm__ volatile("incl %0" : "+m"(counter)); }
// DIAG-NOT: error:
