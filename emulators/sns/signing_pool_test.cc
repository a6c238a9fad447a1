// The signing pool: every task runs exactly once, failures come back to the caller, and one Signer
// used from several threads at once makes signatures that all verify with its certificate.
#include "emulators/sns/signing_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "emulators/sns/envelope.h"
#include "emulators/sns/signer.h"

namespace streamlab::sns {
namespace {

TEST(SigningPool, RunsEveryTaskOnceAcrossRuns) {
  SigningPool pool(4);
  pool.start();
  for (size_t n : {0, 1, 2, 7, 128, 1000}) {
    std::vector<std::atomic<int>> runs(n);
    std::mutex mu;
    std::set<std::thread::id> threads;
    pool.run(n, [&](size_t i) {
      runs[i]++;
      std::lock_guard lock(mu);
      threads.insert(std::this_thread::get_id());
    });
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(runs[i].load(), 1) << "task " << i << " of " << n;
  }
  pool.stop();
  int ran = 0;  // stopped: the caller alone
  pool.run(5, [&](size_t) { ++ran; });
  EXPECT_EQ(ran, 5);
}

TEST(SigningPool, RethrowsTheFirstFailureAfterTheRest) {
  SigningPool pool(3);
  pool.start();
  std::atomic<int> ran{0};
  EXPECT_THROW(pool.run(50,
                        [&](size_t i) {
                          ++ran;
                          if (i == 17) throw std::runtime_error("boom");
                        }),
               std::runtime_error);
  EXPECT_EQ(ran.load(), 50);
  ran = 0;  // and the pool still works
  pool.run(10, [&](size_t) { ++ran; });
  EXPECT_EQ(ran.load(), 10);
}

TEST(SigningPool, RunHereUsesTheThreadsPoolElseTheCaller) {
  EXPECT_EQ(SigningPool::of_this_thread(), nullptr);
  int ran = 0;
  SigningPool::run_here(3, [&](size_t) { ++ran; });
  EXPECT_EQ(ran, 3);
  SigningPool pool(2);
  {
    SigningPool::Use use(pool);
    EXPECT_EQ(SigningPool::of_this_thread(), &pool);
  }
  EXPECT_EQ(SigningPool::of_this_thread(), nullptr);
}

TEST(SigningPool, ConcurrentSignaturesAllVerify) {
  auto signer = Signer::generate();
  ASSERT_TRUE(signer);
  const Signer& s = **signer;
  constexpr size_t kEnvelopes = 400;
  std::vector<std::string> texts(kEnvelopes), signatures(kEnvelopes);
  for (size_t i = 0; i < kEnvelopes; ++i) {
    Envelope e;
    e.message_id = "id-" + std::to_string(i);
    e.topic_arn = "arn:aws:sns:us-east-1:000000000000:t";
    e.message = "message " + std::to_string(i) + std::string(i % 50, 'x');
    e.timestamp = iso_timestamp(int64_t(i) * 1000);
    texts[i] = canonical_string(e);
  }
  SigningPool pool(8);  // more threads than cores, to overlap as much as possible
  pool.start();
  pool.run(kEnvelopes, [&](size_t i) { signatures[i] = s.sign(texts[i], i % 2 ? 2 : 1); });
  pool.stop();
  for (size_t i = 0; i < kEnvelopes; ++i) {
    ASSERT_FALSE(signatures[i].empty()) << i;
    EXPECT_TRUE(Signer::verify(s.certificate_pem(), texts[i], signatures[i], i % 2 ? 2 : 1)) << i;
    // Each signature belongs to its own text: not the neighbour's.
    EXPECT_FALSE(Signer::verify(s.certificate_pem(), texts[(i + 1) % kEnvelopes], signatures[i], i % 2 ? 2 : 1)) << i;
  }
}

}  // namespace
}  // namespace streamlab::sns
