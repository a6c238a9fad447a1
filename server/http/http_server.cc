#include "server/http/http_server.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <array>
#include <thread>
#include <vector>

#include "server/core/encoding.h"
#include "server/http/connection.h"
#include "server/http/h2_session.h"
#include "server/http/stream_buffer.h"

namespace streamlab::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

namespace {

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

constexpr size_t kStreamQueueCap = 8 << 20;  // streamed bytes waiting for a slow peer

class Session : public Connection, public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_ = ep.address().to_string() + ":" + std::to_string(ep.port());
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }
  ~Session() override {
    if (!handed_off_) shared_->connections--;  // else the HTTP/2 session owns the count
  }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_for_request(); });
  }

  // Called on shutdown: an idle connection closes now, a busy one after its response, a
  // streamed response ends with what is queued.
  void shutdown() override {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->stream_buf_) return self->stream_buf_->finish();
      if (!self->busy_) self->close();
    });
  }

 private:
  void wait_for_request() {
    if (shared_->stopping) return close();
    busy_ = false;
    if (buffer_.size() > 0) return first_ ? sniff() : read_header();
    // Idle phase: wait for the first byte of the next request.
    stream_.expires_after(std::chrono::milliseconds(shared_->options.idle_timeout_ms));
    read_some();
  }

  void read_some() {
    stream_.async_read_some(buffer_.prepare(16 << 10), [self = shared_from_this()](beast::error_code ec, size_t n) {
      if (ec) return self->close();
      self->buffer_.commit(n);
      if (self->first_) return self->sniff();
      self->read_header();
    });
  }

  // The first bytes of a connection decide its version: the HTTP/2 preface or anything else.
  void sniff() {
    std::string_view seen(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    size_t n = std::min(seen.size(), kH2Preface.size());
    if (seen.substr(0, n) != kH2Preface.substr(0, n)) {
      first_ = false;
      return read_header();
    }
    if (seen.size() < kH2Preface.size()) {  // "P", "PR"...: not decided yet
      stream_.expires_after(std::chrono::milliseconds(shared_->options.header_timeout_ms));
      return read_some();
    }
    handed_off_ = true;
    stream_.expires_never();
    serve_h2(stream_.release_socket(), std::string(seen), shared_);
  }

  void read_header() {
    busy_ = true;
    parser_.emplace();
    parser_->header_limit(uint32_t(shared_->options.header_limit));
    parser_->body_limit(shared_->options.body_limit);
    header_bytes_ = 0;
    stream_.expires_after(std::chrono::milliseconds(shared_->options.header_timeout_ms));
    read_header_some();
  }

  // Beast's header_limit bounds only the unparsed tail (parsed fields are consumed), so many
  // small fields would pile up until the header timeout: the total is counted here.
  void read_header_some() {
    bhttp::async_read_some(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t n) {
      if (ec) return self->on_read_error(ec);
      self->header_bytes_ += n;
      if (self->header_bytes_ > self->shared_->options.header_limit)
        return self->reply_and_close(431, "Request header fields too large");
      if (!self->parser_->is_header_done()) return self->read_header_some();
      self->read_body();
    });
  }

  void read_body() {
    stream_.expires_after(std::chrono::milliseconds(shared_->options.body_timeout_ms));
    // curl and others hold a large body back until told to go on (RFC 9110 section 10.1.1).
    if (!parser_->is_done() && beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      parser_->get().erase(bhttp::field::expect);
      return net::async_write(stream_, net::buffer(kContinue), [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) return self->close();
        self->read_body();
      });
    }
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
    if (response.on_stream) return write_streamed(std::move(response));
    if (version_ == 11 && plain_status(response.status) && !names_framing(response.headers))
      return write_plain(std::move(response));
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

  static bool plain_status(int status) { return status >= 200 && status != 204 && status != 304 && status < 1000; }
  // Fields Beast would treat specially: framing ones, and repeated names (which it groups).
  static bool names_framing(const std::vector<Header>& headers) {
    for (size_t i = 0; i < headers.size(); ++i) {
      const std::string& k = headers[i].first;
      if (beast::iequals(k, "content-length") || beast::iequals(k, "transfer-encoding") ||
          beast::iequals(k, "connection"))
        return true;
      for (size_t j = 0; j < i; ++j)
        if (beast::iequals(k, headers[j].first)) return true;
    }
    return false;
  }

  // The common HTTP/1.1 answer written by hand, byte for byte what Beast's serializer sends
  // (status line, fields in order, Connection: close when closing, Content-Length last): the
  // serializer's buffer sequences cost more than the rest of a small response together.
  void write_plain(Response response) {
    bool keep = keep_alive_ && !shared_->stopping;
    head_text_.clear();
    head_text_ += "HTTP/1.1 ";
    head_text_ += std::to_string(response.status);
    head_text_ += ' ';
    auto reason = bhttp::obsolete_reason(bhttp::status(response.status));
    head_text_.append(reason.data(), reason.size());
    head_text_ += "\r\n";
    for (auto& [k, v] : response.headers) {
      head_text_ += k;
      head_text_ += ": ";
      head_text_ += v;
      head_text_ += "\r\n";
    }
    if (!keep) head_text_ += "Connection: close\r\n";
    head_text_ += "Content-Length: ";
    head_text_ += std::to_string(response.body.size());
    head_text_ += "\r\n\r\n";
    body_text_ = std::move(response.body);
    if (head_) body_text_.clear();
    std::array<net::const_buffer, 2> buffers{net::buffer(head_text_), net::buffer(body_text_)};
    stream_.expires_after(std::chrono::milliseconds(shared_->options.body_timeout_ms));
    net::async_write(stream_, buffers, [self = shared_from_this(), keep](beast::error_code ec, size_t) {
      self->body_text_.clear();
      if (ec || !keep) return self->close();
      self->wait_for_request();
    });
  }

  // Headers now, the body as the producer writes it: chunked (HTTP/1.0: ended by the close).
  // The connection closes afterwards, which lets us read meanwhile only to notice a peer leaving.
  void write_streamed(Response response) {
    auto header = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status(response.status), version_);
    for (auto& [k, v] : response.headers)
      if (!beast::iequals(k, "content-length") && !beast::iequals(k, "transfer-encoding")) header->insert(k, v);
    header->keep_alive(false);
    chunked_ = version_ >= 11;
    header->chunked(chunked_);
    auto serializer = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*header);
    stream_.expires_after(std::chrono::milliseconds(shared_->options.body_timeout_ms));
    bhttp::async_write_header(stream_, *serializer,
                              [self = shared_from_this(), header, serializer](beast::error_code ec, size_t) {
                                if (ec || self->head_) return self->close();
                                self->header_sent_ = true;
                                self->stream_.expires_never();
                                self->pump();
                              });
    if (head_) return;
    auto wake = [weak = weak_from_this(), ex = stream_.get_executor()] {
      net::post(ex, [weak] {
        if (auto self = weak.lock()) self->pump();
      });
    };
    stream_buf_ = std::make_shared<StreamBuffer>(kStreamQueueCap, nullptr, 0, std::move(wake));
    watch_peer();
    auto stream = stream_buf_;
    try {
      response.on_stream(stream);
    } catch (const std::exception& e) {
      spdlog::error("stream callback threw: {}", e.what());
      stream->finish();
    }
  }

  // Writes what the producer queued as one chunk; the last chunk once it has finished.
  void pump() {
    if (!stream_buf_ || !header_sent_ || writing_chunk_) return;
    stream_buf_->rearm();
    if (stream_buf_->overflowed()) return close();  // the peer does not read: drop it
    bool last = stream_buf_->done();
    chunk_ = last ? std::string() : stream_buf_->take_all();
    if (!last && chunk_.empty()) return;
    if (last && !chunked_) return close();
    writing_chunk_ = true;
    stream_.expires_after(std::chrono::milliseconds(shared_->options.body_timeout_ms));
    auto written = [self = shared_from_this(), last](beast::error_code ec, size_t) {
      self->writing_chunk_ = false;
      if (ec || last) return self->close();
      self->stream_.expires_never();  // the producer may stay quiet for long
      self->pump();
    };
    if (last)
      net::async_write(stream_, bhttp::make_chunk_last(), std::move(written));
    else if (chunked_)
      net::async_write(stream_, bhttp::make_chunk(net::buffer(chunk_)), std::move(written));
    else
      net::async_write(stream_, net::buffer(chunk_), std::move(written));
  }

  void watch_peer() {
    stream_.socket().async_read_some(net::buffer(watch_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (!self->stream_buf_) return;
      if (ec) return self->close();  // the peer left: the stream ends
      self->watch_peer();
    });
  }

  void close() {
    busy_ = false;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    if (auto stream = std::move(stream_buf_)) stream->end();
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
  size_t header_bytes_ = 0;
  bool first_ = true;        // no request seen yet: the connection may still turn out to be HTTP/2
  bool handed_off_ = false;  // the socket now belongs to an HTTP/2 session
  // A streamed response in progress.
  std::shared_ptr<StreamBuffer> stream_buf_;
  std::string chunk_;
  std::string head_text_, body_text_;  // a plain response being written
  std::array<char, 512> watch_;
  bool header_sent_ = false;
  bool writing_chunk_ = false;
  bool chunked_ = true;
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
        shared->add(session);
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
    for (auto& c : impl_->shared->live()) c->shutdown();
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
