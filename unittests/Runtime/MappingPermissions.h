//===- MappingPermissions.h - What /proc/self/maps says of an address -----===//
//
// The jump tables' tests (product and experiment variants) check that code
// is never writable where it runs and slots are never executable.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_UNITTESTS_RUNTIME_MAPPINGPERMISSIONS_H
#define HCR_UNITTESTS_RUNTIME_MAPPINGPERMISSIONS_H

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

namespace hcr::test {

/// The permissions of the mapping holding Addr, e.g. "r-xp" ("" if none).
inline std::string permissionsOf(const void *Addr) {
  std::ifstream Maps("/proc/self/maps");
  std::string Line;
  auto A = reinterpret_cast<uintptr_t>(Addr);
  while (std::getline(Maps, Line)) {
    unsigned long Lo, Hi;
    char Perms[5];
    if (std::sscanf(Line.c_str(), "%lx-%lx %4s", &Lo, &Hi, Perms) == 3 &&
        A >= Lo && A < Hi)
      return Perms;
  }
  return "";
}

} // namespace hcr::test

#endif // HCR_UNITTESTS_RUNTIME_MAPPINGPERMISSIONS_H
