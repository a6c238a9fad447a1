#include "emulators/dynamodb_streams/actions/common.h"

namespace streamlab::dynamodb_streams {

Shape stream_arn_shape() { return string_shape().min(37).max(1024); }
Shape shard_id_shape() { return string_shape().min(28).max(65); }

AwsError resource_not_found(std::string m) { return {"ResourceNotFoundException", std::move(m), 400, true, {}}; }

Result<std::shared_ptr<Stream>> find_stream(DynamoDB& d, const std::string& arn) {
  auto s = d.find_stream(arn);
  if (!s) return resource_not_found("Requested resource not found: Stream: " + arn + " not found");
  return s;
}

std::pair<uint64_t, uint64_t> shard_bounds(DynamoDB& d, const Stream& s, const StreamShard& shard) {
  storage::TopicPartition tp{s.topic(), shard.index};
  uint64_t end = shard.open() ? d.log().head(tp) : shard.end_offset;
  uint64_t first = std::min(std::max(shard.start_offset, d.log().first_live(tp)), end);
  return {first, end};
}

}  // namespace streamlab::dynamodb_streams
