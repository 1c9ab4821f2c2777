/*===- entry_patch.h - Reload by entry patching -----------------*- C -*-===*\
|*                                                                            *|
|* The approach of Live++ and jet-live, kept as small as possible so that the *|
|* experiments (docs/experiments.md) can measure it beside hcr's strategies.  *|
|* Modules are plain C built with -fPIC -shared, not rewritten. A reload      *|
|* opens a private copy of the new build next to the old ones and overwrites  *|
|* the first bytes of every function of every earlier version with a jump to *|
|* the new function of the same name. Nothing is ever unloaded: the old       *|
|* entries hold the jumps, so memory grows with every reload.                 *|
|*                                                                            *|
|* x86-64 Linux (ELF) only. Not thread-safe: load and reload from one thread; *|
|* other threads may keep calling module code while a reload patches it.      *|
\*===----------------------------------------------------------------------===*/

#ifndef HCR_EXPERIMENTS_ENTRY_PATCH_H
#define HCR_EXPERIMENTS_ENTRY_PATCH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Result of a fallible call; ep_last_error() says more. */
typedef enum ep_status {
  EP_OK = 0,
  EP_ERROR_INVALID_ARGUMENT = 1, /**< NULL or empty argument. */
  EP_ERROR_IO = 2,       /**< The module file cannot be read or copied. */
  EP_ERROR_ELF = 3,      /**< Not an x86-64 ELF shared object we can read. */
  EP_ERROR_DLOPEN = 4,   /**< dlopen refused the copy (e.g. unresolved). */
  EP_ERROR_PROTECT = 5,  /**< mprotect refused RWX: nothing was patched. */
  EP_ERROR_RESOURCE = 6, /**< Out of memory. */
  EP_ERROR_PROTECT_RESTORE = 7 /**< Reload done, but some pages stay RWX. */
} ep_status;

/** Options of ep_load, kept for every reload of the module. */
enum ep_flags {
  /** Also write into the alignment padding after a function that is smaller
   *  than the jump, when the full symbol table (.symtab) proves that no other
   *  function starts there (jet-live relies on 16-byte function alignment in
   *  the same way, without checking). Off: such functions are refused. */
  EP_USE_PADDING = 1u << 0,
  /** Always write the 14-byte absolute jump, even when E9 rel32 reaches: for
   *  testing that path, which ordinary address layouts never take. */
  EP_FORCE_ABS64 = 1u << 1
};

/** What the latest ep_load or ep_reload of a module did. Times in ms.
 *  Counters are per patched entry: one function of one earlier version. */
typedef struct ep_reload_stats {
  unsigned version;       /**< 1 after ep_load, 2 after the first reload... */
  double copy_ms;         /**< Copying the build to a private file. */
  double symbols_ms;      /**< Reading its ELF symbol table. */
  double dlopen_ms;       /**< dlopen of the copy (relocation, constructors). */
  double patch_ms;        /**< Matching, mprotect RWX, writing, back to RX. */
  unsigned functions;     /**< Functions (STT_FUNC with a size) in the build. */
  unsigned from_symtab;   /**< 1: .symtab (statics too), 0: .dynsym only. */
  unsigned patched;       /**< Entries overwritten with a jump. */
  unsigned atomic;        /**< ... by one aligned 8-byte store (E9 rel32). */
  unsigned split_rel32;   /**< ... E9 rel32 across an 8-byte word: torn. */
  unsigned abs64;         /**< ... FF 25 + abs64, 14 bytes: not atomic. */
  unsigned into_padding;  /**< ... using padding (EP_USE_PADDING). */
  unsigned refused_small; /**< Entries smaller than the jump: left alone. */
  unsigned ambiguous;     /**< Names defined twice in one version: skipped. */
  unsigned new_functions; /**< Functions no earlier version has. */
  unsigned pages_made_writable; /**< Pages switched to RWX and back. */
} ep_reload_stats;

typedef struct ep_module ep_module;

/** Opens a private copy of the shared object at path with
 *  RTLD_NOW | RTLD_GLOBAL (its globals become the storage every later version
 *  binds to). flags: ep_flags. On success *out owns the module until
 *  ep_shutdown; the copy's mapping is never unmapped. */
int ep_load(const char *path, unsigned flags, ep_module **out);

/** Loads new_path as the next version of m and redirects the entries of every
 *  earlier version to it. On failure nothing was patched and m is unchanged
 *  (except EP_ERROR_PROTECT_RESTORE: the reload is complete). */
int ep_reload(ep_module *m, const char *new_path);

/** dlsym in the first version: the address a program keeps, which after a
 *  reload jumps to the newest code. NULL if absent. */
void *ep_symbol(ep_module *m, const char *name);

/** The dlopen handle of version v (1 = first); NULL if out of range. */
void *ep_version_handle(ep_module *m, unsigned v);

unsigned ep_versions(const ep_module *m);

/** Stats of the latest ep_load / ep_reload of m. */
void ep_last_stats(const ep_module *m, ep_reload_stats *out);

/** The latest failure on this thread; never NULL. */
const char *ep_last_error(void);

/** Frees every module's bookkeeping and removes the private directory. Does
 *  not dlclose: code may still run, and old entries jump into newer copies. */
void ep_shutdown(void);

#ifdef __cplusplus
}
#endif

#endif /* HCR_EXPERIMENTS_ENTRY_PATCH_H */
