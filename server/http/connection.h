#pragma once
// What the HTTP/1.1 and HTTP/2 sessions share: options, the handler, the connection cap and
// the registry that graceful shutdown walks. Internal to server/http/; no Asio here.
#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "server/http/http_server.h"

namespace streamlab::http {

// One accepted connection of either version.
class Connection {
 public:
  virtual ~Connection() = default;
  // Graceful close, from any thread: finish what is in flight, accept nothing new.
  virtual void shutdown() = 0;
};

struct Shared {
  ServerOptions options;
  RequestHandler handler;
  std::atomic<size_t> connections{0};  // counts each accepted socket once, whichever version serves it
  std::atomic<bool> stopping{false};

  void add(const std::shared_ptr<Connection>& c) {
    std::lock_guard lock(mu_);
    for (auto it = live_.begin(); it != live_.end();) it = it->expired() ? live_.erase(it) : std::next(it);
    live_.insert(c);
  }
  std::vector<std::shared_ptr<Connection>> live() {
    std::vector<std::shared_ptr<Connection>> out;
    std::lock_guard lock(mu_);
    for (auto& w : live_)
      if (auto c = w.lock()) out.push_back(std::move(c));
    return out;
  }

 private:
  std::mutex mu_;
  std::set<std::weak_ptr<Connection>, std::owner_less<std::weak_ptr<Connection>>> live_;
};

}  // namespace streamlab::http
