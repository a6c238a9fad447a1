#pragma once
// Turning a PutRecord input or a PutRecords entry into a RecordInput, with AWS's checks of the
// explicit hash key and of the stream's maximum record size.
#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

// `path` is the member path for messages ("" for PutRecord, "records.N.member." for entries).
Result<RecordInput> parse_record_input(const Stream& stream, const json& in, const std::string& path);

}  // namespace streamlab::kinesis
