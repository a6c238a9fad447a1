#include "server/http/http1_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <array>
#include <atomic>
#include <optional>

#include "server/core/encoding.h"
#include "server/http/h2_session.h"
#include "server/http/request_parser.h"
#include "server/http/stream_buffer.h"

namespace streamlab::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using std::chrono::milliseconds;

namespace {

constexpr size_t kStreamQueueCap = 8 << 20;  // streamed bytes waiting for a slow peer
constexpr size_t kReadChunk = 16 << 10;
constexpr auto kNever = SteadyClock::time_point::max();

class Session final : public Connection, public Expiring, public std::enable_shared_from_this<Session> {
 public:
  Session(WorkerSocket&& socket, Worker& worker, std::shared_ptr<Shared> shared)
      : socket_(std::move(socket)), worker_(worker), shared_(std::move(shared)) {
    boost::system::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    if (!ec) peer_ = ep.address().to_string() + ":" + std::to_string(ep.port());
    socket_.set_option(tcp::no_delay(true), ec);
  }
  ~Session() override {
    if (!handed_off_) shared_->connections--;  // else the HTTP/2 session owns the count
  }

  void start() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      self->worker_.track(self);
      self->wait_for_request();
    });
  }

  // Called on shutdown: an idle connection closes now, a busy one after its response, a
  // streamed response ends with what is queued.
  void shutdown() override {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      if (self->stream_buf_) return self->stream_buf_->finish();
      if (!self->busy_) self->close();
    });
  }

  void expire_if_due(SteadyClock::time_point now) override {
    if (now >= deadline_ && socket_.is_open()) close();
  }

 private:
  void deadline_in(int ms) { deadline_ = SteadyClock::now() + milliseconds(ms); }

  void wait_for_request() {
    if (shared_->stopping) return close();
    busy_ = false;
    parser_.reset();
    if (buffer_.size() > 0) return process();  // pipelined: the next request is already here
    deadline_in(shared_->options.idle_timeout_ms);
    read_some();
  }

  void read_some() {
    socket_.async_read_some(buffer_.prepare(kReadChunk), [self = shared_from_this()](beast::error_code ec, size_t n) {
      if (ec) return self->close();
      self->buffer_.commit(n);
      self->process();
    });
  }

  // Parses what is buffered: dispatches a complete request, or reads on with the deadline of
  // the phase the request is in.
  void process() {
    if (first_ && !sniff()) return;
    if (!parser_) {
      busy_ = true;
      parser_.emplace(shared_->options.header_limit, shared_->options.body_limit);
      header_bytes_ = 0;
      phase_ = Phase::header;
      deadline_in(shared_->options.header_timeout_ms);
    }
    while (buffer_.size() > 0 && !parser_->is_done()) {
      beast::error_code ec;
      bool in_header = !parser_->is_header_done();
      size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (in_header) {
        // Beast bounds only the unparsed tail (parsed fields are consumed): the total is bounded here.
        header_bytes_ += used;
        if (header_bytes_ > shared_->options.header_limit) return reply_and_close(431, "Request header fields too large");
        if (parser_->is_header_done()) parser_->eager(true);  // now the body, as much as is buffered
      }
      if (ec == bhttp::error::need_more) break;
      if (ec) return on_parse_error(ec);
      if (used == 0) break;
    }
    if (parser_->is_done()) return dispatch_request();
    if (!parser_->is_header_done()) {
      if (header_bytes_ + buffer_.size() > shared_->options.header_limit)
        return reply_and_close(431, "Request header fields too large");
      return read_some();
    }
    if (phase_ != Phase::body) {
      phase_ = Phase::body;
      deadline_in(shared_->options.body_timeout_ms);
      // curl and others hold a large body back until told to go on (RFC 9110 section 10.1.1).
      if (parser_->expects_continue()) {
        static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        return net::async_write(socket_, net::buffer(kContinue), [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return self->close();
          self->read_some();
        });
      }
    }
    read_some();
  }

  // The first bytes of a connection decide its version: the HTTP/2 preface or anything else.
  // False when the connection is no longer ours to parse (handed over, or undecided yet).
  bool sniff() {
    std::string_view seen(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    size_t n = std::min(seen.size(), kH2Preface.size());
    if (seen.substr(0, n) != kH2Preface.substr(0, n)) {
      first_ = false;
      return true;
    }
    if (seen.size() < kH2Preface.size()) {  // "P", "PR"...: not decided yet
      deadline_in(shared_->options.header_timeout_ms);
      read_some();
      return false;
    }
    handed_off_ = true;
    deadline_ = kNever;
    boost::system::error_code ec;
    auto protocol = socket_.local_endpoint(ec).protocol();
    int fd = ec ? -1 : socket_.release(ec);
    if (ec || fd < 0) {
      handed_off_ = false;
      close();
      return false;
    }
    TcpSocket h2(net::any_io_executor(socket_.get_executor()));
    h2.assign(protocol, fd, ec);
    if (ec) {
      ::close(fd);
      shared_->connections--;
      return false;
    }
    serve_h2(std::move(h2), std::string(seen), shared_);
    return false;
  }

  void on_parse_error(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return reply_and_close(413, "Request entity too large");
    if (ec == bhttp::error::header_limit) return reply_and_close(431, "Request header fields too large");
    // Malformed HTTP: answer 400 and close, as a strict server would.
    reply_and_close(400, "Bad request");
  }

  void reply_and_close(int status, const char* text) {
    Response r;
    r.status = status;
    r.set_header("Content-Type", "text/plain");
    r.set_header("x-amzn-RequestId", uuid_v4());
    r.body = text;
    keep_alive_ = false;
    head_ = false;
    phase_ = Phase::closing;
    deadline_in(5000);
    write_plain(std::move(r));
  }

  void dispatch_request() {
    keep_alive_ = parser_->keep_alive();
    version_ = parser_->version();
    head_ = parser_->is_head();
    deadline_ = kNever;
    phase_ = Phase::handler;
    Request request = std::move(parser_->request());
    request.peer = peer_;
    parser_.reset();
    uint64_t generation = ++generation_;
    Responder respond = [self = shared_from_this(), generation](Response response) {
      if (!self->claim(generation)) return;
      net::dispatch(self->socket_.get_executor(),
                    [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
    };
    try {
      shared_->handler(std::move(request), std::move(respond));
    } catch (const std::exception& e) {
      spdlog::error("request handler threw: {}", e.what());
      if (!claim(generation)) return;
      Response r;
      r.status = 500;
      r.body = "{\"__type\":\"InternalFailure\"}";
      write(std::move(r));
    }
  }

  // Exactly one response per request, whichever thread answers first.
  bool claim(uint64_t generation) {
    uint64_t expected = generation - 1;
    return answered_.compare_exchange_strong(expected, generation);
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
    deadline_in(shared_->options.body_timeout_ms);
    bhttp::async_write(socket_, *res, [self = shared_from_this(), res, keep](beast::error_code ec, size_t) {
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
    if (phase_ != Phase::closing) deadline_in(shared_->options.body_timeout_ms);
    net::async_write(socket_, buffers, [self = shared_from_this(), keep](beast::error_code ec, size_t) {
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
    deadline_in(shared_->options.body_timeout_ms);
    bhttp::async_write_header(socket_, *serializer,
                              [self = shared_from_this(), header, serializer](beast::error_code ec, size_t) {
                                if (ec || self->head_) return self->close();
                                self->header_sent_ = true;
                                self->deadline_ = kNever;
                                self->pump();
                              });
    if (head_) return;
    auto wake = [weak = weak_from_this(), ex = socket_.get_executor()] {
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
    deadline_in(shared_->options.body_timeout_ms);
    auto written = [self = shared_from_this(), last](beast::error_code ec, size_t) {
      self->writing_chunk_ = false;
      if (ec || last) return self->close();
      self->deadline_ = kNever;  // the producer may stay quiet for long
      self->pump();
    };
    if (last)
      net::async_write(socket_, bhttp::make_chunk_last(), std::move(written));
    else if (chunked_)
      net::async_write(socket_, bhttp::make_chunk(net::buffer(chunk_)), std::move(written));
    else
      net::async_write(socket_, net::buffer(chunk_), std::move(written));
  }

  void watch_peer() {
    socket_.async_read_some(net::buffer(watch_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (!self->stream_buf_) return;
      if (ec) return self->close();  // the peer left: the stream ends
      self->watch_peer();
    });
  }

  void close() {
    busy_ = false;
    phase_ = Phase::closing;
    deadline_ = kNever;
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    if (auto stream = std::move(stream_buf_)) stream->end();
  }

  enum class Phase { header, body, handler, closing };

  WorkerSocket socket_;
  Worker& worker_;
  std::shared_ptr<Shared> shared_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::string peer_;
  SteadyClock::time_point deadline_ = kNever;  // checked by the worker's sweep
  Phase phase_ = Phase::header;
  size_t header_bytes_ = 0;              // of the request being parsed
  uint64_t generation_ = 0;              // requests dispatched on this connection
  std::atomic<uint64_t> answered_{0};    // the last of them that got its response
  bool keep_alive_ = true;
  bool head_ = false;
  unsigned version_ = 11;
  bool busy_ = false;
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

void serve_http1(WorkerSocket&& socket, Worker& worker, std::shared_ptr<Shared> shared) {
  auto session = std::make_shared<Session>(std::move(socket), worker, shared);
  shared->add(session);
  session->start();
}

}  // namespace streamlab::http
