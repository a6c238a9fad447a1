#pragma once
#include <string_view>

namespace streamlab::dynamodb {

// Case-insensitive: "Attribute name is a reserved keyword; reserved keyword: x".
bool is_reserved_word(std::string_view name);

}  // namespace streamlab::dynamodb
