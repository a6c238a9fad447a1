#pragma once
// Pieces shared by the DynamoDB Streams actions.
#include <memory>
#include <string>

#include "emulators/dynamodb/dynamodb.h"
#include "server/core/action.h"

namespace streamlab::dynamodb_streams {

using dynamodb::DynamoDB;
using dynamodb::Stream;
using dynamodb::StreamShard;
using json = nlohmann::json;

Shape stream_arn_shape();
Shape shard_id_shape();
AwsError resource_not_found(std::string message);
Result<std::shared_ptr<Stream>> find_stream(DynamoDB& d, const std::string& arn);
// The log offsets a shard's records occupy: [first live, end) (end = head while open).
std::pair<uint64_t, uint64_t> shard_bounds(DynamoDB& d, const Stream& s, const StreamShard& shard);

Action list_streams(DynamoDB& d);
Action describe_stream(DynamoDB& d);
Action get_shard_iterator(DynamoDB& d);
Action get_records(DynamoDB& d);

}  // namespace streamlab::dynamodb_streams
