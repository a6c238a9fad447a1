// The DynamoDB Streams action table.
#include "server/core/crc32.h"
#include "emulators/dynamodb_streams/actions/common.h"
#include "emulators/dynamodb_streams/streams.h"

namespace streamlab::dynamodb_streams {

ServiceDef make_service(DynamoDB& d) {
  ServiceDef s;
  s.name = "dynamodbstreams";
  s.target_prefix = "DynamoDBStreams_20120810";
  s.json_version = JsonVersion::v1_0;
  s.error_namespace = "com.amazonaws.dynamodb.v20120810#";
  s.actions = {
      {"DescribeStream", describe_stream(d)},
      {"GetRecords", get_records(d)},
      {"GetShardIterator", get_shard_iterator(d)},
      {"ListStreams", list_streams(d)},
  };
  s.finalize_response = [](Response& r) { r.set_header("x-amz-crc32", std::to_string(crc32(r.body))); };
  return s;
}

}  // namespace streamlab::dynamodb_streams
