#pragma once
// Key schemas and secondary index definitions from CreateTable / UpdateTable input, checked
// with AWS's messages.
#include <string>
#include <vector>

#include "emulators/dynamodb/table.h"
#include "server/core/result.h"
#include "server/core/shape.h"

namespace streamlab::dynamodb {

Shape index_definition_shape(bool global);
Result<std::vector<std::pair<std::string, AttrType>>> parse_definitions(const json& in);
// A KeySchema list against the attribute definitions.
Result<KeySchema> parse_key_schema(const json& key_schema,
                                   const std::vector<std::pair<std::string, AttrType>>& definitions);
Result<SecondaryIndex> parse_index(const json& def, const std::vector<std::pair<std::string, AttrType>>& definitions,
                                   bool global, const std::string& billing_mode);
Throughput throughput_from(const json& provisioned);

}  // namespace streamlab::dynamodb
