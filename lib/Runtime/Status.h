//===- Status.h - A status code and its message -----------------*- C++ -*-===//
//
// The runtime's one failure type: an hcr_status with the text that explains
// it. Everything inside libhcr returns a Status (or takes none); the C API
// (CApi.cpp) adds the call's context once and keeps status and message per
// thread for hcr_last_status() and hcr_last_error(). A reload keeps the
// first Status of its transaction: later failures follow from it.
//
//===----------------------------------------------------------------------===//

#ifndef HCR_LIB_RUNTIME_STATUS_H
#define HCR_LIB_RUNTIME_STATUS_H

#include "hcr/hcr.h"

#include <string>
#include <utility>

namespace hcr {

class [[nodiscard]] Status {
public:
  /// Success.
  Status() = default;
  Status(hcr_status Code, std::string Message)
      : Code(Code), Message(std::move(Message)) {}
  static Status success() { return Status(); }

  bool ok() const { return Code == HCR_OK; }
  hcr_status code() const { return Code; }
  const std::string &message() const { return Message; }

  /// The same failure explained by Context first: "Context: Message".
  Status withContext(const std::string &Context) const {
    return ok() ? *this : Status(Code, Context + ": " + Message);
  }

private:
  hcr_status Code = HCR_OK;
  std::string Message;
};

} // namespace hcr

#endif // HCR_LIB_RUNTIME_STATUS_H
