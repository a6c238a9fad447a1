#pragma once
// Where the CLI keeps progress: on the streamlab server it talks to (per account, GET/POST
// /_streamlab/progress), or, when the endpoint is real AWS (or none is given), in a local file:
// $STREAMLAB_PROGRESS_FILE, else $XDG_DATA_HOME/streamlab/progress.json, else
// ~/.local/share/streamlab/progress.json.
#include <memory>
#include <string>

#include "server/core/result.h"
#include "server/course/http_call.h"
#include "server/course/progress.h"

namespace streamlab::course {

class ProgressStore {
 public:
  virtual ~ProgressStore() = default;
  virtual Result<Progress> load() = 0;
  virtual Status record_quiz(const std::string& module, int score, int of) = 0;
  virtual Status record_check(const std::string& module, bool passed, const std::string& endpoint) = 0;
  virtual std::string where() const = 0;  // shown to the learner
};

std::string local_progress_file();
std::unique_ptr<ProgressStore> local_store(std::string file);
std::unique_ptr<ProgressStore> server_store(Endpoint endpoint, Credentials creds);

}  // namespace streamlab::course
