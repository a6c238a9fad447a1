#include "server/http/http_server.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "server/core/encoding.h"

namespace streamlab::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

namespace {

class Session;

struct Shared {
  ServerOptions options;
  RequestHandler handler;
  std::atomic<size_t> connections{0};
  std::atomic<bool> stopping{false};
  std::mutex sessions_mu;
  std::set<std::weak_ptr<Session>, std::owner_less<std::weak_ptr<Session>>> sessions;
};

Request to_request(bhttp::request<bhttp::string_body>&& msg, const std::string& peer) {
  Request r;
  r.method = std::string(msg.method_string());
  r.target = std::string(msg.target());
  size_t q = r.target.find('?');
  r.path = url_decode(std::string_view(r.target).substr(0, q), false);
  if (q != std::string::npos) r.query = r.target.substr(q + 1);
  r.headers.reserve(16);
  for (auto& field : msg) {
    std::string name(field.name_string());
    for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  r.body = std::move(msg.body());
  r.peer = peer;
  return r;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_ = ep.address().to_string() + ":" + std::to_string(ep.port());
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }
  ~Session() { shared_->connections--; }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_for_request(); });
  }

  // Called on shutdown: an idle connection closes now, a busy one after its response.
  void shutdown() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->close();
    });
  }

 private:
  void wait_for_request() {
    if (shared_->stopping) return close();
    busy_ = false;
    if (buffer_.size() > 0) return read_header();
    // Idle phase: wait for the first byte of the next request.
    stream_.expires_after(std::chrono::milliseconds(shared_->options.idle_timeout_ms));
    stream_.async_read_some(buffer_.prepare(16 << 10),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->close();
                              self->buffer_.commit(n);
                              self->read_header();
                            });
  }

  void read_header() {
    busy_ = true;
    parser_.emplace();
    parser_->header_limit(uint32_t(shared_->options.header_limit));
    parser_->body_limit(shared_->options.body_limit);
    stream_.expires_after(std::chrono::milliseconds(shared_->options.header_timeout_ms));
    bhttp::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->on_read_error(ec);
      self->read_body();
    });
  }

  void read_body() {
    stream_.expires_after(std::chrono::milliseconds(shared_->options.body_timeout_ms));
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->on_read_error(ec);
      self->dispatch_request();
    });
  }

  void on_read_error(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return reply_and_close(413, "Request entity too large");
    if (ec == bhttp::error::header_limit) return reply_and_close(431, "Request header fields too large");
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof)
      return close();
    // Malformed HTTP: answer 400 and close, as a strict server would.
    reply_and_close(400, "Bad request");
  }

  void reply_and_close(int status, const char* text) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(bhttp::status(status), 11);
    res->set(bhttp::field::content_type, "text/plain");
    res->set("x-amzn-RequestId", uuid_v4());
    res->body() = text;
    res->keep_alive(false);
    res->prepare_payload();
    stream_.expires_after(5s);
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code, size_t) { self->close(); });
  }

  void dispatch_request() {
    auto msg = parser_->release();
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();
    head_ = msg.method() == bhttp::verb::head;
    stream_.expires_never();
    Request request = to_request(std::move(msg), peer_);
    auto self = shared_from_this();
    auto once = std::make_shared<std::atomic<bool>>(false);
    Responder respond = [self, once](Response response) {
      if (once->exchange(true)) return;
      net::dispatch(self->stream_.get_executor(),
                    [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
    };
    try {
      shared_->handler(std::move(request), std::move(respond));
    } catch (const std::exception& e) {
      spdlog::error("request handler threw: {}", e.what());
      Response r;
      r.status = 500;
      r.body = "{\"__type\":\"InternalFailure\"}";
      write(std::move(r));
    }
  }

  void write(Response response) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(bhttp::status(response.status), version_);
    for (auto& [k, v] : response.headers) res->insert(k, v);
    res->body() = std::move(response.body);
    bool keep = keep_alive_ && !shared_->stopping;
    res->keep_alive(keep);
    res->prepare_payload();
    if (head_) res->body().clear();
    stream_.expires_after(std::chrono::milliseconds(shared_->options.body_timeout_ms));
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res, keep](beast::error_code ec, size_t) {
      if (ec || !keep) return self->close();
      self->wait_for_request();
    });
  }

  void close() {
    busy_ = false;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<Shared> shared_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string peer_;
  bool keep_alive_ = true;
  bool head_ = false;
  unsigned version_ = 11;
  bool busy_ = false;
};

}  // namespace

struct HttpServer::Impl {
  net::io_context ioc;
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  tcp::acceptor acceptor{net::make_strand(ioc)};
  std::unique_ptr<net::signal_set> signals;
  net::steady_timer drain_timer{ioc};
  std::chrono::steady_clock::time_point drain_deadline;
  net::executor_work_guard<net::io_context::executor_type> work{ioc.get_executor()};

  void accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor.is_open()) return;
        // Too many open files or a transient error: keep accepting after a pause.
        return accept();
      }
      if (shared->connections.load() >= shared->options.max_connections) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        shared->connections++;
        auto session = std::make_shared<Session>(std::move(socket), shared);
        {
          std::lock_guard lock(shared->sessions_mu);
          for (auto it = shared->sessions.begin(); it != shared->sessions.end();)
            it = it->expired() ? shared->sessions.erase(it) : std::next(it);
          shared->sessions.insert(session);
        }
        session->start();
      }
      accept();
    });
  }

  void drain() {
    if (shared->connections.load() == 0 || std::chrono::steady_clock::now() > drain_deadline) {
      work.reset();
      ioc.stop();
      return;
    }
    drain_timer.expires_after(20ms);
    drain_timer.async_wait([this](beast::error_code) { drain(); });
  }
};

HttpServer::HttpServer(ServerOptions options, RequestHandler handler) : impl_(std::make_unique<Impl>()) {
  impl_->shared->options = std::move(options);
  impl_->shared->handler = std::move(handler);
}

HttpServer::~HttpServer() = default;

Result<uint16_t> HttpServer::listen() {
  auto& o = impl_->shared->options;
  beast::error_code ec;
  auto address = net::ip::make_address(o.host, ec);
  if (ec) return AwsError::internal("invalid --host " + o.host + ": " + ec.message());
  tcp::endpoint endpoint(address, o.port);
  auto& acc = impl_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return AwsError::internal("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + ec.message());
  impl_->accept();
  return acc.local_endpoint().port();
}

void HttpServer::run() {
  int n = std::max(1, impl_->shared->options.threads);
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void HttpServer::stop() {
  net::post(impl_->ioc, [this] {
    if (impl_->shared->stopping.exchange(true)) return;
    net::post(impl_->acceptor.get_executor(), [this] {
      beast::error_code ec;
      impl_->acceptor.close(ec);
    });
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(impl_->shared->sessions_mu);
      for (auto& w : impl_->shared->sessions)
        if (auto s = w.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) s->shutdown();
    impl_->drain_deadline = std::chrono::steady_clock::now() + 10s;
    impl_->drain();
  });
}

void HttpServer::stop_on_signals() {
  impl_->signals = std::make_unique<net::signal_set>(impl_->ioc, SIGINT, SIGTERM);
  impl_->signals->async_wait([this](beast::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {} received: finishing in-flight requests", sig);
    stop();
  });
}

size_t HttpServer::open_connections() const { return impl_->shared->connections.load(); }

void HttpServer::after(int64_t delay_ms, std::function<void()> work) {
  auto timer = std::make_shared<net::steady_timer>(impl_->ioc, std::chrono::milliseconds(delay_ms));
  timer->async_wait([timer, work = std::move(work)](beast::error_code ec) {
    if (!ec) work();
  });
}

void HttpServer::post(std::function<void()> work) { net::post(impl_->ioc, std::move(work)); }

}  // namespace streamlab::http
