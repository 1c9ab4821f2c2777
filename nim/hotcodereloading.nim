## hcr's `hotcodereloading`: Nim's standard API for hot code reloading,
## over libhcr, for programs built by hcr-build (docs/Nim.md). hcr-build
## puts this directory before Nim's own library on nim's path, so a
## program that imports `hotcodereloading` gets this module with no flag.
##
## Semantics as in Nim's own hot code reloading: handlers of a module run
## around every reload, leaves of the import tree first; the new code's
## handlers replace the old code's; `performCodeReload` does nothing when
## no module changed.

import std/macros

proc hcrReloadNeeded(): bool {.importc: "hcr_reload_needed",
                                header: "<hcr/hcr.h>".}
proc hcrPerformReload(): cint {.importc: "hcr_perform_reload",
                                 header: "<hcr/hcr.h>".}
proc hcrHasModuleChanged(module: cstring): bool {.
  importc: "hcr_has_module_changed", header: "<hcr/hcr.h>".}
proc hcrLastError(): cstring {.importc: "hcr_last_error",
                               header: "<hcr/hcr.h>".}

proc hcrKeepHandler*(handler: proc () {.nimcall.}) {.inline.} =
  ## Refers to a handler from top-level code, so that Nim emits it; the
  ## rewrite registers it with the module (its C carries an annotation).
  discard

template beforeCodeReload*(body: untyped) =
  ## Runs `body` before each reload, while the old code is loaded.
  proc hcrBeforeReload() {.gensym, nimcall, codegenDecl:
      "__attribute__((annotate(\"hcr_before_reload\"))) $# $#$#".} =
    body
  hcrKeepHandler(hcrBeforeReload)

template afterCodeReload*(body: untyped) =
  ## Runs `body` after each reload, with the new code.
  proc hcrAfterReload() {.gensym, nimcall, codegenDecl:
      "__attribute__((annotate(\"hcr_after_reload\"))) $# $#$#".} =
    body
  hcrKeepHandler(hcrAfterReload)

proc hasAnyModuleChanged*(): bool =
  ## Whether the file of any module of the program changed since it was
  ## loaded.
  hcrReloadNeeded()

macro hasModuleChanged*(module: typed): untyped =
  ## Whether the file of `module` changed since it was loaded. hcr names a
  ## module after its C file in the nimcache, `@m<name>.nim` for a module
  ## in the main module's directory: one in another directory is not found
  ## (false).
  if module.kind != nnkSym or module.symKind != nskModule:
    error("hasModuleChanged expects a module symbol", module)
  result = newCall(bindSym"hcrHasModuleChanged",
                   newLit("@m" & $module & ".nim"))

proc performCodeReload*() =
  ## Reloads every changed module, all or nothing; nothing (no handler runs)
  ## when none changed. A reload that fails leaves the old code running and
  ## says why on stderr.
  if not hcrReloadNeeded():
    return
  if hcrPerformReload() != 0:
    # The message says the reload failed and the old code keeps running.
    stderr.writeLine "hcr: ", $hcrLastError()
