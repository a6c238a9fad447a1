#pragma once
// The composition root: opens storage, builds every service, wires the dispatcher and the
// HTTP server. main.cc only parses flags. Adding a service is one block in app.cc.
#include <memory>
#include <string>

#include "server/http/http_server.h"
#include "server/storage/store.h"

namespace streamlab {

struct AppOptions {
  storage::StoreOptions store;
  http::ServerOptions http;
  bool throttle = true;
  int64_t state_delay_ms = 500;
};

class App {
 public:
  explicit App(AppOptions options);
  ~App();
  // Opens storage, loads every service's state, binds the port. Returns the bound port.
  Result<uint16_t> start();
  // Serves until SIGINT/SIGTERM (or stop()), then flushes storage.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace streamlab
