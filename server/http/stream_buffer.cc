#include "server/http/stream_buffer.h"

#include <algorithm>
#include <cstring>

namespace streamlab::http {

StreamBuffer::StreamBuffer(size_t cap, std::shared_ptr<std::atomic<size_t>> connection_queued, size_t connection_cap,
                           std::function<void()> wake)
    : cap_(cap),
      connection_queued_(std::move(connection_queued)),
      connection_cap_(connection_cap),
      wake_(std::move(wake)) {}

StreamBuffer::~StreamBuffer() {
  if (connection_queued_) *connection_queued_ -= queued_;
}

bool StreamBuffer::write(std::string bytes) {
  bool wake = false;
  bool ok = true;
  {
    std::lock_guard lock(mu_);
    if (finished_ || overflow_ || ended_) return false;
    if (bytes.empty()) return true;
    size_t n = bytes.size();
    bool over = queued_ + n > cap_;
    if (!over && connection_queued_ && connection_queued_->fetch_add(n) + n > connection_cap_) {
      *connection_queued_ -= n;
      over = true;
    }
    if (over) {
      // The peer is not reading: drop the stream rather than hold memory for it.
      overflow_ = true;
      ok = false;
      wake = true;
    } else {
      queued_ += n;
      queue_.push_back(std::move(bytes));
      wake = !wake_pending_;
      wake_pending_ = true;
    }
  }
  if (wake) wake_();
  return ok;
}

void StreamBuffer::finish() {
  {
    std::lock_guard lock(mu_);
    if (finished_ || ended_) return;
    finished_ = true;
  }
  wake_();
}

bool StreamBuffer::closed() const {
  std::lock_guard lock(mu_);
  return finished_ || overflow_ || ended_;
}

size_t StreamBuffer::buffered_bytes() const {
  std::lock_guard lock(mu_);
  return queued_;
}

void StreamBuffer::on_close(std::function<void()> callback) {
  {
    std::lock_guard lock(mu_);
    if (!ended_) {
      callbacks_.push_back(std::move(callback));
      return;
    }
  }
  callback();
}

void StreamBuffer::rearm() {
  std::lock_guard lock(mu_);
  wake_pending_ = false;
}

void StreamBuffer::release(size_t n) {
  queued_ -= n;
  if (connection_queued_) *connection_queued_ -= n;
}

size_t StreamBuffer::take(char* out, size_t max) {
  std::lock_guard lock(mu_);
  size_t copied = 0;
  while (copied < max && !queue_.empty()) {
    auto& front = queue_.front();
    size_t n = std::min(max - copied, front.size() - front_offset_);
    std::memcpy(out + copied, front.data() + front_offset_, n);
    copied += n;
    front_offset_ += n;
    if (front_offset_ == front.size()) {
      queue_.pop_front();
      front_offset_ = 0;
    }
  }
  release(copied);
  return copied;
}

std::string StreamBuffer::take_all() {
  std::lock_guard lock(mu_);
  std::string out;
  if (queue_.size() == 1 && front_offset_ == 0) {
    out = std::move(queue_.front());
  } else {
    out.reserve(queued_);
    for (size_t i = 0; i < queue_.size(); ++i) out.append(queue_[i], i == 0 ? front_offset_ : 0);
  }
  queue_.clear();
  front_offset_ = 0;
  release(queued_);
  return out;
}

bool StreamBuffer::overflowed() const {
  std::lock_guard lock(mu_);
  return overflow_;
}

bool StreamBuffer::done() const {
  std::lock_guard lock(mu_);
  return finished_ && queue_.empty();
}

void StreamBuffer::end() {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(mu_);
    if (ended_) return;
    ended_ = true;
    callbacks.swap(callbacks_);
    queue_.clear();
    front_offset_ = 0;
    release(queued_);
  }
  // Outside the lock: a callback may call back into this stream.
  for (auto& cb : callbacks) cb();
}

}  // namespace streamlab::http
