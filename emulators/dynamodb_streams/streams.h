#pragma once
// DynamoDB Streams: the read side of the change logs the DynamoDB model writes (the model owns
// streams and shards; this service lists, describes and reads them). JSON 1.0,
// "DynamoDBStreams_20120810.*", signed as "dynamodb", DynamoDB's error namespace.
#include "emulators/dynamodb/dynamodb.h"
#include "server/core/action.h"

namespace streamlab::dynamodb_streams {

ServiceDef make_service(dynamodb::DynamoDB& ddb);

}  // namespace streamlab::dynamodb_streams
