#pragma once
// A quick reader for the JSON that SDKs send (ASCII keys and values, plain integers, simple
// escapes). It builds exactly the nlohmann::json tree nlohmann's own parser would, and gives up
// (nullopt) on anything else — \u escapes, non-ASCII bytes, fractions and exponents, very long
// numbers, deep nesting, or any syntax error — so that nlohmann decides those cases, errors
// included. It exists because nlohmann's lexer copies every character one at a time, which
// dominated the cost of a 500-record PutRecords.
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace streamlab::protocol {

std::optional<nlohmann::json> quick_parse_json(std::string_view text);

}  // namespace streamlab::protocol
