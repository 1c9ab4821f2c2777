//===- LayoutMigration.h - A kept global's bytes under a new layout -*- C++
//-*-===//
//
// When a module registers a kept global with a layout other than the one
// its storage holds (hcr_register_global_layout; the layout grammar is in
// docs/ModuleABI.md and lib/Rewrite/GlobalLayout.h), the runtime plans how
// the old bytes become the new ones, by field name:
//   - a field kept by name keeps its value, converted by C's rules when its
//     arithmetic type changed (integers, floating, bool, any width; bit-fields
//     included); an array keeps its common prefix; nested structs and arrays
//     of structs migrate field by field;
//   - a field the new layout adds keeps what the new initializer wrote;
//   - a removed field is dropped;
//   - anything else (a scalar becoming a pointer or a struct, a union whose
//     members changed, a pointer whose pointee's layout changed, opaque
//     bytes that changed) cannot be migrated: the plan fails and says which
//     field and both types.
// The plan is a list of copies and conversions, applied once the new code
// has written the global's initializer.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_LAYOUTMIGRATION_H
#define HCR_LIB_RUNTIME_LAYOUTMIGRATION_H

#include <cstdint>
#include <string>
#include <vector>

namespace hcr {

/// One step of a migration: bytes copied as they are, or one scalar
/// converted (Kind 'i', 'u', 'f' or 'b'; bit-fields by bit offset).
struct MigrationStep {
  /// Repeats, outermost first: an array's elements share one plan.
  struct Loop {
    uint64_t Count, FromStride, ToStride; ///< Strides in bytes.
  };
  std::vector<Loop> Loops;
  bool Convert = false;
  uint64_t From = 0, To = 0; ///< Byte offsets (bit offsets for bit-fields).
  uint64_t Size = 0;         ///< Bytes copied, when not converting.
  char FromKind = 0, ToKind = 0;
  uint64_t FromBytes = 0, ToBytes = 0;       ///< Scalar sizes.
  unsigned FromBitWidth = 0, ToBitWidth = 0; ///< 0: not a bit-field.
};

struct MigrationPlan {
  std::vector<MigrationStep> Steps;
  /// Fields kept, added and dropped, for the trace.
  unsigned Kept = 0, Added = 0, Dropped = 0;
};

/// Plans the migration of a value from layout Old to layout New. False with
/// Why ("field 'pos.x' was int32 and is now a pointer to void") if it
/// cannot be done, or if a layout does not parse.
bool planMigration(const std::string &Old, const std::string &New,
                   MigrationPlan &Plan, std::string &Why);

/// Applies Plan: reads the old bytes at From, writes into To (which already
/// holds the new initializer).
void applyMigration(const MigrationPlan &Plan, const void *From, void *To);

} // namespace hcr

#endif // HCR_LIB_RUNTIME_LAYOUTMIGRATION_H
