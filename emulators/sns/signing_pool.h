#pragma once
// A few threads that sign a fan-out batch's envelopes side by side. An RSA signature is ~70 us of
// one core, and a batch holds up to 128 of them: signed one after another they kept one core busy
// while the others idled. The calling thread (the fan-out thread) works too, so a pool of
// parallelism N runs N - 1 threads of its own; without them (not started, or one core) everything
// runs on the caller.
//
// The fan-out thread owns its pool (FanoutQueue's worker starts it, and stops and joins it on its
// way out) and names it for the handler through of_this_thread(); run_pending() on a test's thread
// has none, and signs there.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace streamlab::sns {

class SigningPool {
 public:
  // hardware_concurrency(), at least 1, at most 8: beyond that the fan-out's other work dominates.
  static size_t default_parallelism();

  explicit SigningPool(size_t parallelism = default_parallelism());
  ~SigningPool();
  SigningPool(const SigningPool&) = delete;
  SigningPool& operator=(const SigningPool&) = delete;

  // The pool the calling thread named with Use, or null.
  static SigningPool* of_this_thread();
  // Names `pool` as the calling thread's for this scope.
  class Use {
   public:
    explicit Use(SigningPool& pool);
    ~Use();
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;

   private:
    SigningPool* previous_;
  };
  // run() on this thread's pool, else on the calling thread alone.
  static void run_here(size_t n, const std::function<void(size_t)>& task);

  void start();
  void stop();  // joins the threads; run() keeps working, on the caller alone

  // Runs task(0) … task(n - 1), spread over the pool and the calling thread, and returns once all
  // have run. The first exception a task throws is rethrown here, after the others finished.
  void run(size_t n, const std::function<void(size_t)>& task);

 private:
  void worker();
  void drain(const std::function<void(size_t)>& task, size_t n);

  size_t parallelism_;
  std::mutex run_mu_;  // one run at a time
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  const std::function<void(size_t)>* task_ = nullptr;  // the run in progress, under mu_
  size_t n_ = 0;
  uint64_t generation_ = 0;
  size_t active_ = 0;  // pool threads inside the current run
  bool stopping_ = false;
  std::exception_ptr error_;
  std::atomic<size_t> next_{0};
  std::vector<std::thread> threads_;
};

}  // namespace streamlab::sns
