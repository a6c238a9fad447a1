#pragma once
// Turning a PutRecord input or a PutRecords entry into a RecordInput, with AWS's checks of the
// explicit hash key and of the stream's maximum record size.
#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

// `in` has passed the action's shape check (PartitionKey and Data present, Data valid base64).
Result<RecordInput> parse_record_input(const Stream& stream, const json& in);

}  // namespace streamlab::kinesis
