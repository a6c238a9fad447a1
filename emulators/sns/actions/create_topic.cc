#include "emulators/sns/actions/common.h"

namespace streamlab::sns {
namespace {

bool valid_name(const std::string& name, bool fifo) {
  std::string base = fifo ? name.substr(0, name.size() - 5) : name;
  if (base.empty() || name.size() > 256) return false;
  for (char c : base)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

}  // namespace

SnsAction create_topic(Sns& s) {
  Shape input = structure_shape({
      {"Name", string_shape()},
      {"Attributes", attribute_map_shape()},
      {"Tags", tag_list_shape()},
      {"DataProtectionPolicy", string_shape()},
  });
  Shape output = structure_shape({{"TopicArn", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto name = required(in, "Name", "name");
             if (!name) return name.error();
             auto attributes = string_map(in.value("Attributes", json::object()));
             bool fifo_name = name->size() > 5 && name->compare(name->size() - 5, 5, ".fifo") == 0;
             std::string fifo_attr = attributes.count("FifoTopic") ? attributes["FifoTopic"] : "";
             for (auto& c : fifo_attr) c = char(std::tolower(static_cast<unsigned char>(c)));
             if (fifo_attr == "true") {
               if (!fifo_name || !valid_name(*name, true))
                 return invalid_parameter(
                     "Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII "
                     "letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.");
             } else if (fifo_name || !valid_name(*name, false)) {
               // A .fifo name without FifoTopic=true is not a valid standard topic name.
               return invalid_parameter("Invalid parameter: Topic Name");
             }
             if (!fifo_attr.empty() && fifo_attr != "true" && fifo_attr != "false")
               return invalid_parameter("Invalid parameter: Attributes Reason: FifoTopic");
             auto tags = tags_of(in.value("Tags", json::array()));
             if (!tags) return tags.error();
             if (tags->size() > 50)
               return sns_error("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded");
             std::string dpp = in.value("DataProtectionPolicy", "");
             if (!dpp.empty() && json::parse(dpp, nullptr, false).is_discarded())
               return invalid_parameter("Invalid parameter: DataProtectionPolicy");
             auto arn = s.create_topic(ctx, *name, attributes, *tags, dpp);
             if (!arn) return arn.error();
             return json{{"TopicArn", *arn}};
           }};
  return {a, output};
}

}  // namespace streamlab::sns
