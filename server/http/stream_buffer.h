#pragma once
// The ResponseStream both HTTP versions hand to producers: a bounded, thread-safe queue.
// Producers write from any thread; the transport drains it on its connection's thread,
// woken through `wake` (which must post, never run inline).
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/core/request.h"

namespace streamlab::http {

class StreamBuffer final : public ResponseStream {
 public:
  // `connection_queued` (optional) is shared by every stream of one connection, so many
  // streams that are never read cannot add up beyond `connection_cap` either.
  StreamBuffer(size_t cap, std::shared_ptr<std::atomic<size_t>> connection_queued, size_t connection_cap,
               std::function<void()> wake);
  ~StreamBuffer() override;

  // Producer side (any thread).
  bool write(std::string bytes) override;
  void finish() override;
  bool closed() const override;
  size_t buffered_bytes() const override;
  void on_close(std::function<void()> callback) override;

  // Transport side (the connection's thread).
  void rearm();                        // call before draining, so a later write wakes again
  size_t take(char* out, size_t max);  // moves up to max queued bytes out
  std::string take_all();
  bool overflowed() const;  // a write exceeded a cap: reset the stream
  bool done() const;        // finished and nothing left to send
  void end();               // the stream is over: runs the on_close callbacks once

 private:
  void release(size_t n);

  mutable std::mutex mu_;
  std::deque<std::string> queue_;
  size_t front_offset_ = 0;
  size_t queued_ = 0;
  bool finished_ = false;
  bool overflow_ = false;
  bool ended_ = false;
  bool wake_pending_ = false;
  std::vector<std::function<void()>> callbacks_;
  const size_t cap_;
  std::shared_ptr<std::atomic<size_t>> connection_queued_;
  const size_t connection_cap_;
  std::function<void()> wake_;
};

}  // namespace streamlab::http
