#include "server/lab/progress_book.h"

#include <gtest/gtest.h>

namespace streamlab::lab {
namespace {

Request call(std::string method, std::string access_key, std::string body = "") {
  Request r;
  r.method = std::move(method);
  r.path = r.target = "/_streamlab/progress";
  r.body = std::move(body);
  if (access_key.empty()) return r;
  r.headers.push_back({"x-amz-date", "20261128T174602Z"});
  r.headers.push_back({"authorization", "AWS4-HMAC-SHA256 Credential=" + access_key +
                                          "/20261128/us-east-1/streamlab/aws4_request, SignedHeaders=host;x-amz-date, "
                                          "Signature=00"});
  return r;
}

class ProgressBookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions o;
    o.path = "/progress-book";
    o.in_memory = true;
    auto s = storage::Store::open(o);
    ASSERT_TRUE(s);
    store = std::move(*s);
    book = std::make_unique<ProgressBook>(*store, clock);
  }
  json get(const std::string& key) {
    Response r = book->handle(call("GET", key));
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }
  ManualClock clock{1795887962000};
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<ProgressBook> book;
};

TEST_F(ProgressBookTest, RecordsQuizAndCheckPerAccount) {
  ASSERT_EQ(book->handle(call("POST", "111111111111", R"({"module":"M7","quiz":{"score":3,"of":3}})")).status, 200);
  ASSERT_EQ(book->handle(call("POST", "111111111111", R"({"module":"M7","quiz":{"score":1,"of":3}})")).status, 200);
  ASSERT_EQ(book->handle(call("POST", "222222222222",
                              R"({"module":"M1","check":{"passed":true,"endpoint":"http://h:1"}})")).status, 200);
  json a = get("111111111111"), b = get("222222222222"), other = get("test");
  EXPECT_EQ(a["account"], "111111111111");
  EXPECT_EQ(a["modules"]["M7"]["quiz"]["best"], 3);
  EXPECT_EQ(a["modules"]["M7"]["quiz"]["score"], 1);
  EXPECT_EQ(a["modules"]["M7"]["quiz"]["at"], "2026-11-28T17:46:02Z");
  EXPECT_FALSE(a["modules"].contains("M1"));
  EXPECT_EQ(b["modules"]["M1"]["check"]["passed"], true);
  EXPECT_FALSE(b["modules"].contains("M7"));
  EXPECT_EQ(other["account"], "000000000000");  // a non-numeric access key is the default account
  EXPECT_TRUE(other["modules"].empty());
  json all = book->all();
  EXPECT_EQ(all.size(), 2u);
  EXPECT_EQ(all["222222222222"]["modules"]["M1"]["check"]["last"], "passed");
}

TEST_F(ProgressBookTest, KeepsPassedOnceAfterALaterFailure) {
  book->handle(call("POST", "test", R"({"module":"M2","check":{"passed":true}})"));
  clock.advance_ms(60000);
  book->handle(call("POST", "test", R"({"module":"M2","check":{"passed":false}})"));
  json p = get("test")["modules"]["M2"]["check"];
  EXPECT_EQ(p["passed"], true);
  EXPECT_EQ(p["last"], "failed");
}

TEST_F(ProgressBookTest, RefusesUnsignedCallsAndBadBodies) {
  EXPECT_EQ(book->handle(call("GET", "")).status, 403);
  EXPECT_EQ(book->handle(call("PUT", "test")).status, 405);
  for (const char* body : {"", "[]", "{\"module\":\"M7\"}", "{\"module\":\"X7\",\"quiz\":{\"score\":1,\"of\":3}}",
                           "{\"module\":\"M07\",\"quiz\":{\"score\":1,\"of\":3}}",
                           "{\"module\":\"M7\",\"quiz\":{\"score\":4,\"of\":3}}",
                           "{\"module\":\"M7\",\"quiz\":{\"score\":\"2\",\"of\":3}}",
                           "{\"module\":\"M7\",\"check\":{\"passed\":\"yes\"}}",
                           "{\"module\":\"M7\",\"check\":{\"passed\":true},\"quiz\":{\"score\":1,\"of\":3}}"}) {
    Response r = book->handle(call("POST", "test", body));
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_TRUE(json::parse(r.body).contains("message")) << body;
  }
  EXPECT_TRUE(get("test")["modules"].empty());
}

}  // namespace
}  // namespace streamlab::lab
