#pragma once
// Writing JSON text directly, for hot paths whose responses are large and regular (GetRecords)
// where building an nlohmann::json tree first would dominate the cost.
#include <string>
#include <string_view>

namespace streamlab {

// Appends `s` (valid UTF-8) as a quoted JSON string.
void append_json_string(std::string& out, std::string_view s);
// Appends `s` escaped as the body of a JSON string, without quotes: \" \\ \n \r \t \b \f, other
// controls as \u00xx, in upper-case hex when `upper_hex` (Jackson's way, which SNS envelopes show).
void append_json_escaped(std::string& out, std::string_view s, bool upper_hex = false);

}  // namespace streamlab
