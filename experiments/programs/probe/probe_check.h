/* probe_check.h - what every host of the limitations probe does around the
 * swap, whatever the strategy: call f of version 1 three times, keep &f,
 * wait while the driver builds version 2, swap (each host its own way),
 * call f once more and report what it saw as one JSON object. The driver
 * turns the observations into the table (experiments/scripts/
 * hcrbench/probe.py), so the C side only observes. */
#ifndef PROBE_CHECK_H
#define PROBE_CHECK_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*probe_fn)(int *static_local, int *extra);

/* Says version 1 has run, and waits for the driver's go-ahead. */
static void probe_wait_for_swap(void) {
  printf("{\"ready\": 1}\n");
  fflush(stdout);
  char line[16];
  if (!fgets(line, sizeof line, stdin))
    exit(1);
}

/* Prints text as a JSON string, quotes and backslashes made harmless. */
static void probe_print_string(const char *text) {
  putchar('"');
  for (; *text; ++text)
    putchar(*text == '"' || *text == '\\' || *text < ' ' ? '\'' : *text);
  putchar('"');
}

/* Calls the pointer taken before the swap in a child process: after some
 * swaps it leads into unmapped or unrelated code, which must not take the
 * report down. Returns f's result, or -1 if the child died. */
static int probe_call_old(probe_fn old, char *outcome, size_t size) {
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    alarm(2); /* Unrelated code may loop. */
    int local, extra;
    _exit(old(&local, &extra) & 0x7f);
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child) {
    snprintf(outcome, size, "could not fork");
    return -1;
  }
  if (WIFSIGNALED(status)) {
    snprintf(outcome, size, "killed by SIG%s", sigabbrev_np(WTERMSIG(status)));
    return -1;
  }
  snprintf(outcome, size, "returned %d", WEXITSTATUS(status));
  return WEXITSTATUS(status);
}

/* The report: swap is "ok" or why the swap failed; before is &f taken
 * before it (in an earlier process, for a restart), after is &f now. */
static void probe_report(const char *swap, uintptr_t before, uintptr_t after,
                         int result, int static_local, int extra, int global) {
  char outcome[64];
  int old_result = probe_call_old((probe_fn)before, outcome, sizeof outcome);
  printf("{\"swap\": ");
  probe_print_string(swap);
  printf(", \"result\": %d, \"static_local\": %d, \"extra\": %d, "
         "\"global\": %d, \"f_before\": \"%#lx\", \"f_after\": \"%#lx\", "
         "\"old_pointer_result\": %d, \"old_pointer_call\": \"%s\"}\n",
         result, static_local, extra, global, (unsigned long)before,
         (unsigned long)after, old_result, outcome);
  fflush(stdout);
}

#endif
