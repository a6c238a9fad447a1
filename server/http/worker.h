#pragma once
// One I/O thread: its own io_context, and the HTTP/1.1 connections it serves. A connection
// lives on one worker for its whole life, so its handlers never race and need no strand, and
// a request is parsed, handled and answered on the thread that read it, without waking
// another. Read and write deadlines are plain fields that a periodic sweep checks, instead of
// a timer armed and cancelled for every read and write.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <vector>

namespace streamlab::http {

using SteadyClock = std::chrono::steady_clock;

// What the sweep can ask of a connection.
class Expiring {
 public:
  virtual ~Expiring() = default;
  // Closes the connection if its deadline has passed; called on its worker's thread.
  virtual void expire_if_due(SteadyClock::time_point now) = 0;
};

struct Worker {
  explicit Worker(std::chrono::milliseconds sweep_period) : sweep(ioc), period(sweep_period) {}

  boost::asio::io_context ioc{1};  // run by exactly one thread
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{ioc.get_executor()};
  boost::asio::steady_timer sweep;
  std::chrono::milliseconds period;
  std::vector<std::weak_ptr<Expiring>> connections;  // touched only on this worker's thread

  void track(std::weak_ptr<Expiring> c) { connections.push_back(std::move(c)); }

  void start_sweeping() {
    sweep.expires_after(period);
    sweep.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      auto now = SteadyClock::now();
      for (size_t i = 0; i < connections.size();) {
        if (auto c = connections[i].lock()) {
          c->expire_if_due(now);
          ++i;
        } else {
          connections[i] = std::move(connections.back());
          connections.pop_back();
        }
      }
      start_sweeping();
    });
  }
};

}  // namespace streamlab::http
