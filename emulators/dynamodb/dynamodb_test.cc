// The DynamoDB model and both services driven through their action tables with a manual clock:
// stream shard rollover and lineage, 24-hour retention, 15-minute iterators, TTL expiry, and the
// registry rebuilt from storage.
#include "emulators/dynamodb/dynamodb.h"

#include <gtest/gtest.h>

#include "emulators/dynamodb_streams/streams.h"

namespace streamlab::dynamodb {
namespace {

class Model : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions so;
    so.in_memory = true;
    so.path = "/ddb-model-test-" + std::to_string(reinterpret_cast<uintptr_t>(this));
    store_ = std::move(storage::Store::open(so).value());
    log_ = std::make_unique<storage::PartitionedLog>(*store_, clock_);
    open_model();
  }

  void open_model(size_t item_cache_bytes = DynamoOptions().item_cache_bytes) {
    DynamoOptions o;
    o.create_delay_ms = o.update_delay_ms = o.delete_delay_ms = 0;
    o.item_cache_bytes = item_cache_bytes;
    ddb_ = std::make_unique<DynamoDB>(*store_, *log_, clock_, o);
    ASSERT_TRUE(ddb_->load());
    service_ = make_service(*ddb_);
    streams_ = dynamodb_streams::make_service(*ddb_);
  }

  Context ctx() {
    Context c;
    c.account = "000000000000";
    c.region = "us-east-1";
    c.clock = &clock_;
    return c;
  }

  Result<json> call(ServiceDef& svc, const std::string& op, json in) {
    Action& a = svc.actions.at(op);
    if (auto s = a.input.check(in); !s) return s.error();
    return a.handler(ctx(), in);
  }
  json ok(ServiceDef& svc, const std::string& op, json in) {
    auto r = call(svc, op, std::move(in));
    EXPECT_TRUE(r) << op << ": " << (r ? "" : r.error().message);
    return r ? *r : json();
  }
  json ddb(const std::string& op, json in) { return ok(service_, op, std::move(in)); }
  json streams(const std::string& op, json in) { return ok(streams_, op, std::move(in)); }

  void create_table(const std::string& name, const std::string& view = "NEW_AND_OLD_IMAGES") {
    json in = {{"TableName", name},
               {"BillingMode", "PAY_PER_REQUEST"},
               {"AttributeDefinitions", {{{"AttributeName", "pk"}, {"AttributeType", "S"}}}},
               {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}}}}};
    if (!view.empty()) in["StreamSpecification"] = {{"StreamEnabled", true}, {"StreamViewType", view}};
    ddb("CreateTable", in);
  }
  void put(const std::string& table, const std::string& pk, json extra = json::object()) {
    json item = {{"pk", {{"S", pk}}}};
    for (auto& [k, v] : extra.items()) item[k] = v;
    ddb("PutItem", {{"TableName", table}, {"Item", item}});
  }
  std::string stream_arn(const std::string& table) {
    return ddb("DescribeTable", {{"TableName", table}})["Table"]["LatestStreamArn"];
  }
  std::vector<std::string> read_shard(const std::string& arn, const std::string& shard, json* last = nullptr) {
    std::string it = streams("GetShardIterator", {{"StreamArn", arn}, {"ShardId", shard},
                                                  {"ShardIteratorType", "TRIM_HORIZON"}})["ShardIterator"];
    std::vector<std::string> keys;
    for (int i = 0; i < 100; ++i) {
      json r = streams("GetRecords", {{"ShardIterator", it}});
      for (auto& rec : r["Records"]) keys.push_back(rec["dynamodb"]["Keys"]["pk"]["S"]);
      if (last) *last = r;
      if (!r.contains("NextShardIterator") || r["Records"].empty()) break;
      it = r["NextShardIterator"];
    }
    return keys;
  }

  ManualClock clock_{1700000000000};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::PartitionedLog> log_;
  std::unique_ptr<DynamoDB> ddb_;
  ServiceDef service_, streams_;
};

TEST_F(Model, ShardsRollOverIntoChildrenWithLineage) {
  create_table("rolling");
  put("rolling", "a");
  put("rolling", "b");
  clock_.advance_ms(5 * 3600 * 1000LL);
  ddb_->maintain();
  put("rolling", "c");
  std::string arn = stream_arn("rolling");
  json shards = streams("DescribeStream", {{"StreamArn", arn}})["StreamDescription"]["Shards"];
  ASSERT_EQ(shards.size(), 2u);
  EXPECT_FALSE(shards[0].contains("ParentShardId"));
  EXPECT_EQ(shards[1]["ParentShardId"], shards[0]["ShardId"]);
  EXPECT_TRUE(shards[0]["SequenceNumberRange"].contains("EndingSequenceNumber"));
  EXPECT_FALSE(shards[1]["SequenceNumberRange"].contains("EndingSequenceNumber"));
  json last;
  EXPECT_EQ(read_shard(arn, shards[0]["ShardId"], &last), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(last.contains("NextShardIterator"));
  EXPECT_EQ(read_shard(arn, shards[1]["ShardId"]), (std::vector<std::string>{"c"}));
  json children = streams("DescribeStream", {{"StreamArn", arn},
                                             {"ShardFilter", {{"Type", "CHILD_SHARDS"},
                                                              {"ShardId", shards[0]["ShardId"]}}}});
  ASSERT_EQ(children["StreamDescription"]["Shards"].size(), 1u);
  EXPECT_EQ(children["StreamDescription"]["Shards"][0]["ShardId"], shards[1]["ShardId"]);
  // Sequence numbers grow from parent to child.
  std::string end = shards[0]["SequenceNumberRange"]["EndingSequenceNumber"];
  std::string start = shards[1]["SequenceNumberRange"]["StartingSequenceNumber"];
  EXPECT_LT(end, start);
}

TEST_F(Model, RecordsExpireAfterTwentyFourHours) {
  create_table("retained");
  put("retained", "old");
  std::string arn = stream_arn("retained");
  std::string shard = streams("DescribeStream", {{"StreamArn", arn}})["StreamDescription"]["Shards"][0]["ShardId"];
  std::string it = streams("GetShardIterator", {{"StreamArn", arn}, {"ShardId", shard},
                                                {"ShardIteratorType", "TRIM_HORIZON"}})["ShardIterator"];
  std::string seq = streams("GetRecords", {{"ShardIterator", it}})["Records"][0]["dynamodb"]["SequenceNumber"];
  clock_.advance_ms(23 * 3600 * 1000LL);
  put("retained", "new");
  clock_.advance_ms(2 * 3600 * 1000LL);
  ddb_->maintain();
  std::vector<std::string> all;
  json shards = streams("DescribeStream", {{"StreamArn", arn}})["StreamDescription"]["Shards"];
  for (auto& sh : shards)
    for (auto& k : read_shard(arn, sh["ShardId"])) all.push_back(k);
  EXPECT_EQ(all, (std::vector<std::string>{"new"}));
  auto trimmed = call(streams_, "GetShardIterator", {{"StreamArn", arn}, {"ShardId", shard},
                                                     {"ShardIteratorType", "AT_SEQUENCE_NUMBER"},
                                                     {"SequenceNumber", seq}});
  ASSERT_FALSE(trimmed);
  EXPECT_EQ(trimmed.error().code, "TrimmedDataAccessException");
}

TEST_F(Model, IteratorsExpireAfterFifteenMinutes) {
  create_table("iterating");
  std::string arn = stream_arn("iterating");
  std::string shard = streams("DescribeStream", {{"StreamArn", arn}})["StreamDescription"]["Shards"][0]["ShardId"];
  std::string it = streams("GetShardIterator", {{"StreamArn", arn}, {"ShardId", shard},
                                                {"ShardIteratorType", "LATEST"}})["ShardIterator"];
  clock_.advance_ms(14 * 60 * 1000);
  EXPECT_TRUE(call(streams_, "GetRecords", {{"ShardIterator", it}}));
  clock_.advance_ms(2 * 60 * 1000);
  auto r = call(streams_, "GetRecords", {{"ShardIterator", it}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "ExpiredIteratorException");
  EXPECT_NE(r.error().message.find("tolerated delay of 900000 milliseconds"), std::string::npos);
  auto tampered = it;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  auto bad = call(streams_, "GetRecords", {{"ShardIterator", tampered}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "ValidationException");
}

TEST_F(Model, DisabledStreamsDisappearAfterTwentyFourHours) {
  create_table("fading");
  std::string arn = stream_arn("fading");
  ddb("UpdateTable", {{"TableName", "fading"}, {"StreamSpecification", {{"StreamEnabled", false}}}});
  EXPECT_EQ(streams("ListStreams", json::object())["Streams"].size(), 1u);
  clock_.advance_ms(25 * 3600 * 1000LL);
  ddb_->maintain();
  EXPECT_EQ(streams("ListStreams", json::object())["Streams"].size(), 0u);
  EXPECT_FALSE(call(streams_, "DescribeStream", {{"StreamArn", arn}}));
}

TEST_F(Model, TtlRemovesExpiredItemsAsTheService) {
  create_table("ttl", "OLD_IMAGE");
  ddb("UpdateTimeToLive", {{"TableName", "ttl"}, {"TimeToLiveSpecification", {{"Enabled", true}, {"AttributeName", "exp"}}}});
  int64_t now_s = clock_.now_ms() / 1000;
  put("ttl", "soon", {{"exp", {{"N", std::to_string(now_s + 60)}}}});
  put("ttl", "later", {{"exp", {{"N", std::to_string(now_s + 3600)}}}});
  EXPECT_EQ(ddb_->sweep_expired(), 0u);
  clock_.advance_ms(120 * 1000);
  EXPECT_EQ(ddb_->sweep_expired(), 1u);
  EXPECT_FALSE(ddb("GetItem", {{"TableName", "ttl"}, {"Key", {{"pk", {{"S", "soon"}}}}}}).contains("Item"));
  EXPECT_TRUE(ddb("GetItem", {{"TableName", "ttl"}, {"Key", {{"pk", {{"S", "later"}}}}}}).contains("Item"));
  std::string arn = stream_arn("ttl");
  std::string shard = streams("DescribeStream", {{"StreamArn", arn}})["StreamDescription"]["Shards"][0]["ShardId"];
  std::string it = streams("GetShardIterator", {{"StreamArn", arn}, {"ShardId", shard},
                                                {"ShardIteratorType", "TRIM_HORIZON"}})["ShardIterator"];
  json records = streams("GetRecords", {{"ShardIterator", it}})["Records"];
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2]["eventName"], "REMOVE");
  EXPECT_EQ(records[2]["userIdentity"], json({{"Type", "Service"}, {"PrincipalId", "dynamodb.amazonaws.com"}}));
  EXPECT_FALSE(records[0].contains("userIdentity"));
}

TEST_F(Model, RegistryIsRebuiltFromStorage) {
  create_table("durable");
  put("durable", "a", {{"n", {{"N", "1"}}}});
  put("durable", "b");
  std::string arn = stream_arn("durable");
  ddb_.reset();
  open_model();
  json table = ddb("DescribeTable", {{"TableName", "durable"}})["Table"];
  EXPECT_EQ(table["ItemCount"], 2);
  EXPECT_EQ(table["LatestStreamArn"], arn);
  put("durable", "c");
  std::string shard = streams("DescribeStream", {{"StreamArn", arn}})["StreamDescription"]["Shards"][0]["ShardId"];
  EXPECT_EQ(read_shard(arn, shard), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(ddb("GetItem", {{"TableName", "durable"}, {"Key", {{"pk", {{"S", "a"}}}}}})["Item"]["n"]["N"], "1");
}

TEST_F(Model, ItemCountsFollowWrites) {
  create_table("counted", "");
  for (int i = 0; i < 10; ++i) put("counted", "k" + std::to_string(i));
  ddb("DeleteItem", {{"TableName", "counted"}, {"Key", {{"pk", {{"S", "k0"}}}}}});
  put("counted", "k1", {{"x", {{"S", "longer value"}}}});
  json t = ddb("DescribeTable", {{"TableName", "counted"}})["Table"];
  EXPECT_EQ(t["ItemCount"], 9);
  // pk (2) + "kN" (2) per item, plus x (1) + 12 bytes on k1.
  EXPECT_EQ(t["TableSizeBytes"], 9 * 4 + 13);
}

// Reads answered from the item cache agree with storage through puts, updates, conditional
// failures, deletes and evictions (a cache of ~2 entries per stripe over 3,000 keys), and a
// table recreated under the same name never sees its predecessor's items.
TEST_F(Model, CachedItemsFollowEveryWrite) {
  ddb_.reset();
  open_model(ItemCache::kStripes * 600);
  create_table("cached");
  std::map<std::string, std::string> expected;  // pk -> v
  auto get = [&](const std::string& pk) -> std::optional<std::string> {
    json r = ddb("GetItem", {{"TableName", "cached"}, {"Key", {{"pk", {{"S", pk}}}}}});
    if (!r.contains("Item")) return std::nullopt;
    return r["Item"]["v"]["S"].get<std::string>();
  };
  auto key = [](uint64_t n) {
    std::string k = "k";  // not "k" + …: GCC 12 warns falsely about that
    k += std::to_string(n);
    return k;
  };
  uint64_t x = 12345;
  for (int i = 0; i < 20000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    std::string pk = key((x >> 33) % 3000), v = std::to_string(i);
    switch ((x >> 20) % 5) {
      case 0:
      case 1:
        put("cached", pk, {{"v", {{"S", v}}}});
        expected[pk] = v;
        break;
      case 2: {
        auto r = call(service_, "UpdateItem", {{"TableName", "cached"}, {"Key", {{"pk", {{"S", pk}}}}},
                                               {"UpdateExpression", "SET v = :v"},
                                               {"ConditionExpression", "attribute_exists(pk)"},
                                               {"ExpressionAttributeValues", {{":v", {{"S", v}}}}}});
        EXPECT_EQ(bool(r), expected.count(pk) == 1) << pk;
        if (r) expected[pk] = v;
        break;
      }
      case 3:
        ddb("DeleteItem", {{"TableName", "cached"}, {"Key", {{"pk", {{"S", pk}}}}}});
        expected.erase(pk);
        break;
      default: {
        auto it = expected.find(pk);
        ASSERT_EQ(get(pk), it == expected.end() ? std::nullopt : std::optional<std::string>(it->second)) << pk;
      }
    }
  }
  for (int k = 0; k < 3000; ++k) {
    std::string pk = key(k);
    auto it = expected.find(pk);
    ASSERT_EQ(get(pk), it == expected.end() ? std::nullopt : std::optional<std::string>(it->second)) << pk;
  }
  EXPECT_EQ(ddb("DescribeTable", {{"TableName", "cached"}})["Table"]["ItemCount"], expected.size());
  ddb("DeleteTable", {{"TableName", "cached"}});
  ddb_->maintain();
  create_table("cached");
  for (int k = 0; k < 3000; k += 7) EXPECT_EQ(get(key(k)), std::nullopt);
}

// PutItem answers JSON requests from its text handler: the same answer as the json one, for
// every optional member (old attributes of every type, capacity per index, collection metrics).
TEST_F(Model, PutItemTextAnswerMatchesTheJsonAnswer) {
  ddb("CreateTable",
      {{"TableName", "texty"},
       {"BillingMode", "PAY_PER_REQUEST"},
       {"AttributeDefinitions", {{{"AttributeName", "pk"}, {"AttributeType", "S"}},
                                 {{"AttributeName", "sk"}, {"AttributeType", "N"}},
                                 {{"AttributeName", "alt"}, {"AttributeType", "S"}}}},
       {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}}, {{"AttributeName", "sk"}, {"KeyType", "RANGE"}}}},
       {"LocalSecondaryIndexes",
        {{{"IndexName", "by_alt"},
          {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}}, {{"AttributeName", "alt"}, {"KeyType", "RANGE"}}}},
          {"Projection", {{"ProjectionType", "ALL"}}}}}}});
  json old_item = json::parse(R"({"pk": {"S": "h\"q\u0001é"}, "sk": {"N": "-1.50"}, "alt": {"S": "a"},
      "b": {"B": "AAE="}, "t": {"BOOL": true}, "z": {"NULL": true}, "ss": {"SS": ["x", "y"]},
      "ns": {"NS": ["2", "1e3"]}, "bs": {"BS": ["AQ=="]}, "l": {"L": [{"S": "in"}, {"N": "7"}]},
      "m": {"M": {"k": {"L": []}, "e": {"M": {}}}}})");
  json request = {{"TableName", "texty"},
                  {"Item", {{"pk", old_item["pk"]}, {"sk", old_item["sk"]}, {"v", {{"S", "new"}}}}},
                  {"ReturnValues", "ALL_OLD"},
                  {"ReturnConsumedCapacity", "INDEXES"},
                  {"ReturnItemCollectionMetrics", "SIZE"}};
  Action& put = service_.actions.at("PutItem");
  ASSERT_TRUE(put.json_text_handler);
  std::vector<json> answers;
  for (bool text : {true, false}) {
    ddb("PutItem", {{"TableName", "texty"}, {"Item", old_item}});
    json in = request;
    ASSERT_TRUE(put.input.check(in));
    if (text) {
      auto r = put.json_text_handler(ctx(), in);
      ASSERT_TRUE(r);
      answers.push_back(json::parse(*r));
    } else {
      auto r = put.handler(ctx(), in);
      ASSERT_TRUE(r);
      answers.push_back(*r);
    }
  }
  EXPECT_EQ(answers[0], answers[1]);
  EXPECT_TRUE(answers[0].contains("Attributes"));
  EXPECT_TRUE(answers[0].contains("ConsumedCapacity"));
  EXPECT_TRUE(answers[0].contains("ItemCollectionMetrics"));
  json in = {{"TableName", "texty"}, {"Item", {{"pk", {{"S", "fresh"}}}, {"sk", {{"N", "1"}}}}}};
  ASSERT_TRUE(put.input.check(in));
  EXPECT_EQ(put.json_text_handler(ctx(), in).value(), "{}");
}

}  // namespace
}  // namespace streamlab::dynamodb
