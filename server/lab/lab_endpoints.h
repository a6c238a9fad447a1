#pragma once
// The lab's own endpoints under /_streamlab/ (not AWS APIs; checkers and the dashboard use them):
//   GET  /_streamlab/health  version, services, uptime
//   POST /_streamlab/reset   wipe one account (?account=123456789012) or everything
//   GET  /_streamlab/state   read-only summary of every service's resources, and every account's
//                            course progress under "progress"
//   GET/POST /_streamlab/progress   the caller's course progress (progress_book.h)
//   GET  /_streamlab/stream-test?bytes=N&chunk=M   a streamed body, to test the HTTP layer
#include <memory>
#include <vector>

#include "server/core/action.h"
#include "server/lab/progress_book.h"

namespace streamlab::lab {

class LabEndpoints {
 public:
  // Without a store there is no /_streamlab/progress (404).
  LabEndpoints(std::vector<ServiceDef*> services, const Clock& clock, storage::Store* store = nullptr);
  Response handle(const Request& request) const;

 private:
  std::vector<ServiceDef*> services_;
  const Clock& clock_;
  int64_t started_ms_;
  std::unique_ptr<ProgressBook> progress_;
};

}  // namespace streamlab::lab
