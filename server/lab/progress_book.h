#pragma once
// Course progress kept by the server, per account (the caller's SigV4 access key, as for every AWS
// call), for the learner CLI (`streamlab quiz|check|progress`) and, later, a classroom view:
//   GET  /_streamlab/progress   this account's progress: {"account", "version": 1, "modules": {...}}
//   POST /_streamlab/progress   {"module": "M7", "quiz": {"score": 2, "of": 3}}
//                            or {"module": "M7", "check": {"passed": true, "endpoint": "http://..."}}
//                               records one result (best quiz score and "passed once" are kept)
//                               and answers like GET.
// Stored durably in the meta family (keys.h); /_streamlab/state shows every account's.
#include <mutex>

#include "server/core/action.h"
#include "server/storage/store.h"

namespace streamlab::lab {

class ProgressBook {
 public:
  ProgressBook(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  Response handle(const Request& request);
  // {account: {"modules": {...}}} for every account with any progress.
  json all() const;

 private:
  json account_progress(const std::string& account) const;
  Response record(const std::string& account, const Request& request);

  storage::Store& store_;
  const Clock& clock_;
  std::mutex mu_;  // one read-modify-write at a time, so concurrent results are not lost
};

}  // namespace streamlab::lab
