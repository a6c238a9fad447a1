#pragma once
// The learner CLI inside the streamlab binary: `streamlab modules | module M7 | path [NAME|M1,M2..]
// | quiz M7 | check M7 | progress`. Each command returns the process exit status: 0 done, 1 a
// result to act on (an invalid path, a failed check), 2 could not run (no such module, server not
// running, curriculum not found), with a one-line reason on stderr.
#include <iosfwd>
#include <optional>
#include <string>

namespace streamlab::course {

struct CliOptions {
  std::string endpoint_url;  // --endpoint-url; else STREAMLAB_ENDPOINT, else AWS_ENDPOINT_URL, else real AWS
  std::string region;        // --region, passed to the check
  std::string course_dir;    // --course-dir; else STREAMLAB_COURSE_DIR, else found beside the binary
  std::string module;        // module / quiz / check
  std::string path;          // path
  std::optional<std::string> answers;  // quiz --answers b,a,c
};

struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool interactive;  // stdin is a terminal: re-ask on an answer that is not a choice
};

int run_modules(const CliOptions& o, Io io);
int run_module(const CliOptions& o, Io io);
int run_path(const CliOptions& o, Io io);
int run_quiz(const CliOptions& o, Io io);
int run_check(const CliOptions& o, Io io);
int run_progress(const CliOptions& o, Io io);

// The curriculum folder: the given one, else $STREAMLAB_COURSE_DIR, else next to the binary's
// source tree (<exe dir>/../curriculum, <exe dir>/../share/streamlab/curriculum); empty if none.
std::string find_course_dir(const std::string& given);

}  // namespace streamlab::course
