/* library_copy.h - the private copy a whole-library host opens.
 *
 * A whole-library host never dlopens the build's output itself: the build
 * replaces that file while the program runs, and dlopen of a path (or of a
 * dev/inode) that is already open returns the old handle. So each load
 * copies the file to a fresh name and opens the copy, as cr.h and the
 * Handmade Hero loop do. The source's stat is recorded from the descriptor
 * that was copied, so a change detected later is a change after the copy. */
#ifndef CLASSIC_LIBRARY_COPY_H
#define CLASSIC_LIBRARY_COPY_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Copies src to a new file in $TMPDIR (else /tmp), the directory hcr's
 * runtime copies to, named after the process and the generation. Writes
 * the copy's path to path and the stat of what was copied to copied.
 * Returns false on any error, with errno set. */
static inline bool library_copy(const char *src, unsigned long generation,
                                char *path, size_t path_size,
                                struct stat *copied) {
  static char buffer[1 << 18];
  const char *dir = getenv("TMPDIR");
  if (!dir || !*dir)
    dir = "/tmp";
  snprintf(path, path_size, "%s/classic-%d-%lu.so", dir, (int)getpid(),
           generation);
  int in = open(src, O_RDONLY | O_CLOEXEC);
  if (in < 0)
    return false;
  int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
  bool ok = out >= 0 && fstat(in, copied) == 0;
  ssize_t n;
  while (ok && (n = read(in, buffer, sizeof buffer)) != 0)
    ok = n > 0 && write(out, buffer, (size_t)n) == n;
  close(in);
  if (out >= 0 && close(out) != 0)
    ok = false;
  return ok;
}

/* True if the file at path is no longer the one recorded in copied: what
 * hcr's runtime compares too (device, inode, size, mtime in nanoseconds). */
static inline bool library_changed(const char *path,
                                   const struct stat *copied) {
  struct stat now;
  if (stat(path, &now) != 0)
    return false; /* Mid-build: the file is missing for a moment. */
  return now.st_dev != copied->st_dev || now.st_ino != copied->st_ino ||
         now.st_size != copied->st_size ||
         now.st_mtim.tv_sec != copied->st_mtim.tv_sec ||
         now.st_mtim.tv_nsec != copied->st_mtim.tv_nsec;
}

#endif
