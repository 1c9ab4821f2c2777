/*===- hcr/hcr.h - Hot code reloading runtime, C API ------------*- C -*-===*\
|*                                                                            *|
|* The C interface of libhcr. Rewritten modules call it to register their     *|
|* procs and globals; the host calls it to start the runtime and to reload.   *|
|*                                                                            *|
|* Built for reloading (HCR_ENABLED defined, as hcr-build and hcr-rewrite do) *|
|* these are calls into libhcr.so. Otherwise they are inline fallbacks that   *|
|* behave like an ordinary program which never reloads, so code that uses    *|
|* them compiles and runs unchanged without HCR.                              *|
|*                                                                            *|
|* Strings passed in are copied; strings returned are owned by the runtime.   *|
|* Every function may be called from any thread. See docs/ModuleABI.md.       *|
\*===----------------------------------------------------------------------===*/

#ifndef HCR_HCR_H
#define HCR_HCR_H

/* No #include: hcr-rewrite puts this header ahead of a module's own text,
 * so anything it brought in would be defined before the module's code runs
 * into it. Old C that does `typedef int bool;`, or defines its own NULL or
 * offsetof, would compile as written and fail once rewritten
 * (test/runtime/header-includes.c). Hence _Bool and __SIZE_TYPE__, which
 * C compilers know without a header. */
#ifdef __cplusplus
#define HCR_BOOL bool
extern "C" {
#else
#define HCR_BOOL _Bool
#endif

/*===-- Status codes
 * -------------------------------------------------------===*/

/** Result of a fallible call. hcr_last_status() and hcr_last_error() give
 *  the latest failure on the calling thread. */
typedef enum hcr_status {
  HCR_OK = 0,
  HCR_ERROR_INVALID_ARGUMENT = 1, /**< NULL, empty or malformed argument. */
  HCR_ERROR_NOT_INITIALIZED = 2,  /**< hcr_init has not run. */
  HCR_ERROR_ALREADY_INITIALIZED = 3,
  HCR_ERROR_MODULE_LOAD = 4, /**< Missing or corrupt file, dlopen error. */
  HCR_ERROR_MODULE_ABI = 5,  /**< Missing entry point, wrong ABI version. */
  HCR_ERROR_SYMBOL_CONFLICT =
      6, /**< Size/alignment change, double registration. */
  HCR_ERROR_UNRESOLVED_SYMBOL = 7, /**< A lookup that no module registers. */
  HCR_ERROR_RESOURCE = 8,          /**< Out of memory, mmap or file error. */
  HCR_ERROR_BUSY = 9, /**< A reload is already running on this thread. */
  /** New code crashed (SIGSEGV, SIGBUS, SIGILL, SIGFPE or abort) and the
   *  reload that brought it in was rolled back. */
  HCR_ERROR_CRASHED = 10
} hcr_status;

/** When a reload handler runs. */
typedef enum hcr_handler_kind {
  HCR_BEFORE_RELOAD = 0, /**< Old code, before any module is replaced. */
  HCR_AFTER_RELOAD = 1   /**< New code, after every module is initialized. */
} hcr_handler_kind;

typedef void (*hcr_handler_fn)(void);

/** A module's own migration of one of its globals whose type changed
 *  (HCR_MIGRATE): now is the global's storage, holding the new code's
 *  initializer; before is a copy of the old value, of before_size bytes
 *  and layout before_layout (docs/ModuleABI.md, "Layouts"). */
typedef void (*hcr_migrate_fn)(void *now, const void *before,
                               const char *before_layout,
                               __SIZE_TYPE__ before_size);

/** Where the time of the latest reload (or of hcr_init) went, for
 *  measurements (docs/experiments.md). Times in milliseconds. Fields are
 *  only ever added at the end: hcr_last_reload_stats takes the caller's
 *  sizeof, so a program built against an older, smaller struct gets its
 *  prefix. */
typedef struct hcr_reload_stats {
  unsigned long generation;
  unsigned modules_in_tree; /**< Modules after the reload, the host included. */
  unsigned modules_loaded;  /**< New copies opened. */
  unsigned procs_registered, globals_registered;
  double copy_ms;     /**< Copying changed modules to private files. */
  double dlopen_ms;   /**< Opening them (relocation, constructors). */
  double discover_ms; /**< Walking the import tree, copy and dlopen included. */
  double handlers_ms; /**< Before- and after-reload handlers. */
  double register_ms; /**< Phases 1 and 2 of the new code. */
  double commit_ms;   /**< Retargeting, dropping, swapping code. */
  double init_ms;     /**< Phase 3 of the new code. */
  double cleanup_ms;  /**< Stack scans, unloading code replaced earlier. */
  double total_ms;
  /** Copies of replaced code still loaded after the reload because a
   *  thread runs in them or will return into them. */
  unsigned versions_still_running;
  unsigned threads_scanned; /**< Threads whose stacks the last scan read. */
} hcr_reload_stats;

/*===-- Module ABI
 * ---------------------------------------------------------===*/

/** Version of the entry points below; a module built for another version is
 *  refused at load. */
#define HCR_MODULE_ABI_VERSION 2

/** The entry points of one module (docs/ModuleABI.md), the one place their
 *  names are spelled: X(name, return type, description). A reloadable module
 *  exports each as a function HCR_MODULE_PREFIX "<name>"; the host, which is
 *  not a shared object, defines them as HCR_HOST_PREFIX "<name>" and passes
 *  them to hcr_init in hcr_module_entry_points, whose fields are the names.
 *  The runtime calls them in this order. */
#define HCR_MODULE_ENTRY_POINTS(X)                                             \
  X(imports, const char *const *,                                              \
    "NULL-terminated list of the modules whose symbols this one uses")         \
  X(signature, const char *, "opaque build identity of the module")            \
  X(register_symbols, void,                                                    \
    "phase 1: hcr_register_proc, hcr_register_global, handlers")               \
  X(link, void, "phase 2: hcr_get_proc, hcr_get_global of imported symbols")   \
  X(init, void, "phase 3: initializers of globals that are new")

/** Prefix of a module's exported entry points. */
#define HCR_MODULE_PREFIX "hcr_module_"
/** Prefix of the host's (hidden) entry points. */
#define HCR_HOST_PREFIX "hcr_host_"
/** A module's export returning the HCR_MODULE_ABI_VERSION it was built for. */
#define HCR_MODULE_ABI_VERSION_SYMBOL "hcr_module_abi_version"

typedef struct hcr_module_entry_points {
#define HCR_ENTRY_POINT_FIELD_(name, type, what) type (*name)(void);
  HCR_MODULE_ENTRY_POINTS(HCR_ENTRY_POINT_FIELD_)
#undef HCR_ENTRY_POINT_FIELD_
} hcr_module_entry_points;

/** Marks an entry point of the module ABI as exported from a module. */
#define HCR_MODULE_EXPORT __attribute__((visibility("default")))

/** Marks the host's entry points: global for tools (hcr-verify), never
 *  exported from the executable. */
#define HCR_HOST_ENTRY __attribute__((visibility("hidden")))

/** Brackets what hcr-rewrite appends to a module (the entry points and
 *  their data): clang gives it no debug information, so that a debugger
 *  lists the program's own functions and variables only. */
#if defined(__clang__)
/* One string literal: _Pragma joins none, so clang-format may not split it. */
/* clang-format off */
#define HCR_GENERATED_BEGIN                                                    \
  _Pragma("clang attribute push(__attribute__((nodebug)), apply_to = any(hasType(functionType), variable(unless(is_parameter))))")
/* clang-format on */
#define HCR_GENERATED_END _Pragma("clang attribute pop")
#else
#define HCR_GENERATED_BEGIN
#define HCR_GENERATED_END
#endif

/*===-- Annotations for source code
 * ----------------------------------------===*/

#if defined(__clang__)
#define HCR_ANNOTATE_(what) __attribute__((annotate(what)))
#else
#define HCR_ANNOTATE_(what)
#endif

/** Marks the pointer variables hcr-rewrite declares: a translation unit
 *  need not use every one its headers declare. */
#define HCR_SLOT __attribute__((unused))

/** A function hcr-rewrite leaves alone: called directly, never reloaded. */
#define HCR_NON_RELOADABLE HCR_ANNOTATE_("hcr_non_reloadable")

/** Defines a handler run before each reload, e.g.
 *    HCR_BEFORE_RELOAD(save_state) { ... }
 *  hcr-rewrite registers it with the module; without HCR it is never called. */
#define HCR_BEFORE_RELOAD(fn)                                                  \
  static void fn(void) HCR_ANNOTATE_("hcr_before_reload")                      \
      __attribute__((used));                                                   \
  static void fn(void)

/** Defines a handler run after each reload (see HCR_BEFORE_RELOAD). */
#define HCR_AFTER_RELOAD(fn)                                                   \
  static void fn(void) HCR_ANNOTATE_("hcr_after_reload")                       \
      __attribute__((used));                                                   \
  static void fn(void)

/** Defines a module's own migration of its global `global`, run instead of
 *  hcr's rules when a reload changes the global's type, e.g.
 *    HCR_MIGRATE(pair)(void *now, const void *before, const char *layout,
 *                      size_t size) {
 *      const struct { int a, b; } *old = before;  // the old type
 *      struct Pair *p = now;                       // the new one
 *      p->sum = old->a + old->b;
 *    }
 *  hcr-rewrite registers it (hcr_set_global_migrator); without HCR it is
 *  never called; size_t needs <stddef.h>, as this header includes nothing.
 *  docs/Runtime.md, "Layout migration". */
#define HCR_MIGRATE(global)                                                    \
  static void hcr_migrate_##global(void *, const void *, const char *,         \
                                   __SIZE_TYPE__)                              \
      HCR_ANNOTATE_("hcr_migrate:" #global) __attribute__((used));             \
  static void hcr_migrate_##global

/*===-- The API
 * ------------------------------------------------------------===*/

#if defined(HCR_ENABLED) && HCR_ENABLED

/** Marks the runtime's functions, exported from libhcr.so. */
#define HCR_API __attribute__((visibility("default")))

/** Starts the runtime: loads every module the host imports (transitively)
 *  from module_dir (NULL: the executable's directory; the environment
 *  variable HCR_MODULE_DIR overrides both), registers and initializes them.
 *  host_module names the host; host gives its entry points. */
HCR_API hcr_status hcr_init(const char *host_module,
                            const hcr_module_entry_points *host,
                            const char *module_dir);

/** The main() of a rewritten host: starts the runtime with the host's entry
 *  points and runs the program's own main (main_fn). If the runtime cannot
 *  start, reports why on stderr and returns 127. */
HCR_API int hcr_run_host(const char *host_module,
                         const hcr_module_entry_points *host,
                         int (*main_fn)(int, char **, char **), int argc,
                         char **argv, char **envp);

/** Starts the runtime for a rewritten host before its main runs: the
 *  rewrite calls it from a constructor, so that main stays the program's
 *  own (a debugger's `break main` and backtraces are as without hcr).
 *  hcr_init(host_module, host, NULL); if the runtime cannot start, reports
 *  why on stderr and exits with status 127. */
HCR_API void hcr_start_host(const char *host_module,
                            const hcr_module_entry_points *host);

/** For a debugger's user: prints to stderr each module with the reload that
 *  loaded its code and the file of that copy (as gdb's `info
 *  sharedlibrary` and lldb's `image list` name it), then the replaced
 *  copies still loaded. `call hcr_debug_print_modules()` in gdb,
 *  `expr hcr_debug_print_modules()` in lldb. Takes no lock a stopped
 *  reload holds: says so instead. */
HCR_API void hcr_debug_print_modules(void);

/** Unloads every module and frees all globals. Trampolines handed out stay
 *  mapped and lead to the bad-call stub. Runs no handler. */
HCR_API void hcr_shutdown(void);

/** Returns the permanent address (a trampoline) of (module, name) and points
 *  it at fn. Registering again retargets the same trampoline. NULL on error. */
HCR_API void *hcr_register_proc(const char *module, const char *name, void *fn);

/** The trampoline of a registered proc, or NULL if none is registered. */
HCR_API void *hcr_get_proc(const char *module, const char *name);

/** Slot patching (hcr-rewrite --slot-patching): only during a module's
 *  phase 2 (link). Stores the proc's
 *  code address itself, not its trampoline, in *slot and records the slot:
 *  every reload that replaces the proc rewrites it (one atomic store), so
 *  calls through it pay one indirect call and no jump. Only for procs whose
 *  address the module never takes: the value changes on reload. Returns the
 *  stored address, or NULL (with hcr_last_error()) as hcr_get_proc. */
HCR_API void *hcr_bind_proc(const char *module, const char *name, void **slot);

/** Points *slot at the storage of a global. On first registration the storage
 *  is allocated zeroed and true is returned: the caller runs the initializer.
 *  Otherwise *slot gets the existing storage and false is returned. A size or
 *  alignment other than the first registration's is an error: *slot then
 *  gets scratch storage, false is returned and hcr_last_error() says why (in
 *  a reload, the reload fails and is rolled back). */
HCR_API HCR_BOOL hcr_register_global(const char *module, const char *name,
                                     __SIZE_TYPE__ size, __SIZE_TYPE__ align,
                                     void **slot);

/** hcr_register_global, with the layout of the global's type as hcr-rewrite
 *  writes it (docs/ModuleABI.md, "Layouts"). A global registered again with
 *  another layout is migrated by field name as part of the reload: true is
 *  returned, as for a new global, the module writes its initializer into
 *  the (zeroed) storage, and after the module's phase 3 the runtime copies
 *  the kept fields over it, converted where their arithmetic type changed.
 *  A change that cannot be migrated fails the reload, naming the field and
 *  both types. The storage stays where it is while the new layout fits it.
 *  A NULL layout: as hcr_register_global. */
HCR_API HCR_BOOL hcr_register_global_layout(const char *module,
                                            const char *name,
                                            __SIZE_TYPE__ size,
                                            __SIZE_TYPE__ align,
                                            const char *layout, void **slot);

/** The storage of a registered global, or NULL. */
HCR_API void *hcr_get_global(const char *module, const char *name);

/** Adds a handler to a module; a module's handlers are cleared whenever its
 *  code is replaced, and its new code registers them again. */
HCR_API hcr_status hcr_add_reload_handler(const char *module,
                                          hcr_handler_kind kind,
                                          hcr_handler_fn fn);

/** Gives a registered global a visitor: a function that a collector of the
 *  program calls to trace the references the global holds (Nim's refc GC
 *  markers). Called in a module's phase 1 after registering the global; the
 *  visitor belongs to the module's code: when that code is replaced, the
 *  new code's visitor (or none) takes its place, and it goes with the
 *  global. */
HCR_API hcr_status hcr_set_global_visitor(const char *module, const char *name,
                                          hcr_handler_fn visitor);

/** Gives a global of the module a migration function (HCR_MIGRATE), called
 *  in the module's phase 1 before the global is registered. When that
 *  registration finds the global kept with another layout, the reload
 *  calls fn instead of migrating by hcr's rules (which may refuse), once
 *  the module's initializers wrote the new value; a crash in fn fails the
 *  reload, which is rolled back. Unused when the layout is the same. */
HCR_API hcr_status hcr_set_global_migrator(const char *module, const char *name,
                                           hcr_migrate_fn fn);

/** Called in a module's phase 1: the copies of the module that reloads
 *  replace stay loaded until shutdown, not only while frames run in them,
 *  for state that points into a copy's constant data (Nim's ORC string
 *  literals; a C global set to a string literal). */
HCR_API hcr_status hcr_retain_replaced_code(const char *module);

/** Calls the visitor of every global that has one. A collector registers
 *  this one function, which stays valid whatever modules come and go. */
HCR_API void hcr_visit_globals(void);

/** True if any module's file changed since it was loaded (a build that
 *  already failed to load is not reported again). */
HCR_API HCR_BOOL hcr_reload_needed(void);

/** True if the file of a loaded module changed since it was loaded. */
HCR_API HCR_BOOL hcr_has_module_changed(const char *module);

/** Reloads every changed module, all or nothing. On failure the old code
 *  keeps running with all its state and the status says why; a crash of the
 *  new code while the reload runs it (initializers, after-reload handlers)
 *  is such a failure: HCR_ERROR_CRASHED, with every global as it was before
 *  the reload. It may be called from anywhere, a module being replaced
 *  included: frames running in replaced code finish there (it stays loaded
 *  while any thread runs in it), new calls reach the new code. */
HCR_API hcr_status hcr_perform_reload(void);

/** Runs fn(arg). If fn crashes in code that the latest reload brought in,
 *  that reload is rolled back (the code before it, and every global as it
 *  was just before it), the crashed build is not loaded again until its file
 *  changes, and HCR_ERROR_CRASHED is returned (hcr_last_error() names the
 *  signal, module and function). A crash anywhere else is not caught: the
 *  program dies as it would have. The crashed call's frames are abandoned:
 *  nothing it held (locks, memory) is released. HCR_OK if fn returned. */
HCR_API hcr_status hcr_run_guarded(void (*fn)(void *arg), void *arg);

/** Copies the timings of the latest successful reload or start into *out,
 *  at most size bytes (pass sizeof(hcr_reload_stats)): a caller built
 *  against an older, smaller struct gets the fields it knows and nothing
 *  past them is written. HCR_ERROR_INVALID_ARGUMENT if out is NULL. */
HCR_API hcr_status hcr_last_reload_stats(hcr_reload_stats *out,
                                         __SIZE_TYPE__ size);

/** Number of completed reloads (0 after hcr_init). */
HCR_API unsigned long hcr_generation(void);

/** The latest error on this thread ("" if none); valid until the next call
 *  that fails on this thread. */
HCR_API const char *hcr_last_error(void);

/** The status of the latest failure on this thread (HCR_OK if none), the
 *  one hcr_last_error() explains: for calls that return a pointer or a bool,
 *  such as hcr_register_global, it tells a conflict
 *  (HCR_ERROR_SYMBOL_CONFLICT) from a bad argument or a lack of memory. */
HCR_API hcr_status hcr_last_status(void);

#else /* Not built for reloading: an ordinary program. */

/* No header more than the reloadable build includes: a program that only
 * compiled because <hcr/hcr.h> brought <string.h> would not compile for
 * reloading (test/runtime/header-includes.c). */

static inline hcr_status hcr_init(const char *host_module,
                                  const hcr_module_entry_points *host,
                                  const char *module_dir) {
  (void)host_module, (void)host, (void)module_dir;
  return HCR_OK;
}
static inline int hcr_run_host(const char *host_module,
                               const hcr_module_entry_points *host,
                               int (*main_fn)(int, char **, char **), int argc,
                               char **argv, char **envp) {
  (void)host_module, (void)host;
  return main_fn(argc, argv, envp);
}
static inline void hcr_start_host(const char *host_module,
                                  const hcr_module_entry_points *host) {
  (void)host_module, (void)host;
}
static inline void hcr_debug_print_modules(void) {}
static inline void hcr_shutdown(void) {}
static inline void *hcr_register_proc(const char *module, const char *name,
                                      void *fn) {
  (void)module, (void)name;
  return fn;
}
static inline void *hcr_get_proc(const char *module, const char *name) {
  (void)module, (void)name;
  return 0;
}
static inline void *hcr_bind_proc(const char *module, const char *name,
                                  void **slot) {
  (void)module, (void)name, (void)slot;
  return 0;
}
static inline HCR_BOOL hcr_register_global(const char *module, const char *name,
                                           __SIZE_TYPE__ size,
                                           __SIZE_TYPE__ align, void **slot) {
  (void)module, (void)name, (void)align;
  *slot = __builtin_calloc(1, size ? size : 1);
  return 1;
}
static inline HCR_BOOL
hcr_register_global_layout(const char *module, const char *name,
                           __SIZE_TYPE__ size, __SIZE_TYPE__ align,
                           const char *layout, void **slot) {
  (void)layout;
  return hcr_register_global(module, name, size, align, slot);
}
static inline void *hcr_get_global(const char *module, const char *name) {
  (void)module, (void)name;
  return 0;
}
static inline hcr_status hcr_add_reload_handler(const char *module,
                                                hcr_handler_kind kind,
                                                hcr_handler_fn fn) {
  (void)module, (void)kind, (void)fn;
  return HCR_OK;
}
static inline hcr_status hcr_set_global_migrator(const char *module,
                                                 const char *name,
                                                 hcr_migrate_fn fn) {
  (void)module, (void)name, (void)fn;
  return HCR_OK;
}
static inline hcr_status hcr_set_global_visitor(const char *module,
                                                const char *name,
                                                hcr_handler_fn visitor) {
  (void)module, (void)name, (void)visitor;
  return HCR_OK;
}
static inline void hcr_visit_globals(void) {}
static inline hcr_status hcr_retain_replaced_code(const char *module) {
  (void)module;
  return HCR_OK;
}
static inline HCR_BOOL hcr_reload_needed(void) { return 0; }
static inline HCR_BOOL hcr_has_module_changed(const char *module) {
  (void)module;
  return 0;
}
static inline hcr_status hcr_perform_reload(void) { return HCR_OK; }
static inline hcr_status hcr_run_guarded(void (*fn)(void *arg), void *arg) {
  fn(arg);
  return HCR_OK;
}
static inline unsigned long hcr_generation(void) { return 0; }
static inline hcr_status hcr_last_reload_stats(hcr_reload_stats *out,
                                               __SIZE_TYPE__ size) {
  if (!out)
    return HCR_ERROR_INVALID_ARGUMENT;
  __builtin_memset(out, 0, size < sizeof(*out) ? size : sizeof(*out));
  return HCR_OK;
}
static inline const char *hcr_last_error(void) { return ""; }
static inline hcr_status hcr_last_status(void) { return HCR_OK; }

#endif /* HCR_ENABLED */

#ifdef __cplusplus
}
#endif

#endif /* HCR_HCR_H */
