// The DynamoDB Streams action table.
#include "emulators/dynamodb_streams/actions/common.h"
#include "emulators/dynamodb_streams/streams.h"
#include "emulators/dynamodb/wire.h"

namespace streamlab::dynamodb_streams {

ServiceDef make_service(DynamoDB& d) {
  ServiceDef s = dynamodb::dynamodb_wire_service("dynamodbstreams", "DynamoDBStreams_20120810");
  s.actions = {
      {"DescribeStream", describe_stream(d)},
      {"GetRecords", get_records(d)},
      {"GetShardIterator", get_shard_iterator(d)},
      {"ListStreams", list_streams(d)},
  };
  return s;
}

}  // namespace streamlab::dynamodb_streams
