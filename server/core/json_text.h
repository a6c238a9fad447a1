#pragma once
// Writing JSON text directly, for hot paths whose responses are large and regular (GetRecords)
// where building an nlohmann::json tree first would dominate the cost.
#include <string>
#include <string_view>

namespace streamlab {

// Appends `s` (valid UTF-8) as a quoted JSON string.
void append_json_string(std::string& out, std::string_view s);

}  // namespace streamlab
