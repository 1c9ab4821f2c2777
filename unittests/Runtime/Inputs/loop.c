/* Module "loop", in versions (VERSION=1..3), for the stack-safety tests:
 * code that keeps frames on a thread's stack while reloads replace it.
 *   run(body): calls body(i) until it returns 0, in this copy's loop;
 *              returns VERSION * 100000 + the number of calls.
 *   spin(flags): sets flags[1], then busy-waits in this copy until flags[0]
 *                is set.
 *   block(fd):  waits in read(fd) (a system call) called from this copy.
 *   version():  VERSION.
 *   code():     an address in this copy's code.
 */
#include "TestModule.h"
#include <stddef.h>
#include <unistd.h>

static const char *const Imports[] = {NULL};

typedef int (*loop_body_fn)(int);

static long run_actual(loop_body_fn body) {
  long calls = 0;
  for (int i = 0;; ++i) {
    ++calls;
    if (!body(i))
      break;
  }
  return VERSION * 100000L + calls;
}

static int spin_actual(volatile int *flags) {
  long turns = 0;
  flags[1] = 1;
  while (!flags[0])
    ++turns;
  return VERSION + (turns < 0);
}

static int block_actual(int fd) {
  char c;
  return read(fd, &c, 1) == 1 ? VERSION : -1;
}

static int version_actual(void) { return VERSION; }

static void *code_actual(void) { return (void *)version_actual; }

HCR_TEST_MODULE_INFO(Imports, "loop-v" HCR_TEST_STR(VERSION))

HCR_MODULE_EXPORT void hcr_module_register_symbols(void) {
  hcr_register_proc("loop", "run", (void *)run_actual);
  hcr_register_proc("loop", "spin", (void *)spin_actual);
  hcr_register_proc("loop", "block", (void *)block_actual);
  hcr_register_proc("loop", "version", (void *)version_actual);
  hcr_register_proc("loop", "code", (void *)code_actual);
}

HCR_MODULE_EXPORT void hcr_module_link(void) {}

HCR_MODULE_EXPORT void hcr_module_init(void) {}
