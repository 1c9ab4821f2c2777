//===- KeptData.h - An unloaded copy's data, kept where it was --*- C++ -*-===//
//
// The program's state may point into a module copy's own data: a kept
// global set to a string literal (`struct world world = {.name = "earth"}`,
// `mode = "idle"`) holds an address in the copy's read-only data. Unloading
// the copy would leave that pointer dangling. So the runtime unloads a copy
// through dlcloseKeepingData: its code goes (and with it the copy, out of a
// debugger's sight), its data pages stay, with their contents, at the same
// addresses, for the life of the process.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_KEPTDATA_H
#define HCR_LIB_RUNTIME_KEPTDATA_H

#include <cstddef>

namespace hcr {

/// dlclose(Handle), keeping the object's non-executable segments mapped,
/// as they were, where they were. Returns the bytes kept; a range that
/// something else took meanwhile is left (its data is lost, as before).
size_t dlcloseKeepingData(void *Handle);

} // namespace hcr

#endif // HCR_LIB_RUNTIME_KEPTDATA_H
