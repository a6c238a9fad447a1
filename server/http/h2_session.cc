#include "server/http/h2_session.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <nghttp2/nghttp2.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstring>
#include <unordered_map>

#include "server/core/encoding.h"
#include "server/http/stream_buffer.h"

namespace streamlab::http {
namespace net = boost::asio;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

constexpr uint32_t kMaxConcurrentStreams = 128;
constexpr int32_t kStreamWindow = 1 << 20;        // receive window per stream
constexpr int32_t kConnectionWindow = 16 << 20;   // receive window for the whole connection
constexpr size_t kStreamQueueCap = 8 << 20;       // streamed bytes waiting for the peer, per stream
constexpr size_t kConnectionQueueCap = 64 << 20;  // ... and for all streams of a connection
constexpr size_t kRequestBodyBudget = 64 << 20;   // request bodies buffered for a connection's streams
constexpr size_t kWriteBatch = 256 << 10;         // bytes gathered from nghttp2 per socket write
constexpr size_t kPauseReadFrames = 512;          // stop reading while this many frames wait to go out

struct H2Stream {
  int32_t id = 0;
  Request request;
  std::string authority;
  size_t header_bytes = 0;
  int reject = 0;  // 413 or 431 once a limit is exceeded (503: refused, no response)
  bool dispatched = false;
  bool responded = false;
  bool head = false;
  SteadyClock::time_point deadline = SteadyClock::time_point::max();  // for the request to arrive
  SteadyClock::time_point progress;                                    // last DATA handed to nghttp2
  std::string body;  // fixed response body
  size_t offset = 0;
  std::shared_ptr<StreamBuffer> stream;  // streamed response body

  bool output_pending() const { return stream ? stream->buffered_bytes() > 0 : offset < body.size(); }
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Values that differ in every response: adding them to the HPACK dynamic table would only
// evict the entries that do repeat (and cost a table search per response).
bool unique_per_response(std::string_view name) {
  return name == "x-amzn-requestid" || name == "x-amz-id-2" || name == "x-amz-crc32" || name == "date";
}

// RFC 9113 §8.2.2: these must not appear in HTTP/2.
bool connection_specific(std::string_view name) {
  return name == "connection" || name == "keep-alive" || name == "transfer-encoding" || name == "upgrade" ||
         name == "proxy-connection" || name == "te";
}

class H2Session final : public Connection, public std::enable_shared_from_this<H2Session> {
 public:
  H2Session(TcpSocket&& socket, std::shared_ptr<Shared> shared)
      : socket_(std::move(socket)), executor_(socket_.get_executor()), timer_(executor_), shared_(std::move(shared)) {
    boost::system::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    if (!ec) peer_ = ep.address().to_string() + ":" + std::to_string(ep.port());
  }
  ~H2Session() override {
    close();
    if (ng_) nghttp2_session_del(ng_);
  }

  void start(std::string received) {
    spdlog::debug("HTTP/2 (h2c) connection from {}", peer_);
    if (!create_session()) return close();
    auto now = SteadyClock::now();
    preface_deadline_ = now + milliseconds(shared_->options.header_timeout_ms);
    last_active_ = now;
    shared_->add(shared_from_this());
    if (shared_->stopping) goaway();
    if (!feed(reinterpret_cast<const uint8_t*>(received.data()), received.size())) return;
    read();
    tick();
  }

  void shutdown() override {
    net::dispatch(executor_, [self = shared_from_this()] { self->goaway(); });
  }

 private:
  bool create_session() {
    nghttp2_session_callbacks* cb = nullptr;
    if (nghttp2_session_callbacks_new(&cb) != 0) return false;
    nghttp2_session_callbacks_set_on_begin_headers_callback(cb, on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame_recv);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data_chunk);
    nghttp2_session_callbacks_set_on_frame_send_callback(cb, on_frame_send);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_stream_close);
    nghttp2_option* opt = nullptr;
    nghttp2_option_new(&opt);
    nghttp2_option_set_no_closed_streams(opt, 1);  // we keep no priority tree: free closed streams at once
    int rv = nghttp2_session_server_new2(&ng_, cb, this, opt);
    nghttp2_option_del(opt);
    nghttp2_session_callbacks_del(cb);
    if (rv != 0) return false;
    nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, uint32_t(kStreamWindow)},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, uint32_t(shared_->options.header_limit)},
        {NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES, 1},
    };
    nghttp2_submit_settings(ng_, NGHTTP2_FLAG_NONE, settings, std::size(settings));
    nghttp2_session_set_local_window_size(ng_, NGHTTP2_FLAG_NONE, 0, kConnectionWindow);
    return true;
  }

  // --- socket I/O -------------------------------------------------------------------------

  bool feed(const uint8_t* data, size_t n) {
    in_nghttp2_ = true;
    ssize_t rv = nghttp2_session_mem_recv(ng_, data, n);
    in_nghttp2_ = false;
    if (rv < 0) {
      // Protocol errors are answered by nghttp2 itself (GOAWAY); these are the rest.
      spdlog::debug("h2 {}: {}", peer_, nghttp2_strerror(int(rv)));
      nghttp2_session_terminate_session(
          ng_, rv == NGHTTP2_ERR_FLOODED ? NGHTTP2_ENHANCE_YOUR_CALM : NGHTTP2_PROTOCOL_ERROR);
    }
    flush();
    return !closed_;
  }

  void read() {
    if (closed_ || reading_ || !nghttp2_session_want_read(ng_)) return;
    // A peer that sends but does not read would otherwise pile up responses.
    read_paused_ = writing_ && nghttp2_session_get_outbound_queue_size(ng_) > kPauseReadFrames;
    if (read_paused_) return;
    reading_ = true;
    socket_.async_read_some(net::buffer(in_), [self = shared_from_this()](boost::system::error_code ec, size_t n) {
      self->reading_ = false;
      if (ec || self->closed_) return self->close();
      if (self->feed(self->in_.data(), n)) self->read();
    });
  }

  void flush() {
    if (in_nghttp2_ || writing_ || closed_) return;
    out_.clear();
    in_nghttp2_ = true;
    ssize_t n = 0;
    while (out_.size() < kWriteBatch) {
      const uint8_t* data = nullptr;
      n = nghttp2_session_mem_send(ng_, &data);
      if (n <= 0) break;
      out_.append(reinterpret_cast<const char*>(data), size_t(n));
    }
    in_nghttp2_ = false;
    if (n < 0) {
      spdlog::debug("h2 {}: {}", peer_, nghttp2_strerror(int(n)));
      return close();
    }
    if (out_.empty()) {
      if (!nghttp2_session_want_read(ng_) && !nghttp2_session_want_write(ng_)) close();
      return;
    }
    writing_ = true;
    write_started_ = SteadyClock::now();
    net::async_write(socket_, net::buffer(out_), [self = shared_from_this()](boost::system::error_code ec, size_t) {
      self->writing_ = false;
      if (ec) return self->close();
      self->flush();
      if (self->read_paused_) self->read();
    });
  }

  // One timer per connection enforces every deadline, at a quarter of the shortest one.
  void tick() {
    auto& o = shared_->options;
    int shortest = std::min({o.idle_timeout_ms, o.header_timeout_ms, o.body_timeout_ms});
    timer_.expires_after(milliseconds(std::clamp(shortest / 4, 20, 1000)));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->closed_) return;
      self->sweep();
      self->tick();
    });
  }

  void sweep() {
    auto now = SteadyClock::now();
    auto& o = shared_->options;
    auto body_timeout = milliseconds(o.body_timeout_ms);
    if ((writing_ && now - write_started_ > body_timeout) || (!preface_done_ && now > preface_deadline_)) {
      spdlog::debug("h2 {}: timed out", peer_);
      return close();
    }
    for (auto& [id, st] : streams_) {
      bool slow_request = !st->dispatched && !st->reject && now > st->deadline;
      bool stuck_response = st->responded && st->output_pending() && now - st->progress > body_timeout;
      if (slow_request || stuck_response) nghttp2_submit_rst_stream(ng_, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
    }
    if (streams_.empty() && !goaway_sent_ && now - last_active_ > milliseconds(o.idle_timeout_ms)) {
      goaway_sent_ = true;
      nghttp2_session_terminate_session(ng_, NGHTTP2_NO_ERROR);
    }
    flush();
  }

  // Graceful: streams up to the last one seen finish; later ones are refused (safe to retry).
  void goaway() {
    if (closed_ || goaway_sent_) return;
    goaway_sent_ = true;
    nghttp2_submit_goaway(ng_, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(ng_), NGHTTP2_NO_ERROR,
                          nullptr, 0);
    for (auto& [id, st] : streams_)
      if (st->stream) st->stream->finish();  // streamed bodies end with what is queued
    flush();
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    boost::system::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    auto streams = std::move(streams_);
    streams_.clear();
    last_found_ = nullptr;
    for (auto& [id, st] : streams)
      if (st->stream) st->stream->end();
    shared_->connections--;
  }

  // --- requests and responses ---------------------------------------------------------------

  // Every header of a request looks its stream up: remember the last one found.
  H2Stream* find(int32_t id) {
    if (last_found_ && last_found_->id == id) return last_found_;
    auto it = streams_.find(id);
    last_found_ = it == streams_.end() ? nullptr : it->second.get();
    return last_found_;
  }

  void dispatch(H2Stream& st) {
    st.dispatched = true;
    st.deadline = SteadyClock::time_point::max();
    body_bytes_ -= st.request.body.size();
    Request request = std::move(st.request);
    st.request.body.clear();  // moved from; keeps body_bytes_ exact when the stream closes
    size_t q = request.target.find('?');
    request.path = url_decode(std::string_view(request.target).substr(0, q), false);
    if (q != std::string::npos) request.query = request.target.substr(q + 1);
    // The JS SDK signs :authority; everything above this layer reads `host`.
    if (!st.authority.empty() && !request.has_header("host")) request.headers.emplace_back("host", st.authority);
    st.head = request.method == "HEAD";
    int32_t id = st.id;
    auto once = std::make_shared<std::atomic<bool>>(false);
    Responder respond = [weak = weak_from_this(), id, once](Response response) {
      if (once->exchange(true)) return;
      auto self = weak.lock();
      if (!self) return;  // the connection is gone; nobody is waiting for this response
      net::dispatch(self->executor_, [self, id, response = std::move(response)]() mutable {
        self->respond(id, std::move(response));
      });
    };
    try {
      shared_->handler(std::move(request), respond);
    } catch (const std::exception& e) {
      spdlog::error("request handler threw: {}", e.what());
      Response r;
      r.status = 500;
      r.body = "{\"__type\":\"InternalFailure\"}";
      respond(std::move(r));
    }
  }

  void reject(H2Stream& st) {
    Response r;
    r.status = st.reject;
    r.set_header("content-type", "text/plain");
    r.set_header("x-amzn-requestid", uuid_v4());
    r.body = st.reject == 413 ? "Request entity too large" : "Request header fields too large";
    body_bytes_ -= st.request.body.size();
    st.request = Request();
    respond(st.id, std::move(r));
  }

  void respond(int32_t id, Response r) {
    H2Stream* st = find(id);
    if (!st || st->responded || closed_) return;  // reset by the peer meanwhile
    st->responded = true;
    bool streamed = bool(r.on_stream);
    bool bodyless = r.status == 204 || r.status == 304 || r.status < 200;
    // nghttp2 copies names and values during submit, so they may point into `r` and locals.
    std::string status = std::to_string(r.status), length;
    std::vector<std::string> lowered;  // names sent in another case (rare: services write lower case)
    lowered.reserve(r.headers.size());
    std::vector<nghttp2_nv> nv;
    nv.reserve(r.headers.size() + 2);
    auto add = [&nv](std::string_view k, std::string_view v) {
      nv.push_back({(uint8_t*)k.data(), (uint8_t*)v.data(), k.size(), v.size(),
                    unique_per_response(k) ? uint8_t(NGHTTP2_NV_FLAG_NO_INDEX) : uint8_t(NGHTTP2_NV_FLAG_NONE)});
    };
    add(":status", status);
    bool has_length = false;
    for (auto& [k, v] : r.headers) {
      std::string_view name = k;
      if (std::any_of(k.begin(), k.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) name = lowered.emplace_back(lower(k));
      if (connection_specific(name) || (streamed && name == "content-length")) continue;
      has_length |= name == "content-length";
      add(name, v);
    }
    if (!streamed && !has_length && !bodyless) {
      length = std::to_string(r.body.size());
      add("content-length", length);
    }

    bool send_body = false;
    if (streamed && !st->head && !bodyless) {
      auto wake = [weak = weak_from_this(), ex = executor_, id] {
        net::post(ex, [weak, id] {
          if (auto self = weak.lock()) self->on_stream_data(id);
        });
      };
      st->stream = std::make_shared<StreamBuffer>(kStreamQueueCap, queued_, kConnectionQueueCap, std::move(wake));
      send_body = true;
    } else if (!streamed && !st->head && !bodyless) {
      st->body = std::move(r.body);
      send_body = !st->body.empty();
    }
    st->progress = SteadyClock::now();
    nghttp2_data_provider provider{};
    provider.source.ptr = st;
    provider.read_callback = read_body;
    if (int rv = nghttp2_submit_response(ng_, id, nv.data(), nv.size(), send_body ? &provider : nullptr); rv != 0) {
      spdlog::debug("h2 {}: cannot respond on stream {}: {}", peer_, id, nghttp2_strerror(rv));
      if (st->stream) st->stream->end();
      return;
    }
    if (st->stream) {
      auto stream = st->stream;  // the callback may run nghttp2-free code that outlives *st
      try {
        r.on_stream(stream);
      } catch (const std::exception& e) {
        spdlog::error("stream callback threw: {}", e.what());
        stream->finish();
      }
    }
    flush();
  }

  // A producer queued bytes, finished, or overflowed its cap.
  void on_stream_data(int32_t id) {
    H2Stream* st = find(id);
    if (closed_ || !st || !st->stream) return;
    st->stream->rearm();
    if (st->stream->overflowed())
      nghttp2_submit_rst_stream(ng_, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
    else
      nghttp2_session_resume_data(ng_, id);  // fails harmlessly when the stream was not deferred
    flush();
  }

  // --- nghttp2 callbacks ----------------------------------------------------------------------

  static H2Session& self(void* user_data) { return *static_cast<H2Session*>(user_data); }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* ud) {
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    auto& s = self(ud);
    auto st = std::make_unique<H2Stream>();
    st->id = frame->hd.stream_id;
    s.last_active_ = SteadyClock::now();
    st->deadline = s.last_active_ + milliseconds(s.shared_->options.header_timeout_ms);
    st->request.peer = s.peer_;
    s.streams_[st->id] = std::move(st);
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t namelen,
                       const uint8_t* value, size_t valuelen, uint8_t, void* ud) {
    auto& s = self(ud);
    H2Stream* st = s.find(frame->hd.stream_id);
    if (!st || st->reject) return 0;
    st->header_bytes += namelen + valuelen + 32;  // RFC 9113 §6.5.2's accounting
    if (st->header_bytes > s.shared_->options.header_limit) {
      st->reject = 431;  // answered once the header block ends
      return 0;
    }
    std::string_view n(reinterpret_cast<const char*>(name), namelen);
    std::string_view v(reinterpret_cast<const char*>(value), valuelen);
    if (n == ":method") st->request.method = v;
    else if (n == ":path") st->request.target = v;
    else if (n == ":authority") st->authority = v;
    else if (n.empty() || n[0] != ':') st->request.headers.emplace_back(n, v);  // nghttp2 checked: lower case
    return 0;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* ud) {
    auto& s = self(ud);
    auto type = frame->hd.type;
    if (type == NGHTTP2_SETTINGS) s.preface_done_ = true;
    if (type != NGHTTP2_HEADERS && type != NGHTTP2_DATA) return 0;
    H2Stream* st = s.find(frame->hd.stream_id);
    if (!st) return 0;
    if (type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
      st->deadline = SteadyClock::now() + milliseconds(s.shared_->options.body_timeout_ms);
      if (st->reject) s.reject(*st);
    }
    if ((frame->hd.flags & NGHTTP2_FLAG_END_STREAM) && !st->reject && !st->dispatched) s.dispatch(*st);
    return 0;
  }

  static int on_data_chunk(nghttp2_session*, uint8_t, int32_t id, const uint8_t* data, size_t len, void* ud) {
    auto& s = self(ud);
    H2Stream* st = s.find(id);
    if (!st || st->reject) return 0;
    if (st->request.body.size() + len > s.shared_->options.body_limit) {
      // A 413 the client can read, then RST_STREAM(NO_ERROR) once it is sent (on_frame_send).
      st->reject = 413;
      s.reject(*st);
      return 0;
    }
    if (s.body_bytes_ + len > std::max(kRequestBodyBudget, s.shared_->options.body_limit)) {
      // Many streams each sending a large body at once: refuse this one (the client may retry it).
      nghttp2_submit_rst_stream(s.ng_, NGHTTP2_FLAG_NONE, id, NGHTTP2_REFUSED_STREAM);
      st->reject = 503;
      s.body_bytes_ -= st->request.body.size();
      st->request = Request();
      return 0;
    }
    s.body_bytes_ += len;
    st->request.body.append(reinterpret_cast<const char*>(data), len);
    return 0;
  }

  static int on_frame_send(nghttp2_session* ng, const nghttp2_frame* frame, void* ud) {
    auto type = frame->hd.type;
    int32_t id = frame->hd.stream_id;
    if ((type == NGHTTP2_DATA || type == NGHTTP2_HEADERS) && (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) &&
        self(ud).find(id) && !nghttp2_session_get_stream_remote_close(ng, id)) {
      // Answered before the request ended (413/431): tell the client to stop sending (RFC 9113 §8.1).
      nghttp2_submit_rst_stream(ng, NGHTTP2_FLAG_NONE, id, NGHTTP2_NO_ERROR);
    }
    return 0;
  }

  static int on_stream_close(nghttp2_session*, int32_t id, uint32_t, void* ud) {
    auto& s = self(ud);
    auto it = s.streams_.find(id);
    if (it == s.streams_.end()) return 0;
    auto st = std::move(it->second);
    s.streams_.erase(it);
    s.last_found_ = nullptr;
    s.body_bytes_ -= st->request.body.size();  // a request reset before it was complete
    s.last_active_ = SteadyClock::now();
    if (st->stream) st->stream->end();  // finished, reset by the peer, or cancelled by us
    return 0;
  }

  static ssize_t read_body(nghttp2_session* ng, int32_t id, uint8_t* buf, size_t length, uint32_t* flags,
                           nghttp2_data_source* source, void*) {
    auto* st = static_cast<H2Stream*>(source->ptr);
    st->progress = SteadyClock::now();
    if (!st->stream) {
      size_t n = std::min(length, st->body.size() - st->offset);
      std::memcpy(buf, st->body.data() + st->offset, n);
      st->offset += n;
      if (st->offset == st->body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
      return ssize_t(n);
    }
    if (st->stream->overflowed()) {  // the peer does not keep up: drop the stream, as on_stream_data does
      nghttp2_submit_rst_stream(ng, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
      return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
    size_t n = st->stream->take(reinterpret_cast<char*>(buf), length);
    if (st->stream->done()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    else if (n == 0) return NGHTTP2_ERR_DEFERRED;  // resumed by on_stream_data
    return ssize_t(n);
  }

  TcpSocket socket_;
  net::any_io_executor executor_;
  net::steady_timer timer_;
  std::shared_ptr<Shared> shared_;
  nghttp2_session* ng_ = nullptr;
  std::string peer_;
  std::array<uint8_t, 64 << 10> in_;
  std::string out_;
  std::unordered_map<int32_t, std::unique_ptr<H2Stream>> streams_;
  H2Stream* last_found_ = nullptr;  // find()'s cache; cleared whenever a stream is erased
  std::shared_ptr<std::atomic<size_t>> queued_ = std::make_shared<std::atomic<size_t>>(0);
  size_t body_bytes_ = 0;  // request bodies of streams not dispatched yet
  SteadyClock::time_point preface_deadline_, last_active_, write_started_;
  bool in_nghttp2_ = false;  // inside mem_recv/mem_send: their callbacks must not re-enter them
  bool reading_ = false, read_paused_ = false, writing_ = false;
  bool preface_done_ = false, goaway_sent_ = false, closed_ = false;
};

}  // namespace

void serve_h2(TcpSocket&& socket, std::string received, std::shared_ptr<Shared> shared) {
  std::make_shared<H2Session>(std::move(socket), std::move(shared))->start(std::move(received));
}

}  // namespace streamlab::http
