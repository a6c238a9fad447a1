#pragma once
// HTTP/1.1 (Boost.Beast) and cleartext HTTP/2 (nghttp2, chosen by the connection preface) on
// one port. The only code that includes Beast, Asio or nghttp2 lives in server/http/*.cc;
// this header exposes none of it.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "server/core/request.h"
#include "server/core/result.h"
#include "server/core/scheduler.h"

namespace streamlab::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4566;
  int threads = 2;
  size_t body_limit = 16 << 20;    // larger bodies get 413
  size_t header_limit = 64 << 10;  // larger headers get 431
  int idle_timeout_ms = 120000;    // keep-alive connection with no request in progress
  int header_timeout_ms = 10000;   // from the first byte of a request to the end of its headers
  int body_timeout_ms = 30000;     // to read the body once the headers are in
  size_t max_connections = 4096;   // beyond it new connections are closed at once
};

class HttpServer final : public Scheduler {
 public:
  HttpServer(ServerOptions options, RequestHandler handler);
  ~HttpServer() override;

  // Binds and listens; returns the bound port (useful with port 0).
  Result<uint16_t> listen();
  // Serves on `threads` threads until stop() has drained the connections; then returns.
  void run();
  // Graceful: stop accepting, let in-flight requests finish, close idle connections.
  // Safe to call from any thread or a signal watcher.
  void stop();
  // Stops on SIGINT/SIGTERM.
  void stop_on_signals();

  size_t open_connections() const;

  void after(int64_t delay_ms, std::function<void()> work) override;
  void post(std::function<void()> work) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace streamlab::http
