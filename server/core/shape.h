#pragma once
// Input shapes declared as data, and the engine that checks a decoded request against
// them with AWS's exact wording:
//   - wrong JSON types -> SerializationException ("class java.lang.String can not be ...")
//   - constraint failures -> ValidationException
//     "N validation error(s) detected: Value 'x' at 'streamName' failed to satisfy constraint: ..."
// Unknown members are dropped, as AWS ignores them.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "server/core/result.h"

namespace streamlab {

struct PatternMatcher;

enum class ShapeType { String, Integer, Long, Double, Boolean, Blob, Timestamp, List, Map, Structure };

class Shape {
 public:
  Shape() = default;
  explicit Shape(ShapeType t) : type_(t) {}

  // Builders (chainable). min/max: length for String/Blob/List/Map, value for numbers.
  Shape& min(double v) { min_ = v; return *this; }
  Shape& max(double v) { max_ = v; return *this; }
  Shape& pattern(std::string p);
  Shape& one_of(std::vector<std::string> values) { enum_ = std::move(values); return *this; }
  Shape& required() { required_ = true; return *this; }
  // The Java class AWS names when it prints a list of these structures in a message.
  Shape& java_class(std::string name) { java_class_ = std::move(name); return *this; }
  // Query/XML protocols (SQS, SNS): the wire name of a member, list element or map key/value
  // (botocore's locationName), and whether a list or map is flattened. JSON codecs ignore both.
  Shape& xml_name(std::string n) { xml_name_ = std::move(n); return *this; }
  Shape& flattened() { flattened_ = true; return *this; }

  ShapeType type() const { return type_; }
  bool is_required() const { return required_; }

  // Type-check and constraint-check `input` (a JSON object) in place.
  Status check(nlohmann::json& input) const;

  // Whether nothing in this shape's subtree is constrained (required, min/max, pattern, enum):
  // the constraint pass skips such subtrees (AttributeValue maps are all of a DynamoDB item).
  bool unconstrained() const;
  // Works out unconstrained() once for this shape and every shape reachable from it; called when
  // an action is registered, after its shapes are complete. Without it the answer is recomputed.
  void finalize();

  // Construction helpers used by the free functions below.
  std::vector<std::pair<std::string, Shape>> members_;
  std::shared_ptr<Shape> element_;  // list member or map value
  std::shared_ptr<Shape> key_;      // map key

  ShapeType type_ = ShapeType::Structure;
  std::optional<double> min_, max_;
  std::string pattern_;
  std::shared_ptr<const PatternMatcher> matcher_;  // compiled once, shared by copies
  std::vector<std::string> enum_;
  bool required_ = false;
  std::string java_class_;
  std::string xml_name_;
  bool flattened_ = false;
  int8_t free_ = -1;  // unconstrained(), once finalize() has worked it out; -1 until then
};

inline Shape string_shape() { return Shape(ShapeType::String); }
inline Shape integer_shape() { return Shape(ShapeType::Integer); }
inline Shape long_shape() { return Shape(ShapeType::Long); }
inline Shape double_shape() { return Shape(ShapeType::Double); }
inline Shape boolean_shape() { return Shape(ShapeType::Boolean); }
inline Shape blob_shape() { return Shape(ShapeType::Blob); }
inline Shape timestamp_shape() { return Shape(ShapeType::Timestamp); }
Shape list_shape(Shape element);
Shape map_shape(Shape key, Shape value);
Shape structure_shape(std::vector<std::pair<std::string, Shape>> members);

}  // namespace streamlab
