#include "server/http/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "server/core/turn.h"
#include "server/http/connection.h"
#include "server/http/http1_session.h"
#include "server/http/worker.h"

namespace streamlab::http {
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

namespace {

// The worker whose thread is running now (null on other threads): timers and posted work
// started from a request stay on the thread that serves it.
thread_local Worker* current_worker = nullptr;

// Often enough that a deadline is noticed well within a tenth of the shortest timeout.
std::chrono::milliseconds sweep_period(const ServerOptions& o) {
  int shortest = std::min({o.idle_timeout_ms, o.header_timeout_ms, o.body_timeout_ms});
  return std::chrono::milliseconds(std::clamp(shortest / 10, 5, 250));
}

}  // namespace

struct HttpServer::Impl {
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  std::vector<std::unique_ptr<Worker>> workers;  // workers[0] also accepts, watches signals and drains
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<net::signal_set> signals;
  std::unique_ptr<net::steady_timer> drain_timer;
  std::chrono::steady_clock::time_point drain_deadline;
  size_t next_worker = 0;

  Worker& main() { return *workers[0]; }
  Worker& here() { return current_worker ? *current_worker : main(); }

  void accept() {
    // Connections go to the workers in turn, each for its whole life.
    Worker& w = *workers[next_worker++ % workers.size()];
    acceptor->async_accept(w.ioc.get_executor(), [this, &w](boost::system::error_code ec, WorkerSocket socket) {
      if (ec) {
        if (!acceptor->is_open()) return;
        // Too many open files or a transient error: keep accepting after a pause.
        return accept();
      }
      if (shared->connections.load() >= shared->options.max_connections) {
        boost::system::error_code ignored;
        socket.close(ignored);
      } else {
        shared->connections++;
        serve_http1(std::move(socket), w, shared);
      }
      accept();
    });
  }

  void drain() {
    if (shared->connections.load() == 0 || std::chrono::steady_clock::now() > drain_deadline) {
      for (auto& w : workers) {
        w->work.reset();
        w->ioc.stop();
      }
      return;
    }
    drain_timer->expires_after(20ms);
    drain_timer->async_wait([this](boost::system::error_code) { drain(); });
  }
};

HttpServer::HttpServer(ServerOptions options, RequestHandler handler) : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.shared->options = std::move(options);
  m.shared->handler = std::move(handler);
  int n = std::max(1, m.shared->options.threads);
  for (int i = 0; i < n; ++i) m.workers.push_back(std::make_unique<Worker>(sweep_period(m.shared->options)));
  m.acceptor = std::make_unique<tcp::acceptor>(m.main().ioc);
  m.drain_timer = std::make_unique<net::steady_timer>(m.main().ioc);
}

HttpServer::~HttpServer() = default;

Result<uint16_t> HttpServer::listen() {
  auto& o = impl_->shared->options;
  boost::system::error_code ec;
  auto address = net::ip::make_address(o.host, ec);
  if (ec) return AwsError::internal("invalid --host " + o.host + ": " + ec.message());
  tcp::endpoint endpoint(address, o.port);
  auto& acc = *impl_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return AwsError::internal("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + ec.message());
  impl_->accept();
  return acc.local_endpoint().port();
}

void HttpServer::run() {
  auto& workers = impl_->workers;
  auto serve = [](Worker* w) {
    current_worker = w;
    // Work posted now runs after the handlers already queued: the requests this wake-up of the
    // loop found ready (server/core/turn.h).
    set_turn_poster([w](TurnTask task) { net::post(w->ioc, std::move(task)); });
    w->start_sweeping();
    w->ioc.run();
    set_turn_poster({});
    current_worker = nullptr;
  };
  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers.size(); ++i) threads.emplace_back(serve, workers[i].get());
  serve(workers[0].get());
  for (auto& t : threads) t.join();
}

void HttpServer::stop() {
  net::post(impl_->main().ioc, [this] {
    if (impl_->shared->stopping.exchange(true)) return;
    boost::system::error_code ec;
    impl_->acceptor->close(ec);
    for (auto& c : impl_->shared->live()) c->shutdown();
    impl_->drain_deadline = std::chrono::steady_clock::now() + 10s;
    impl_->drain();
  });
}

void HttpServer::stop_on_signals() {
  impl_->signals = std::make_unique<net::signal_set>(impl_->main().ioc, SIGINT, SIGTERM);
  impl_->signals->async_wait([this](boost::system::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {} received: finishing in-flight requests", sig);
    stop();
  });
}

size_t HttpServer::open_connections() const { return impl_->shared->connections.load(); }

void HttpServer::after(int64_t delay_ms, std::function<void()> work) {
  auto timer = std::make_shared<net::steady_timer>(impl_->here().ioc, std::chrono::milliseconds(delay_ms));
  timer->async_wait([timer, work = std::move(work)](boost::system::error_code ec) {
    if (!ec) work();
  });
}

void HttpServer::post(std::function<void()> work) { net::post(impl_->here().ioc, std::move(work)); }

}  // namespace streamlab::http
