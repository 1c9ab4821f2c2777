/*===- entry_patch.c - Reload by entry patching -------------------------===*\
|*                                                                            *|
|* A reload loads the new build beside the old ones and writes, at the entry *|
|* of each function of every earlier version, a jump to the new function of  *|
|* the same name. See entry_patch.h for the contract.                         *|
|*                                                                            *|
|* Why the new version is opened RTLD_LOCAL: the dynamic linker resolves its  *|
|* references (GOT entries) in the global scope first, where the first        *|
|* version, opened RTLD_GLOBAL, already defines every exported global; so the *|
|* new code reads and writes the first version's storage and state is kept.   *|
|* Checked by experiments/unittests/EntryPatch (globals kept, the address   *|
|* the new code sees). The same rule binds the new code's calls to           *|
|* its own exported functions to the first version's entries, which jump to  *|
|* it. It does not hold for static data (addressed PC-relative, so each copy  *|
|* has its own) nor for a global first defined by a reload (RTLD_LOCAL keeps  *|
|* it out of the global scope, so the next reload gets fresh storage).        *|
\*===----------------------------------------------------------------------===*/

#define _GNU_SOURCE
#include "entry_patch.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if !defined(__x86_64__) || !defined(__linux__)
#error "entry_patch: the jump encodings below are x86-64 and the loader is ELF"
#endif

/*===-- AddressSanitizer ------------------------------------------------===*/

/* Every version of a module is loaded beside the others and defines the
 * same globals: that is the strategy, not an ODR violation, so a program
 * built with -fsanitize=address that links this library does not check it
 * (ASAN_OPTIONS still overrides this default). Not weak: the sanitizer
 * runtime's own weak default would win the link. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EP_ASAN 1
#endif
#endif
#ifdef EP_ASAN
const char *__asan_default_options(void) { return "detect_odr_violation=0"; }
#endif

/*===-- Jump encodings ---------------------------------------------------===*/

/* jmp rel32: reaches +-2 GiB from the end of the instruction.
 *   E9 xx xx xx xx          jmp  target
 */
enum { REL32_SIZE = 5 };

/* jmp through an address stored right after the instruction:
 *   FF 25 00 00 00 00       jmp  *0(%rip)
 *   xx xx xx xx xx xx xx xx .quad target
 */
enum { ABS64_SIZE = 14 };

_Static_assert(REL32_SIZE <= 8, "the rel32 jump must fit one 8-byte store");

enum patch_kind { PATCH_ATOMIC, PATCH_SPLIT_REL32, PATCH_ABS64 };

/*===-- Errors -----------------------------------------------------------===*/

static _Thread_local char last_error[512] = "no error";

const char *ep_last_error(void) { return last_error; }

/* Records the message and returns status, so that callers write
 * `return fail(EP_ERROR_IO, ...)`. */
static int fail(int status, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  int n = snprintf(last_error, sizeof last_error, "entry_patch: ");
  vsnprintf(last_error + n, sizeof last_error - n, fmt, args);
  va_end(args);
  return status;
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/*===-- Bookkeeping ------------------------------------------------------===*/

/* One function of one loaded version. */
typedef struct ep_function {
  const char *name; /* Into ep_version.names. */
  uintptr_t addr;   /* Run-time address of the entry. */
  size_t size;      /* st_size: the bytes that are surely this function's. */
  size_t room;      /* size plus the padding before the next symbol, when
                       .symtab shows where that is; else size. */
  int duplicate;    /* The name is defined more than once in this version. */
} ep_function;

/* An executable PT_LOAD segment, to restore its protection after patching. */
typedef struct ep_segment {
  uintptr_t start, end; /* Run-time addresses. */
  int prot;             /* PROT_* from p_flags. */
} ep_segment;

enum { MAX_SEGMENTS = 4 };

typedef struct ep_version {
  void *handle;
  ep_function *functions; /* Sorted by name, for bsearch. */
  size_t function_count;
  char *names;
  ep_segment segments[MAX_SEGMENTS];
  unsigned segment_count;
  int from_symtab;
} ep_version;

struct ep_module {
  char *path; /* As given to ep_load, for messages. */
  char *stem; /* File name without ".so", for the copies' names. */
  unsigned flags;
  ep_version *versions;
  unsigned version_count, version_capacity;
  ep_reload_stats stats;
  ep_module *next; /* All modules, for ep_shutdown. */
};

static ep_module *all_modules;
static char copy_dir[PATH_MAX];
static unsigned long copy_counter;

static void free_version_tables(ep_version *v) {
  free(v->functions);
  free(v->names);
  v->functions = NULL;
  v->names = NULL;
  v->function_count = 0;
}

/*===-- Private copies ---------------------------------------------------===*/

/* dlopen returns the same handle for a path (or inode) already open, and a
 * build renames a new file over the old path: each version therefore gets
 * its own copy, opened once. */
static int ensure_copy_dir(void) {
  if (copy_dir[0])
    return EP_OK;
  const char *tmp = getenv("TMPDIR");
  snprintf(copy_dir, sizeof copy_dir, "%s/entry-patch-XXXXXX",
           tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(copy_dir)) {
    int err = errno;
    copy_dir[0] = 0;
    return fail(EP_ERROR_IO, "cannot create a directory for module copies: %s",
                strerror(err));
  }
  return EP_OK;
}

static int copy_file(const char *from, const char *to) {
  int in = open(from, O_RDONLY | O_CLOEXEC);
  if (in < 0)
    return fail(EP_ERROR_IO, "cannot open '%s': %s", from, strerror(errno));
  struct stat st;
  if (fstat(in, &st) != 0) {
    int err = errno;
    close(in);
    return fail(EP_ERROR_IO, "cannot stat '%s': %s", from, strerror(err));
  }
  int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
  if (out < 0) {
    int err = errno;
    close(in);
    return fail(EP_ERROR_IO, "cannot create '%s': %s", to, strerror(err));
  }
  off_t done = 0;
  while (done < st.st_size) {
    ssize_t n = copy_file_range(in, NULL, out, NULL, st.st_size - done, 0);
    if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL)) {
      /* No kernel copy between these file systems: through a buffer. */
      char buf[1 << 16];
      n = pread(in, buf, sizeof buf, done);
      if (n > 0 && write(out, buf, n) != n)
        n = -1;
    }
    if (n <= 0) {
      int err = errno;
      close(in);
      close(out);
      unlink(to);
      return n == 0 ? fail(EP_ERROR_IO, "'%s' shrank while being copied", from)
                    : fail(EP_ERROR_IO, "cannot copy '%s': %s", from,
                           strerror(err));
    }
    done += n;
  }
  close(in);
  if (close(out) != 0) {
    unlink(to);
    return fail(EP_ERROR_IO, "cannot write '%s': %s", to, strerror(errno));
  }
  return EP_OK;
}

/*===-- ELF symbols ------------------------------------------------------===*/

static int by_name(const void *a, const void *b) {
  return strcmp(((const ep_function *)a)->name, ((const ep_function *)b)->name);
}

static int by_address(const void *a, const void *b) {
  uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
  return x < y ? -1 : x > y;
}

/* Bounds of a section's contents inside the file, or NULL. */
static const unsigned char *
section_data(const unsigned char *file, size_t file_size, const Elf64_Shdr *s) {
  if (s->sh_type == SHT_NOBITS || s->sh_offset > file_size ||
      s->sh_size > file_size - s->sh_offset)
    return NULL;
  return file + s->sh_offset;
}

/* Reads the functions of the ELF file at copy (the private copy: exactly
 * the bytes dlopen maps) into v, with addresses relative to the load base;
 * messages name path, the file the caller gave. .symtab lists static
 * functions too; a stripped file has only .dynsym. */
/* True if s marks a start in an executable section: every such symbol bounds
 * the padding before it (crt helpers have size 0 but are code). */
static bool starts_code(const Elf64_Sym *s, const Elf64_Ehdr *eh,
                        const Elf64_Shdr *sh) {
  unsigned type = ELF64_ST_TYPE(s->st_info);
  return s->st_shndx != SHN_UNDEF && s->st_shndx < eh->e_shnum &&
         (sh[s->st_shndx].sh_flags & SHF_EXECINSTR) && type != STT_SECTION &&
         type != STT_FILE;
}

/* The length of the name of function s, or 0 if s is not a sized function
 * or its name is empty or not NUL-terminated inside the string table. */
static size_t function_name_length(const Elf64_Sym *s, const char *strs,
                                   size_t strs_size) {
  if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_size == 0 ||
      s->st_name >= strs_size)
    return 0;
  size_t len = strnlen(strs + s->st_name, strs_size - s->st_name);
  return len == strs_size - s->st_name ? 0 : len;
}

static int read_functions(const char *copy, const char *path, ep_version *v) {
  int fd = open(copy, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail(EP_ERROR_IO, "cannot open '%s': %s", copy, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
    close(fd);
    return fail(EP_ERROR_ELF, "'%s' is too small for an ELF file", path);
  }
  size_t size = st.st_size;
  void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED)
    return fail(EP_ERROR_IO, "cannot map '%s': %s", path, strerror(errno));
  const unsigned char *file = map;
  const Elf64_Ehdr *eh = map;
  int status = EP_OK;
  uintptr_t *starts = NULL;

  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
      eh->e_ident[EI_CLASS] != ELFCLASS64 ||
      eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64 ||
      eh->e_type != ET_DYN) {
    status =
        fail(EP_ERROR_ELF, "'%s' is not an x86-64 ELF shared object", path);
    goto done;
  }
  if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > size ||
      (size - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum ||
      eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > size ||
      (size - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum) {
    status = fail(EP_ERROR_ELF, "'%s': header tables out of the file", path);
    goto done;
  }
  const Elf64_Phdr *ph = (const Elf64_Phdr *)(file + eh->e_phoff);
  v->segment_count = 0;
  for (unsigned i = 0; i < eh->e_phnum; ++i) {
    if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_X))
      continue;
    if (v->segment_count == MAX_SEGMENTS) {
      status = fail(EP_ERROR_ELF, "'%s': too many executable segments", path);
      goto done;
    }
    ep_segment *s = &v->segments[v->segment_count++];
    s->start = ph[i].p_vaddr; /* Relative until the base is known. */
    s->end = ph[i].p_vaddr + ph[i].p_memsz;
    s->prot = PROT_EXEC | (ph[i].p_flags & PF_R ? PROT_READ : 0) |
              (ph[i].p_flags & PF_W ? PROT_WRITE : 0);
  }

  const Elf64_Shdr *sh = (const Elf64_Shdr *)(file + eh->e_shoff);
  const Elf64_Shdr *symtab = NULL;
  for (unsigned i = 0; i < eh->e_shnum && !symtab; ++i)
    if (sh[i].sh_type == SHT_SYMTAB)
      symtab = &sh[i];
  v->from_symtab = symtab != NULL;
  for (unsigned i = 0; i < eh->e_shnum && !symtab; ++i)
    if (sh[i].sh_type == SHT_DYNSYM)
      symtab = &sh[i];
  if (!symtab) {
    status = fail(EP_ERROR_ELF, "'%s' has no symbol table", path);
    goto done;
  }
  const Elf64_Sym *syms = (const Elf64_Sym *)section_data(file, size, symtab);
  const char *strs =
      symtab->sh_link < eh->e_shnum
          ? (const char *)section_data(file, size, &sh[symtab->sh_link])
          : NULL;
  if (!syms || !strs || symtab->sh_entsize != sizeof(Elf64_Sym)) {
    status = fail(EP_ERROR_ELF, "'%s': malformed symbol table", path);
    goto done;
  }
  size_t sym_count = symtab->sh_size / sizeof(Elf64_Sym);
  size_t strs_size = sh[symtab->sh_link].sh_size;

  /* Pass 1: count and size. Every symbol in an executable section marks a
   * start (crt helpers have size 0 but are code), so that padding is only
   * the gap up to the next one; section ends bound it too. */
  size_t count = 0, names_size = 0, start_count = 0;
  for (size_t i = 0; i < sym_count; ++i) {
    const Elf64_Sym *s = &syms[i];
    if (!starts_code(s, eh, sh))
      continue;
    ++start_count;
    size_t len = function_name_length(s, strs, strs_size);
    if (len == 0)
      continue;
    ++count;
    names_size += len + 1;
  }
  for (unsigned i = 0; i < eh->e_shnum; ++i)
    start_count += (sh[i].sh_flags & SHF_EXECINSTR) != 0;

  v->functions = calloc(count ? count : 1, sizeof *v->functions);
  v->names = malloc(names_size ? names_size : 1);
  starts = malloc((start_count ? start_count : 1) * sizeof *starts);
  if (!v->functions || !v->names || !starts) {
    status = fail(EP_ERROR_RESOURCE, "out of memory reading '%s'", path);
    goto done;
  }

  /* Pass 2: fill. */
  size_t n = 0, k = 0, at = 0;
  for (size_t i = 0; i < sym_count; ++i) {
    const Elf64_Sym *s = &syms[i];
    if (!starts_code(s, eh, sh))
      continue;
    starts[k++] = s->st_value;
    size_t len = function_name_length(s, strs, strs_size);
    if (len == 0)
      continue;
    memcpy(v->names + at, strs + s->st_name, len + 1);
    ep_function *f = &v->functions[n++];
    f->name = v->names + at;
    f->addr = s->st_value;
    f->size = s->st_size;
    at += len + 1;
  }
  for (unsigned i = 0; i < eh->e_shnum; ++i)
    if (sh[i].sh_flags & SHF_EXECINSTR)
      starts[k++] = sh[i].sh_addr + sh[i].sh_size;
  qsort(starts, k, sizeof *starts, by_address);

  for (size_t i = 0; i < n; ++i) {
    ep_function *f = &v->functions[i];
    f->room = f->size;
    if (!v->from_symtab)
      continue; /* .dynsym omits static functions: the gap may hold one. */
    size_t lo = 0, hi = k; /* First start above f->addr. */
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (starts[mid] <= f->addr)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo < k && starts[lo] - f->addr > f->room)
      f->room = starts[lo] - f->addr;
  }
  qsort(v->functions, n, sizeof *v->functions, by_name);
  for (size_t i = 1; i < n; ++i)
    if (strcmp(v->functions[i - 1].name, v->functions[i].name) == 0)
      v->functions[i - 1].duplicate = v->functions[i].duplicate = 1;
  v->function_count = n;

done:
  free(starts);
  munmap(map, size);
  if (status != EP_OK)
    free_version_tables(v);
  return status;
}

static const ep_function *find_function(const ep_version *v, const char *name) {
  ep_function key = {.name = name};
  return bsearch(&key, v->functions, v->function_count, sizeof key, by_name);
}

/*===-- Loading a version ------------------------------------------------===*/

/* Copies path, reads its symbols and dlopens the copy with mode; on success
 * v holds run-time addresses. On failure nothing stays loaded. */
static int open_version(ep_module *m, const char *path, int mode, ep_version *v,
                        ep_reload_stats *stats) {
  memset(v, 0, sizeof *v);
  int status = ensure_copy_dir();
  if (status != EP_OK)
    return status;
  char copy[PATH_MAX];
  if (snprintf(copy, sizeof copy, "%s/%s.%lu.so", copy_dir, m->stem,
               ++copy_counter) >= (int)sizeof copy)
    return fail(EP_ERROR_IO, "copy path too long for '%s'", path);

  double t0 = now_ms();
  status = copy_file(path, copy);
  double t1 = now_ms();
  stats->copy_ms = t1 - t0;
  if (status != EP_OK)
    return status;
  /* Symbols first: a file we cannot read is refused before any of its code
   * (constructors) runs. */
  status = read_functions(copy, path, v);
  double t2 = now_ms();
  stats->symbols_ms = t2 - t1;
  if (status != EP_OK) {
    unlink(copy);
    return status;
  }
  dlerror();
  v->handle = dlopen(copy, mode);
  stats->dlopen_ms = now_ms() - t2;
  /* The mapping keeps the file's contents; unlinking now leaves no copy on
   * disk for a version that is never unloaded (tools show it "(deleted)"). */
  unlink(copy);
  if (!v->handle) {
    const char *why = dlerror();
    free_version_tables(v);
    return fail(EP_ERROR_DLOPEN, "cannot load '%s': %s", path,
                why ? why : "dlopen failed");
  }
  struct link_map *lm = NULL;
  if (dlinfo(v->handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm) {
    /* Nothing refers to the new copy yet, so closing it is safe. */
    dlclose(v->handle);
    free_version_tables(v);
    return fail(EP_ERROR_DLOPEN, "no link map for '%s'", path);
  }
  uintptr_t base = lm->l_addr;
  for (size_t i = 0; i < v->function_count; ++i)
    v->functions[i].addr += base;
  for (unsigned i = 0; i < v->segment_count; ++i) {
    v->segments[i].start += base;
    v->segments[i].end += base;
  }
  stats->functions = (unsigned)v->function_count;
  stats->from_symtab = (unsigned)v->from_symtab;
  return EP_OK;
}

static int append_version(ep_module *m, const ep_version *v) {
  if (m->version_count == m->version_capacity) {
    unsigned cap = m->version_capacity ? 2 * m->version_capacity : 4;
    ep_version *grown = realloc(m->versions, cap * sizeof *grown);
    if (!grown)
      return fail(EP_ERROR_RESOURCE, "out of memory");
    m->versions = grown;
    m->version_capacity = cap;
  }
  m->versions[m->version_count++] = *v;
  return EP_OK;
}

int ep_load(const char *path, unsigned flags, ep_module **out) {
  if (!path || !*path || !out)
    return fail(EP_ERROR_INVALID_ARGUMENT, "ep_load: no path or no output");
  *out = NULL;
  ep_module *m = calloc(1, sizeof *m);
  const char *slash = strrchr(path, '/');
  if (m) {
    m->path = strdup(path);
    m->stem = strdup(slash ? slash + 1 : path);
  }
  if (!m || !m->path || !m->stem) {
    if (m) {
      free(m->path);
      free(m->stem);
    }
    free(m);
    return fail(EP_ERROR_RESOURCE, "out of memory");
  }
  size_t len = strlen(m->stem);
  if (len > 3 && strcmp(m->stem + len - 3, ".so") == 0)
    m->stem[len - 3] = 0;
  m->flags = flags;

  ep_version v;
  ep_reload_stats stats = {.version = 1};
  int status = open_version(m, path, RTLD_NOW | RTLD_GLOBAL, &v, &stats);
  if (status == EP_OK && (status = append_version(m, &v)) != EP_OK)
    free_version_tables(&v); /* Stays mapped: RTLD_GLOBAL, others bound. */
  if (status != EP_OK) {
    free(m->path);
    free(m->stem);
    free(m);
    return status;
  }
  m->stats = stats;
  m->next = all_modules;
  all_modules = m;
  *out = m;
  return EP_OK;
}

/*===-- Patching ---------------------------------------------------------===*/

/* One entry to overwrite. */
typedef struct ep_patch {
  uintptr_t at;
  unsigned char code[ABS64_SIZE];
  unsigned len;
  enum patch_kind kind;
  unsigned version; /* Index of the old version. */
  unsigned segment; /* Its segment holding [at, at + len). */
} ep_patch;

/* A page range of one version switched to RWX for the writes. */
typedef struct ep_window {
  uintptr_t lo, hi;
  int prot; /* To restore. */
} ep_window;

static uintptr_t page_size(void) { return (uintptr_t)sysconf(_SC_PAGESIZE); }

/* Plans the jump from old entry `from` (with `room` bytes we may write) to
 * `to`. Returns 0 if it does not fit. */
static int plan_jump(uintptr_t from, size_t room, uintptr_t to, unsigned flags,
                     ep_patch *p) {
  int64_t rel = (int64_t)(to - (from + REL32_SIZE));
  p->at = from;
  if (!(flags & EP_FORCE_ABS64) && rel >= INT32_MIN && rel <= INT32_MAX) {
    if (room < REL32_SIZE)
      return 0;
    int32_t rel32 = (int32_t)rel;
    p->code[0] = 0xE9;
    memcpy(p->code + 1, &rel32, 4);
    p->len = REL32_SIZE;
    /* One store covers the jump if it does not cross an 8-byte boundary. */
    p->kind = (from & 7) <= 8 - REL32_SIZE ? PATCH_ATOMIC : PATCH_SPLIT_REL32;
    return 1;
  }
  if (room < ABS64_SIZE)
    return 0;
  static const unsigned char head[6] = {0xFF, 0x25, 0, 0, 0, 0};
  uint64_t target = to;
  memcpy(p->code, head, sizeof head);
  memcpy(p->code + 6, &target, 8);
  p->len = ABS64_SIZE;
  p->kind = PATCH_ABS64;
  return 1;
}

/* Overwrites bytes [at, at + len) with one store of the aligned 8-byte word
 * that holds them, so that another core fetches either the old or the new
 * instruction bytes, never a mix (the rest of the word is written back
 * unchanged; only this thread writes code). x86 keeps instruction fetch
 * coherent with stores, so no cache flush is needed; the SDM formally asks
 * cross-modified code to serialize, which hot patching (Windows' 2-byte
 * entry patch, Live++) does not do either. What no store can fix: a thread
 * paused inside the first len bytes, or a loop that jumps back into them,
 * resumes in the middle of the jump (Live++ suspends threads and moves such
 * instruction pointers; this library does not). */
static void store_in_word(uintptr_t at, const unsigned char *bytes,
                          unsigned len) {
  uint64_t *word = (uint64_t *)(at & ~(uintptr_t)7);
  uint64_t value = __atomic_load_n(word, __ATOMIC_RELAXED);
  memcpy((unsigned char *)&value + (at & 7), bytes, len);
  __atomic_store_n(word, value, __ATOMIC_SEQ_CST);
}

static void write_patch(const ep_patch *p) {
  volatile unsigned char *dst = (volatile unsigned char *)p->at;
  switch (p->kind) {
  case PATCH_ATOMIC:
    store_in_word(p->at, p->code, p->len);
    break;
  case PATCH_SPLIT_REL32:
    for (unsigned i = 0; i < p->len; ++i)
      dst[i] = p->code[i];
    break;
  case PATCH_ABS64:
    /* The address first, the jmp last: when the entry already held a rel32
     * jump (an earlier reload), bytes 6..13 are not executed and the head
     * then switches in one store. Over original code it is not atomic. */
    for (unsigned i = 6; i < ABS64_SIZE; ++i)
      dst[i] = p->code[i];
    if ((p->at & 7) <= 2)
      store_in_word(p->at, p->code, 6);
    else
      for (unsigned i = 0; i < 6; ++i)
        dst[i] = p->code[i];
    break;
  }
}

static int find_segment(const ep_version *v, uintptr_t lo, uintptr_t hi,
                        unsigned *index) {
  for (unsigned i = 0; i < v->segment_count; ++i)
    if (lo >= v->segments[i].start && hi <= v->segments[i].end) {
      *index = i;
      return 1;
    }
  return 0;
}

/* Plans every patch of the reload into *out (caller frees). */
static int plan_patches(ep_module *m, const ep_version *nv, ep_patch **out,
                        size_t *out_count, ep_reload_stats *stats) {
  unsigned old_count = m->version_count;
  size_t cap = nv->function_count * (size_t)old_count;
  ep_patch *patches = malloc((cap ? cap : 1) * sizeof *patches);
  if (!patches)
    return fail(EP_ERROR_RESOURCE, "out of memory");
  size_t n = 0;
  for (size_t i = 0; i < nv->function_count; ++i) {
    const ep_function *nf = &nv->functions[i];
    int seen = 0;
    for (unsigned o = 0; o < old_count; ++o) {
      const ep_version *ov = &m->versions[o];
      const ep_function *of = find_function(ov, nf->name);
      if (!of)
        continue;
      seen = 1;
      /* Same static name twice (two files of one object): no way to pair. */
      if (of->duplicate || nf->duplicate) {
        ++stats->ambiguous;
        continue;
      }
      size_t room = (m->flags & EP_USE_PADDING) ? of->room : of->size;
      ep_patch *p = &patches[n];
      if (!plan_jump(of->addr, room, nf->addr, m->flags, p)) {
        ++stats->refused_small;
        continue;
      }
      if (!find_segment(ov, p->at, p->at + p->len, &p->segment)) {
        free(patches);
        return fail(EP_ERROR_ELF,
                    "'%s': function %s lies outside the executable segments",
                    m->path, of->name);
      }
      p->version = o;
      stats->into_padding += p->len > of->size;
      ++n;
    }
    stats->new_functions += !seen;
  }
  *out = patches;
  *out_count = n;
  return EP_OK;
}

/* Switches the pages of every patch to RWX, per segment (RWX, not RW: other
 * threads may be running code on these very pages). On failure, restores
 * what it changed and returns the error: nothing is written then. */
static int open_windows(ep_module *m, const ep_patch *patches, size_t count,
                        ep_window **out, size_t *out_count, unsigned *pages) {
  size_t slots = (size_t)m->version_count * MAX_SEGMENTS;
  ep_window *w = calloc(slots ? slots : 1, sizeof *w);
  if (!w)
    return fail(EP_ERROR_RESOURCE, "out of memory");
  uintptr_t ps = page_size();
  for (size_t i = 0; i < count; ++i) {
    ep_window *x = &w[patches[i].version * MAX_SEGMENTS + patches[i].segment];
    uintptr_t lo = patches[i].at & ~(ps - 1);
    uintptr_t hi = (patches[i].at + patches[i].len + ps - 1) & ~(ps - 1);
    if (x->hi == 0 || lo < x->lo)
      x->lo = lo;
    if (hi > x->hi)
      x->hi = hi;
    x->prot = m->versions[patches[i].version].segments[patches[i].segment].prot;
  }
  *pages = 0;
  for (size_t i = 0; i < slots; ++i) {
    if (w[i].hi == 0)
      continue;
    if (mprotect((void *)w[i].lo, w[i].hi - w[i].lo,
                 PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
      int err = errno;
      for (size_t j = 0; j < i; ++j)
        if (w[j].hi)
          mprotect((void *)w[j].lo, w[j].hi - w[j].lo, w[j].prot);
      free(w);
      return fail(EP_ERROR_PROTECT,
                  "cannot make code of '%s' writable (W^X policy?): %s",
                  m->path, strerror(err));
    }
    *pages += (unsigned)((w[i].hi - w[i].lo) / ps);
  }
  *out = w;
  *out_count = slots;
  return EP_OK;
}

/* Back to the segments' own protection; returns the number of failures. */
static unsigned close_windows(ep_window *w, size_t count) {
  unsigned failures = 0;
  for (size_t i = 0; i < count; ++i)
    if (w[i].hi && mprotect((void *)w[i].lo, w[i].hi - w[i].lo, w[i].prot))
      ++failures;
  free(w);
  return failures;
}

int ep_reload(ep_module *m, const char *new_path) {
  if (!m || !new_path || !*new_path)
    return fail(EP_ERROR_INVALID_ARGUMENT, "ep_reload: no module or no path");
  ep_reload_stats stats = {.version = m->version_count + 1};
  ep_version nv;
  int status = open_version(m, new_path, RTLD_NOW | RTLD_LOCAL, &nv, &stats);
  if (status != EP_OK)
    return status;

  double t0 = now_ms();
  ep_patch *patches = NULL;
  ep_window *windows = NULL;
  size_t patch_count = 0, window_count = 0;
  status = plan_patches(m, &nv, &patches, &patch_count, &stats);
  if (status == EP_OK)
    status = open_windows(m, patches, patch_count, &windows, &window_count,
                          &stats.pages_made_writable);
  if (status == EP_OK) /* Reserve the slot now: past this point, no failure. */
    status = append_version(m, &nv);
  if (status != EP_OK) {
    /* Nothing was written and nothing refers to the new copy: unload it. */
    if (windows)
      close_windows(windows, window_count);
    free(patches);
    dlclose(nv.handle);
    free_version_tables(&nv);
    return status;
  }
  for (size_t i = 0; i < patch_count; ++i) {
    write_patch(&patches[i]);
    stats.atomic += patches[i].kind == PATCH_ATOMIC;
    stats.split_rel32 += patches[i].kind == PATCH_SPLIT_REL32;
    stats.abs64 += patches[i].kind == PATCH_ABS64;
  }
  stats.patched = (unsigned)patch_count;
  unsigned failures = close_windows(windows, window_count);
  free(patches);
  stats.patch_ms = now_ms() - t0;
  m->stats = stats;
  if (failures)
    return fail(EP_ERROR_PROTECT_RESTORE,
                "'%s' reloaded, but %u page ranges stay writable", m->path,
                failures);
  return EP_OK;
}

/*===-- Queries ----------------------------------------------------------===*/

void *ep_symbol(ep_module *m, const char *name) {
  if (!m || !name || m->version_count == 0)
    return NULL;
  return dlsym(m->versions[0].handle, name);
}

void *ep_version_handle(ep_module *m, unsigned v) {
  if (!m || v == 0 || v > m->version_count)
    return NULL;
  return m->versions[v - 1].handle;
}

unsigned ep_versions(const ep_module *m) { return m ? m->version_count : 0; }

void ep_last_stats(const ep_module *m, ep_reload_stats *out) {
  if (m && out)
    *out = m->stats;
}

void ep_shutdown(void) {
  while (all_modules) {
    ep_module *m = all_modules;
    all_modules = m->next;
    for (unsigned i = 0; i < m->version_count; ++i)
      free_version_tables(&m->versions[i]);
    free(m->versions);
    free(m->path);
    free(m->stem);
    free(m);
  }
  if (copy_dir[0]) {
    rmdir(copy_dir);
    copy_dir[0] = 0;
  }
}
