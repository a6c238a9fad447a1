// streamlab: one server, AWS's wire protocols, a RocksDB-backed partitioned log.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include <unistd.h>

#include "server/app.h"
#include "server/course/commands.h"

namespace {

std::string default_data_dir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/streamlab";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/share/streamlab";
  return ".streamlab-data";
}

struct ServeFlags {
  std::string host = "127.0.0.1";
  uint16_t port = 4566;
  std::string data_dir = default_data_dir();
  bool in_memory = false;
  std::string durability = "process";
  std::string log_level = "info";
  int threads = 0;
  std::string throttle = "on";
  int64_t state_delay_ms = 500;
  size_t max_body_mib = 16;
  size_t max_connections = 4096;
  int idle_timeout_ms = 120000;
  int header_timeout_ms = 10000;
  int body_timeout_ms = 30000;
};

int serve(const ServeFlags& f) {
  using namespace streamlab;
  spdlog::set_level(spdlog::level::from_str(f.log_level));
  auto started = std::chrono::steady_clock::now();
  AppOptions o;
  o.store.path = f.data_dir;
  o.store.in_memory = f.in_memory;
  o.store.durability = f.durability == "fsync" ? storage::Durability::fsync : storage::Durability::process;
  o.http.host = f.host;
  o.http.port = f.port;
  // With fsync durability a write waits for its fsync on the thread that serves it; many
  // threads let concurrent writers share one fsync (RocksDB groups them), so throughput
  // scales with the number of writers instead of the number of cores.
  int cores = int(std::max(2u, std::thread::hardware_concurrency()));
  o.http.threads = f.threads > 0 ? f.threads : (f.durability == "fsync" ? std::max(32, cores) : cores);
  o.http.body_limit = f.max_body_mib << 20;
  o.http.max_connections = f.max_connections;
  o.http.idle_timeout_ms = f.idle_timeout_ms;
  o.http.header_timeout_ms = f.header_timeout_ms;
  o.http.body_timeout_ms = f.body_timeout_ms;
  o.throttle = f.throttle != "off";
  o.state_delay_ms = f.state_delay_ms;
  App app(o);
  auto port = app.start();
  if (!port) {
    spdlog::error("{}", port.error().message);
    return 1;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  std::cout << "streamlab " << STREAMLAB_VERSION << " listening on http://" << f.host << ":" << *port << " ("
            << (f.in_memory ? std::string("in memory") : "data in " + std::filesystem::absolute(f.data_dir).string())
            << ", durability " << f.durability << ", throttling " << (o.throttle ? "on" : "off") << ", ready in "
            << ms << " ms)" << std::endl;
  app.run();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"streamlab: AWS streaming services (Kinesis, SQS, SNS, DynamoDB Streams) on one local port"};
  app.require_subcommand(1);
  ServeFlags f;
  auto* serve_cmd = app.add_subcommand("serve", "run the server");
  serve_cmd->add_option("--host", f.host, "address to listen on")->envname("STREAMLAB_HOST")->capture_default_str();
  serve_cmd->add_option("--port", f.port, "port to listen on")->envname("STREAMLAB_PORT")->capture_default_str();
  serve_cmd->add_option("--data-dir", f.data_dir, "where data is kept")->envname("STREAMLAB_DATA_DIR")->capture_default_str();
  serve_cmd->add_flag("--in-memory", f.in_memory, "keep nothing on disk")->envname("STREAMLAB_IN_MEMORY");
  serve_cmd->add_option("--durability", f.durability, "process: survive a killed process; fsync: fsync every acknowledged write")
      ->check(CLI::IsMember({"process", "fsync"}))
      ->envname("STREAMLAB_DURABILITY")
      ->capture_default_str();
  serve_cmd->add_option("--log-level", f.log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->envname("STREAMLAB_LOG_LEVEL")
      ->capture_default_str();
  serve_cmd->add_option("--threads", f.threads, "I/O threads (0: one per core, at least 2; 32 with --durability fsync)")->envname("STREAMLAB_THREADS");
  serve_cmd->add_option("--throttle", f.throttle, "on: enforce Kinesis shard limits; off: for benchmarks")
      ->check(CLI::IsMember({"on", "off"}))
      ->envname("STREAMLAB_THROTTLE")
      ->capture_default_str();
  serve_cmd->add_option("--state-delay-ms", f.state_delay_ms, "how long CREATING/UPDATING/DELETING states last")
      ->envname("STREAMLAB_STATE_DELAY_MS")
      ->capture_default_str();
  serve_cmd->add_option("--max-body-mib", f.max_body_mib, "largest request body (413 beyond)")
      ->envname("STREAMLAB_MAX_BODY_MIB")
      ->capture_default_str();
  serve_cmd->add_option("--max-connections", f.max_connections, "open connections beyond this are closed")
      ->envname("STREAMLAB_MAX_CONNECTIONS")
      ->capture_default_str();
  serve_cmd->add_option("--idle-timeout-ms", f.idle_timeout_ms, "close keep-alive connections idle this long")
      ->envname("STREAMLAB_IDLE_TIMEOUT_MS")
      ->capture_default_str();
  serve_cmd->add_option("--header-timeout-ms", f.header_timeout_ms, "time allowed to send request headers")
      ->envname("STREAMLAB_HEADER_TIMEOUT_MS")
      ->capture_default_str();
  serve_cmd->add_option("--body-timeout-ms", f.body_timeout_ms, "time allowed to send a request body")
      ->envname("STREAMLAB_BODY_TIMEOUT_MS")
      ->capture_default_str();
  app.add_subcommand("version", "print the version")->callback([] { std::cout << STREAMLAB_VERSION << "\n"; });

  // The course (curriculum/): the learner's commands. They talk to a server through AWS APIs and
  // /_streamlab/progress, never to this process's own state.
  streamlab::course::CliOptions c;
  auto course_flags = [&c](CLI::App* cmd, bool with_region) {
    cmd->add_option("--endpoint-url", c.endpoint_url,
                    "streamlab's URL, e.g. http://localhost:4566 (default: $STREAMLAB_ENDPOINT, else $AWS_ENDPOINT_URL, "
                    "else real AWS, with progress kept in a local file)");
    cmd->add_option("--course-dir", c.course_dir, "the curriculum folder (default: $STREAMLAB_COURSE_DIR, else found "
                                                  "beside this binary)");
    if (with_region) cmd->add_option("--region", c.region, "AWS region for the check");
    return cmd;
  };
  auto* modules_cmd = course_flags(app.add_subcommand("modules", "the course's modules, with your status in each"), false);
  auto* module_cmd = course_flags(app.add_subcommand("module", "one module: goals, prerequisites, where to start"), false);
  module_cmd->add_option("module", c.module, "M1..M15")->required();
  auto* path_cmd = course_flags(app.add_subcommand("path", "the named completion paths; one in detail; or check your own order"), false);
  path_cmd->add_option("path", c.path, "a path name (fast-track, minimum-viable, ...) or modules in order: M1,M2,M5");
  auto* quiz_cmd = course_flags(app.add_subcommand("quiz", "a module's three-question checkpoint; the score is recorded"), false);
  quiz_cmd->add_option("module", c.module, "M1..M15")->required();
  quiz_cmd->add_option("--answers", c.answers, "answer without prompting, e.g. b,a,c");
  auto* check_cmd = course_flags(app.add_subcommand("check", "verify a module's hands-on result through AWS APIs; "
                                                              "the result is recorded"), true);
  check_cmd->add_option("module", c.module, "M1..M15")->required();
  auto* progress_cmd = course_flags(app.add_subcommand("progress", "what you have completed"), false);

  CLI11_PARSE(app, argc, argv);
  if (serve_cmd->parsed()) return serve(f);
  streamlab::course::Io io{std::cin, std::cout, std::cerr, isatty(0) != 0};
  if (modules_cmd->parsed()) return streamlab::course::run_modules(c, io);
  if (module_cmd->parsed()) return streamlab::course::run_module(c, io);
  if (path_cmd->parsed()) return streamlab::course::run_path(c, io);
  if (quiz_cmd->parsed()) return streamlab::course::run_quiz(c, io);
  if (check_cmd->parsed()) return streamlab::course::run_check(c, io);
  if (progress_cmd->parsed()) return streamlab::course::run_progress(c, io);
  return 0;
}
