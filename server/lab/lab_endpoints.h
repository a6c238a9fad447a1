#pragma once
// The lab's own endpoints under /_streamlab/ (not AWS APIs; checkers and the dashboard use them):
//   GET  /_streamlab/health  version, services, uptime
//   POST /_streamlab/reset   wipe one account (?account=123456789012) or everything
//   GET  /_streamlab/state   read-only summary of every service's resources
//   GET  /_streamlab/stream-test?bytes=N&chunk=M   a streamed body, to test the HTTP layer
#include <vector>

#include "server/core/action.h"

namespace streamlab::lab {

class LabEndpoints {
 public:
  LabEndpoints(std::vector<ServiceDef*> services, const Clock& clock);
  Response handle(const Request& request) const;

 private:
  std::vector<ServiceDef*> services_;
  const Clock& clock_;
  int64_t started_ms_;
};

}  // namespace streamlab::lab
