#include "server/course/commands.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <variant>

#include <nlohmann/json.hpp>

#include "server/course/graph.h"
#include "server/course/http_call.h"
#include "server/course/progress.h"
#include "server/course/progress_store.h"

extern char** environ;

namespace streamlab::course {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kDefaultEndpoint = "http://localhost:4566";

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Everything a command needs: the graph, where the curriculum is, where progress is kept.
struct Session {
  Graph graph;
  std::string dir;
  std::string endpoint;  // empty: real AWS
  std::unique_ptr<ProgressStore> store;
  Progress progress;
};

bool is_streamlab(const Endpoint& e) {
  if (e.scheme != "http") return false;
  auto r = http_call(e, "GET", "/_streamlab/health", "", nullptr, 5000);
  if (!r || r->status != 200) return false;
  json j = json::parse(r->body, nullptr, false);
  return j.is_object() && j.contains("services") && j.contains("version");
}

// Opens the session, or prints why not (one line) and returns the exit status.
std::variant<Session, int> open(const CliOptions& o, Io& io) {
  Session s;
  s.dir = find_course_dir(o.course_dir);
  if (s.dir.empty()) {
    io.err << "cannot find the curriculum folder: set STREAMLAB_COURSE_DIR (or --course-dir) to the repository's "
              "curriculum/ folder\n";
    return 2;
  }
  auto g = load_graph(s.dir + "/graph.json");
  if (!g) {
    io.err << "cannot read the module graph: " << g.error().message << "\n";
    return 2;
  }
  s.graph = std::move(*g);
  s.endpoint = !o.endpoint_url.empty() ? o.endpoint_url
               : !env("STREAMLAB_ENDPOINT").empty() ? env("STREAMLAB_ENDPOINT")
                                                   : env("AWS_ENDPOINT_URL");
  if (s.endpoint.empty()) {
    s.store = local_store(local_progress_file());
  } else {
    auto e = parse_endpoint(s.endpoint);
    if (!e) {
      io.err << e.error().message << "\n";
      return 2;
    }
    s.endpoint = e->url;
    if (!reachable(*e, 3000)) {
      io.err << "streamlab is not running at " << e->url << ": start it with scripts/serve.sh (it serves on "
             << kDefaultEndpoint << "), or pass the right --endpoint-url.\n";
      return 2;
    }
    s.store = is_streamlab(*e) ? server_store(*e, find_credentials()) : local_store(local_progress_file());
  }
  auto p = s.store->load();
  if (!p) {
    io.err << "cannot read your progress from " << s.store->where() << ": " << p.error().message << "\n";
    return 2;
  }
  s.progress = std::move(*p);
  return s;
}

std::string pad(const std::string& s, size_t width) { return s.size() >= width ? s : s + std::string(width - s.size(), ' '); }
std::string rpad(const std::string& s, size_t width) { return s.size() >= width ? s : std::string(width - s.size(), ' ') + s; }

std::string relative(const std::string& file) {
  std::error_code ec;
  fs::path rel = fs::relative(file, fs::current_path(ec), ec);
  return ec || rel.empty() ? file : rel.string();
}

// How the learner runs a command against the endpoint in use.
std::string endpoint_flag(const Session& s) {
  return " --endpoint-url " + (s.endpoint.empty() ? std::string(kDefaultEndpoint) : s.endpoint);
}

bool done(const Session& s, const std::string& id) { return module_state(s.graph, s.progress, id).first; }

int modules(Session& s, Io& io) {
  const Graph& g = s.graph;
  io.out << g.title << ": " << g.modules.size() << " modules of " << g.minutes_per_module << " min ("
         << fmt_minutes(path_minutes(g, g.all_ids())) << " in all)\n\n";
  for (auto& gr : g.groups) {
    std::string head = gr.title.empty() ? "Under " + join(gr.requires_, ", ")
                       : gr.requires_.empty() ? gr.title + " (no prerequisites)"
                                              : gr.title + " (requires " + join(gr.requires_, ", ") + ")";
    io.out << head << "\n";
    for (auto& id : gr.modules) {
      const Module& m = *g.find(id);
      std::string extra = m.recommended.empty() ? "" : "  [recommended first: " + join(m.recommended, ", ") + "]";
      io.out << "  " << pad(id, 4) << " " << pad(m.title, 28) << " " << module_state(g, s.progress, id).second << extra
             << "\n";
    }
  }
  io.out << "\nProgress kept in: " << s.store->where() << "\n";
  io.out << "Next: `streamlab module M1` to start, `streamlab path` for the completion paths.\n";
  return 0;
}

int module(Session& s, const CliOptions& o, Io& io) {
  auto id = s.graph.normalize_id(o.module);
  if (!id) {
    io.err << "no module '" << o.module << "': use M1..M" << s.graph.modules.size() << "\n";
    return 2;
  }
  const Module& m = *s.graph.find(*id);
  std::vector<std::string> parts;
  for (auto& p : m.structure) parts.push_back(p.part + " " + std::to_string(p.minutes));
  io.out << *id << "  " << m.title << "  (" << m.minutes << " min: " << join(parts, ", ") << ")\nGoals:\n";
  for (auto& goal : m.goals) io.out << "  - " << goal << "\n";
  auto names = [&](const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    for (auto& r : ids)
      out.push_back(r + " " + s.graph.find(r)->title + " (" + (done(s, r) ? "done" : "not done") + ")");
    return out.empty() ? std::string("none") : join(out, ", ");
  };
  io.out << "Required before it: " << names(m.required) << "\n";
  if (!m.recommended.empty()) io.out << "Recommended before it: " << names(m.recommended) << "\n";
  io.out << "Status: " << module_state(s.graph, s.progress, *id).second << "\n";
  std::string readme = relative(s.dir + "/" + m.dir + "/README.md");
  if (m.planned()) {
    io.out << "\nThis module's hands-on is not available yet: " << m.status_note << ".\n";
    io.out << "Outline: " << m.outline_exercise << "\nRead: " << readme << "\n";
    return 0;
  }
  std::vector<std::string> missing;
  for (auto& r : m.required)
    if (!done(s, r)) missing.push_back(r);
  if (!missing.empty())
    io.out << "\nYou can read it now, but it builds on " << join(missing, ", ") << ": start with `streamlab module "
           << missing[0] << "`.\n";
  io.out << "\nStart here: " << readme << "\n";
  io.out << "  1. read the concepts and talk through the discussion prompts\n";
  io.out << "  2. do the hands-on steps (a streamlab server must be running: scripts/serve.sh)\n";
  io.out << "  3. streamlab check " << *id << endpoint_flag(s) << "\n";
  io.out << "  4. streamlab quiz " << *id << endpoint_flag(s) << "\n";
  return 0;
}

void describe_path(Session& s, const std::vector<std::string>& ids, Io& io) {
  for (size_t i = 0; i < ids.size(); ++i) {
    const Module* m = s.graph.find(ids[i]);
    io.out << "  " << rpad(std::to_string(i + 1), 2) << ". " << pad(ids[i], 4) << " " << pad(m ? m->title : "?", 28)
           << " " << (m ? module_state(s.graph, s.progress, ids[i]).second : "unknown module") << "\n";
  }
}

int path(Session& s, const CliOptions& o, Io& io) {
  const Graph& g = s.graph;
  if (o.path.empty()) {
    io.out << "Named paths (time = " << g.minutes_per_module << " min x the modules actually in the path):\n\n";
    for (auto& p : g.paths) {
      Verdict v = validate_path(g, p.modules);
      std::string verdict = v.valid() ? "valid" : "INVALID";
      if (!v.warnings.empty())
        verdict += ", " + std::to_string(v.warnings.size()) + " warning" + (v.warnings.size() > 1 ? "s" : "");
      bool changed = p.outline_modules && *p.outline_modules != p.modules;
      io.out << "  " << pad(p.id, 22) << " " << pad(p.name, 30) << " " << rpad(std::to_string(p.modules.size()), 2)
             << " modules  " << pad(fmt_minutes(path_minutes(g, p.modules)), 10) << " " << verdict
             << (changed ? " (resolved from the outline)" : "") << "\n";
    }
    io.out << "\nOne path in detail: streamlab path fast-track\n";
    io.out << "Your own order:      streamlab path M1,M2,M5,M6\n";
    return 0;
  }
  std::vector<std::string> ids;
  if (const NamedPath* p = g.find_path(o.path)) {
    ids = p->modules;
    int minutes = path_minutes(g, ids);
    io.out << p->name << " (" << p->id << "): " << ids.size() << " modules, " << fmt_minutes(minutes) << " ("
           << fmt_days(g, minutes) << ")\n";
    io.out << "  " << p->description << "\n  Outline: " << p->outline_text << "\n";
    if (p->outline_modules && *p->outline_modules != ids)
      io.out << "  As listed there: " << join(*p->outline_modules, " -> ") << " (" << p->outline_modules->size()
             << " modules, " << fmt_minutes(path_minutes(g, *p->outline_modules)) << ")\n";
    io.out << "  Resolution: " << p->resolution << "\n";
    if (p->any_valid_order)
      io.out << "  Any order that respects the required prerequisites is fine; this one respects all of them.\n";
    io.out << "\n";
  } else {
    ids = parse_custom(g, o.path);
    if (ids.size() == 1 && !g.normalize_id(o.path)) {
      std::vector<std::string> names;
      for (auto& x : g.paths) names.push_back(x.id);
      io.err << "no path named '" << o.path << "' (named paths: " << join(names, ", ")
             << "); or give modules in order, e.g. M1,M2,M5\n";
      return 2;
    }
    io.out << "Your path: " << join(ids, " -> ") << ": " << ids.size() << " modules, "
           << fmt_minutes(path_minutes(g, ids)) << "\n\n";
  }
  describe_path(s, ids, io);
  Verdict v = validate_path(g, ids);
  io.out << "\n";
  for (auto& e : v.errors) io.out << "  error:   " << e << "\n";
  for (auto& w : v.warnings) io.out << "  warning: " << w << "\n";
  io.out << (v.valid() ? "  valid: every required prerequisite comes first\n"
                       : "  not valid: a module comes before something it requires\n");
  size_t n = 0;
  for (auto& id : ids) n += g.find(id) && done(s, id);
  io.out << "  your progress on it: " << n << "/" << ids.size() << " modules done\n";
  return v.valid() ? 0 : 1;
}

std::string lower_trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string ask(Io& io, const std::string& prompt) {
  io.out << prompt << std::flush;
  std::string line;
  if (!std::getline(io.in, line)) {
    io.out << "\n";
    return "";
  }
  if (!io.interactive) io.out << line << "\n";  // echo piped answers, so the transcript reads like a session
  return lower_trim(line);
}

int quiz(Session& s, const CliOptions& o, Io& io) {
  auto id = s.graph.normalize_id(o.module);
  if (!id) {
    io.err << "no module '" << o.module << "'\n";
    return 2;
  }
  const Module& m = *s.graph.find(*id);
  std::ifstream in(s.dir + "/" + m.dir + "/quiz.json");
  if (!in) {
    io.out << *id << " has no checkpoint yet (" << (m.status_note.empty() ? "not written yet" : m.status_note) << ").\n";
    return 2;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  json q = json::parse(buf.str(), nullptr, false);
  if (!q.is_object() || !q.contains("questions") || !q["questions"].is_array()) {
    io.err << m.dir << "/quiz.json is not a checkpoint (no questions)\n";
    return 2;
  }
  std::vector<std::string> given;
  if (o.answers) {
    std::stringstream a(*o.answers);
    for (std::string x; std::getline(a, x, ',');) given.push_back(lower_trim(x));
  }
  const json& questions = q["questions"];
  io.out << *id << " " << m.title << ": checkpoint, " << questions.size() << " questions\n\n";
  int score = 0;
  for (size_t i = 0; i < questions.size(); ++i) {
    const json& qu = questions[i];
    io.out << i + 1 << ". " << qu.value("prompt", "") << "\n";
    std::vector<std::string> ids;
    std::string correct;
    for (auto& c : qu["choices"]) {
      ids.push_back(c.value("id", ""));
      io.out << "   " << ids.back() << ") " << c.value("text", "") << "\n";
      if (c.value("correct", false)) correct = ids.back();
    }
    std::string answer;
    if (o.answers) {
      answer = i < given.size() ? given[i] : "";
      io.out << "   your answer: " << answer << "\n";
    } else {
      answer = ask(io, "   your answer (" + join(ids, "/") + "): ");
      while (io.interactive && std::find(ids.begin(), ids.end(), answer) == ids.end() && io.in)
        answer = ask(io, "   please answer one of " + join(ids, ", ") + ": ");
    }
    if (answer == correct) {
      ++score;
      io.out << "   correct.\n";
    } else {
      io.out << "   not quite: the answer is " << correct << ".\n";
    }
    io.out << "   " << qu.value("explanation", "") << "\n\n";
  }
  int of = int(questions.size());
  if (auto r = s.store->record_quiz(*id, score, of); !r) {
    io.err << "score " << score << "/" << of << " not recorded: " << r.error().message << "\n";
    return 2;
  }
  io.out << "score: " << score << "/" << of << ", "
         << (score >= kPassMark ? std::string("passed") : "not passed yet (" + std::to_string(kPassMark) + " needed)")
         << "; recorded in " << s.store->where() << "\n";
  return 0;
}

// Runs the module's check.py (a boto3 program: AWS APIs only); its exit status, or -1 if it could not start.
int run_python_check(const std::string& script, const std::string& endpoint, const std::string& region) {
  std::string python = env("STREAMLAB_PYTHON").empty() ? "python3" : env("STREAMLAB_PYTHON");
  std::vector<std::string> args{python, script};
  if (!endpoint.empty()) args.insert(args.end(), {"--endpoint-url", endpoint});
  if (!region.empty()) args.insert(args.end(), {"--region", region});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout.flush();
  pid_t pid;
  if (posix_spawnp(&pid, python.c_str(), nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status) == 127 ? -1 : WEXITSTATUS(status);
  return 2;  // killed (Ctrl-C): nothing to record
}

int check(Session& s, const CliOptions& o, Io& io) {
  auto id = s.graph.normalize_id(o.module);
  if (!id) {
    io.err << "no module '" << o.module << "'\n";
    return 2;
  }
  const Module& m = *s.graph.find(*id);
  std::string script = s.dir + "/" + m.dir + "/check.py";
  if (!fs::exists(script)) {
    io.out << *id << " has no hands-on check yet (" << (m.status_note.empty() ? "not written yet" : m.status_note)
           << ").\n";
    return 2;
  }
  std::string where = s.endpoint.empty() ? "real AWS (no --endpoint-url, STREAMLAB_ENDPOINT or AWS_ENDPOINT_URL given)"
                                         : s.endpoint;
  io.out << "checking " << *id << " " << m.title << " against " << where << "\n" << std::flush;
  int rc = run_python_check(script, s.endpoint, o.region);
  if (rc < 0) {
    io.err << "cannot run python3 for " << relative(script) << " (it needs Python 3 with boto3; set STREAMLAB_PYTHON)\n";
    return 2;
  }
  if (rc == 2) return 2;  // the check could not run (server gone, no credentials): nothing to record
  if (auto r = s.store->record_check(*id, rc == 0, s.endpoint.empty() ? "aws" : s.endpoint); !r) {
    io.err << "check result not recorded: " << r.error().message << "\n";
    return 2;
  }
  if (rc == 0)
    io.out << *id << " hands-on: passed (recorded in " << s.store->where() << ")\n";
  else
    io.out << *id << " hands-on: not yet; fix what is listed above and run the check again\n";
  return rc == 0 ? 0 : 1;
}

int progress(Session& s, Io& io) {
  const Graph& g = s.graph;
  std::vector<std::string> finished;
  for (auto& m : g.modules)
    if (done(s, m.id)) finished.push_back(m.id);
  io.out << "Progress (" << s.store->where() << "): " << finished.size() << "/" << g.modules.size()
         << " modules done, " << fmt_minutes(path_minutes(g, finished)) << " of "
         << fmt_minutes(path_minutes(g, g.all_ids())) << "\n\n";
  for (auto& m : g.modules) {
    auto it = s.progress.modules.find(m.id);
    const ModuleProgress* p = it == s.progress.modules.end() ? nullptr : &it->second;
    std::string q = p && p->quiz ? "quiz " + std::to_string(p->quiz->best) + "/3" : "quiz -";
    std::string c = p && p->check ? (p->check->passed ? "check passed" : "check failed") : "check -";
    io.out << "  [" << (done(s, m.id) ? "x" : " ") << "] " << pad(m.id, 4) << " " << pad(m.title, 28) << " "
           << pad(q, 9) << " " << c << "\n";
  }
  io.out << "\n";
  for (auto& p : g.paths) {
    size_t n = 0;
    for (auto& id : p.modules) n += done(s, id);
    io.out << "  " << pad(p.name, 30) << " " << n << "/" << p.modules.size() << "\n";
  }
  return 0;
}

template <class F>
int with_session(const CliOptions& o, Io io, F f) {
  auto s = open(o, io);
  if (auto* code = std::get_if<int>(&s)) return *code;
  return f(std::get<Session>(s), io);
}

}  // namespace

std::string find_course_dir(const std::string& given) {
  auto ok = [](const fs::path& d) {
    std::error_code ec;
    return fs::exists(d / "graph.json", ec);
  };
  if (!given.empty()) return ok(given) ? fs::absolute(given).lexically_normal().string() : "";
  if (!env("STREAMLAB_COURSE_DIR").empty())
    return ok(env("STREAMLAB_COURSE_DIR")) ? fs::absolute(env("STREAMLAB_COURSE_DIR")).lexically_normal().string() : "";
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  for (fs::path candidate : {exe.parent_path() / ".." / "curriculum", exe.parent_path() / ".." / "share" / "streamlab" / "curriculum"})
    if (ok(candidate)) return candidate.lexically_normal().string();
  return "";
}

int run_modules(const CliOptions& o, Io io) {
  return with_session(o, io, [](Session& s, Io& io) { return modules(s, io); });
}
int run_module(const CliOptions& o, Io io) {
  return with_session(o, io, [&](Session& s, Io& io) { return module(s, o, io); });
}
int run_path(const CliOptions& o, Io io) {
  return with_session(o, io, [&](Session& s, Io& io) { return path(s, o, io); });
}
int run_quiz(const CliOptions& o, Io io) {
  return with_session(o, io, [&](Session& s, Io& io) { return quiz(s, o, io); });
}
int run_check(const CliOptions& o, Io io) {
  return with_session(o, io, [&](Session& s, Io& io) { return check(s, o, io); });
}
int run_progress(const CliOptions& o, Io io) {
  return with_session(o, io, [](Session& s, Io& io) { return progress(s, io); });
}

}  // namespace streamlab::course
