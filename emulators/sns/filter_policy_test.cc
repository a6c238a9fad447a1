// Filter policies, table-driven: the examples of AWS's SNS developer guide (message filtering,
// string/numeric value matching, key matching, AND/OR logic, payload-based filtering) and the
// exact messages AWS returns for malformed policies.
#include "emulators/sns/filter_policy.h"

#include <gtest/gtest.h>

namespace streamlab::sns {
namespace {

// The guide's running example: a store's order event as attributes ...
const char* kStoreAttributes = R"({
  "customer_interests": {"Type": "String.Array", "Value": "[\"soccer\", \"rugby\", \"hockey\"]"},
  "store": {"Type": "String", "Value": "example_corp"},
  "event": {"Type": "String", "Value": "order_placed"},
  "price_usd": {"Type": "Number", "Value": "210.75"}
})";
// ... and as a message body.
const char* kStoreBody = R"({
  "store": "example_corp", "event": "order_placed",
  "customer_interests": ["soccer", "rugby", "hockey"], "price_usd": 210.75
})";

MessageAttributes attrs(const std::string& text) {
  MessageAttributes out;
  json j = json::parse(text);
  for (auto& [k, v] : j.items()) {
    MessageAttribute a;
    a.data_type = v["Type"];
    a.value = v["Value"];
    a.binary = a.data_type.rfind("Binary", 0) == 0;
    out[k] = a;
  }
  return out;
}

struct Case {
  const char* name;
  const char* policy;
  FilterScope scope;
  std::string attributes;  // name -> {Type, Value}; ignored for body scope
  const char* body;
  bool match;
};

constexpr auto A = FilterScope::MessageAttributes;
constexpr auto B = FilterScope::MessageBody;

std::string one(const char* name, const char* type, const char* value) {
  return std::string("{\"") + name + "\": {\"Type\": \"" + type + "\", \"Value\": " + json(value).dump() + "}}";
}

const Case kCases[] = {  // NOLINT(cert-err58-cpp)
    // The complete example policy of the guide, on attributes and on the body.
    {"guide example, attributes",
     R"({"store":["example_corp"],"event":[{"anything-but":"order_cancelled"}],"customer_interests":["rugby","football","baseball"],"price_usd":[{"numeric":[">=",100]}]})",
     A, kStoreAttributes, "", true},
    {"guide example, body",
     R"({"store":["example_corp"],"event":[{"anything-but":"order_cancelled"}],"customer_interests":["rugby","football","baseball"],"price_usd":[{"numeric":[">=",100]}]})",
     B, "{}", kStoreBody, true},
    {"guide example fails on price", R"({"store":["example_corp"],"price_usd":[{"numeric":["<",100]}]})", A,
     kStoreAttributes, "", false},
    {"guide example fails on event", R"({"event":[{"anything-but":"order_placed"}]})", A, kStoreAttributes, "", false},
    // Exact string matching.
    {"exact string", R"({"store":["example_corp"]})", A, kStoreAttributes, "", true},
    {"exact string, other value", R"({"store":["other_corp"]})", A, kStoreAttributes, "", false},
    {"exact string is case-sensitive", R"({"store":["Example_Corp"]})", A, kStoreAttributes, "", false},
    {"OR within a list", R"({"customer_interests":["rugby","tennis"]})", A, kStoreAttributes, "", true},
    {"OR within a list, none", R"({"customer_interests":["tennis","golf"]})", A, kStoreAttributes, "", false},
    {"String.Array member", R"({"customer_interests":["hockey"]})", A, kStoreAttributes, "", true},
    {"missing attribute never matches a value", R"({"color":["red"]})", A, kStoreAttributes, "", false},
    {"string does not match a Number attribute", R"({"price_usd":["210.75"]})", A, kStoreAttributes, "", false},
    {"binary attributes are ignored", R"({"blob":[{"exists":true}]})", A,
     R"({"blob": {"Type": "Binary", "Value": "AAEC"}})", "", false},
    {"null does not match an absent attribute", R"({"attr1":[null]})", A, "{}", "", false},
    // Anything-but.
    {"anything-but list", R"({"customer_interests":[{"anything-but":["rugby","tennis"]}]})", A,
     one("customer_interests", "String", "baseball"), "", true},
    {"anything-but list, listed value", R"({"customer_interests":[{"anything-but":["rugby","tennis"]}]})", A,
     one("customer_interests", "String", "rugby"), "", false},
    {"anything-but single value", R"({"event":[{"anything-but":"order_cancelled"}]})", A, kStoreAttributes, "", true},
    {"anything-but needs the key", R"({"event":[{"anything-but":"order_cancelled"}]})", A, "{}", "", false},
    {"anything-but with null alternative", R"({"attr1":[null,{"anything-but":"whatever"}]})", A, "{}", "", false},
    {"anything-but prefix, other", R"({"event":[{"anything-but":{"prefix":"order-"}}]})", A,
     one("event", "String", "data-entry"), "", true},
    {"anything-but prefix, underscore", R"({"event":[{"anything-but":{"prefix":"order-"}}]})", A,
     one("event", "String", "order_number"), "", true},
    {"anything-but prefix, prefixed", R"({"event":[{"anything-but":{"prefix":"order-"}}]})", A,
     one("event", "String", "order-cancelled"), "", false},
    {"anything-but numbers, 101", R"({"price_usd":[{"anything-but":[100,500]}]})", A,
     one("price_usd", "Number", "101"), "", true},
    {"anything-but numbers, 499", R"({"price_usd":[{"anything-but":[100,500]}]})", A,
     one("price_usd", "Number", "499"), "", true},
    {"anything-but numbers, 100", R"({"price_usd":[{"anything-but":[100,500]}]})", A,
     one("price_usd", "Number", "100"), "", false},
    {"anything-but numbers, 500.0", R"({"price_usd":[{"anything-but":[100,500]}]})", A,
     one("price_usd", "Number", "500.0"), "", false},
    // Equals-ignore-case.
    {"equals-ignore-case TENNIS", R"({"customer_interests":[{"equals-ignore-case":"tennis"}]})", A,
     one("customer_interests", "String", "TENNIS"), "", true},
    {"equals-ignore-case Tennis", R"({"customer_interests":[{"equals-ignore-case":"tennis"}]})", A,
     one("customer_interests", "String", "Tennis"), "", true},
    {"equals-ignore-case other", R"({"customer_interests":[{"equals-ignore-case":"tennis"}]})", A,
     one("customer_interests", "String", "tennis ball"), "", false},
    // Prefix and suffix.
    {"prefix baseball", R"({"customer_interests":[{"prefix":"bas"}]})", A,
     one("customer_interests", "String", "baseball"), "", true},
    {"prefix basketball", R"({"customer_interests":[{"prefix":"bas"}]})", A,
     one("customer_interests", "String", "basketball"), "", true},
    {"prefix rugby", R"({"customer_interests":[{"prefix":"bas"}]})", A,
     one("customer_interests", "String", "rugby"), "", false},
    {"suffix baseball", R"({"customer_interests":[{"suffix":"ball"}]})", A,
     one("customer_interests", "String", "baseball"), "", true},
    {"suffix basketball", R"({"customer_interests":[{"suffix":"ball"}]})", A,
     one("customer_interests", "String", "basketball"), "", true},
    {"suffix rugby", R"({"customer_interests":[{"suffix":"ball"}]})", A,
     one("customer_interests", "String", "rugby"), "", false},
    {"prefix on a String.Array member", R"({"customer_interests":[{"prefix":"hock"}]})", A, kStoreAttributes, "",
     true},
    // IP address matching.
    {"cidr inside", R"({"source_ip":[{"cidr":"10.0.0.0/24"}]})", A, one("source_ip", "String", "10.0.0.255"),
     "", true},
    {"cidr outside", R"({"source_ip":[{"cidr":"10.0.0.0/24"}]})", A, one("source_ip", "String", "10.0.1.0"),
     "", false},
    {"cidr v6", R"({"source_ip":[{"cidr":"2001:db8::/32"}]})", A,
     one("source_ip", "String", "2001:db8:1::1"), "", true},
    // Numeric matching.
    {"numeric equals 301.5", R"({"price_usd":[{"numeric":["=",301.5]}]})", A,
     one("price_usd", "Number", "301.5"), "", true},
    {"numeric equals 3.015e2", R"({"price_usd":[{"numeric":["=",301.5]}]})", A,
     one("price_usd", "Number", "3.015e2"), "", true},
    {"numeric equals other", R"({"price_usd":[{"numeric":["=",301.5]}]})", A,
     one("price_usd", "Number", "301.6"), "", false},
    {"exact number literal", R"({"price_usd":[301.5]})", A, one("price_usd", "Number", "301.50"), "", true},
    {"less than zero", R"({"price_usd":[{"numeric":["<",0]}]})", A, one("price_usd", "Number", "-0.5"), "",
     true},
    {"less than zero, zero", R"({"price_usd":[{"numeric":["<",0]}]})", A, one("price_usd", "Number", "0"), "",
     false},
    {"range (0,150], 150", R"({"price_usd":[{"numeric":[">",0,"<=",150]}]})", A,
     one("price_usd", "Number", "150"), "", true},
    {"range (0,150], 0", R"({"price_usd":[{"numeric":[">",0,"<=",150]}]})", A,
     one("price_usd", "Number", "0"), "", false},
    {"range (0,150], 150.00001", R"({"price_usd":[{"numeric":[">",0,"<=",150]}]})", A,
     one("price_usd", "Number", "150.00001"), "", false},
    {"range >= 100", R"({"price_usd":[{"numeric":[">=",100]}]})", A, kStoreAttributes, "", true},
    {"numeric does not compare strings", R"({"price_usd":[{"numeric":[">",0]}]})", A,
     one("price_usd", "String", "12"), "", false},
    {"five digits after the point", R"({"price_usd":[{"numeric":["=",0.000001]}]})", A,
     one("price_usd", "Number", "0"), "", true},
    // Key matching.
    {"exists true", R"({"store":[{"exists":true}]})", A, kStoreAttributes, "", true},
    {"exists true, absent", R"({"store":[{"exists":true}]})", A, one("event", "String", "x"), "", false},
    {"exists false, absent", R"({"store":[{"exists":false}]})", A, one("event", "String", "x"), "", true},
    {"exists false, present", R"({"store":[{"exists":false}]})", A, kStoreAttributes, "", false},
    {"exists false or a value", R"({"store":[{"exists":false},"example_corp"]})", A, kStoreAttributes, "", true},
    // AND / OR.
    {"AND across keys", R"({"customer_interests":["rugby"],"price_usd":[{"numeric":[">",100]}]})", A,
     kStoreAttributes, "", true},
    {"AND across keys, one fails", R"({"customer_interests":["rugby"],"price_usd":[{"numeric":[">",300]}]})", A,
     kStoreAttributes, "", false},
    {"$or first branch",
     R"({"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]})", A,
     R"({"source":{"Type":"String","Value":"aws.cloudwatch"},"metricName":{"Type":"String","Value":"CPUUtilization"}})",
     "", true},
    {"$or second branch",
     R"({"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]})", A,
     R"({"source":{"Type":"String","Value":"aws.cloudwatch"},"namespace":{"Type":"String","Value":"AWS/EC2"}})", "",
     true},
    {"$or neither branch",
     R"({"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]})", A,
     R"({"source":{"Type":"String","Value":"aws.cloudwatch"},"namespace":{"Type":"String","Value":"AWS/ES"}})", "",
     false},
    {"$or needs the AND key",
     R"({"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]})", A,
     R"({"source":{"Type":"String","Value":"aws.events"},"namespace":{"Type":"String","Value":"AWS/EC2"}})", "",
     false},
    {"nested $or",
     R"({"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"metricType":["MetricType"],"$or":[{"metricId":[1234,4321]},{"spaceId":[1000,2000,3000]}]}]})",
     A,
     R"({"source":{"Type":"String","Value":"aws.cloudwatch"},"metricType":{"Type":"String","Value":"MetricType"},"spaceId":{"Type":"Number","Value":"2000"}})",
     "", true},
    {"nested $or, inner fails",
     R"({"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"metricType":["MetricType"],"$or":[{"metricId":[1234,4321]},{"spaceId":[1000,2000,3000]}]}]})",
     A,
     R"({"source":{"Type":"String","Value":"aws.cloudwatch"},"metricType":{"Type":"String","Value":"MetricType"},"spaceId":{"Type":"Number","Value":"2500"}})",
     "", false},
    // Payload-based filtering.
    {"body exact", R"({"store":["example_corp"]})", B, "{}", kStoreBody, true},
    {"body array member", R"({"customer_interests":["rugby"]})", B, "{}", kStoreBody, true},
    {"body numeric", R"({"price_usd":[{"numeric":[">",200]}]})", B, "{}", kStoreBody, true},
    {"body string vs number", R"({"price_usd":["210.75"]})", B, "{}", kStoreBody, false},
    {"body not JSON", R"({"store":["example_corp"]})", B, "{}", "store=example_corp", false},
    {"body JSON but not an object", R"({"store":["example_corp"]})", B, "{}", "[\"example_corp\"]", false},
    {"body nested prefix", R"({"object":{"key":[{"prefix":"auto-"}]}})", B, "{}",
     R"({"object":{"key":"auto-test"}})", true},
    {"body nested prefix, other", R"({"object":{"key":[{"prefix":"auto-"}]}})", B, "{}",
     R"({"object":{"key":"home-test"}})", false},
    {"body dotted key in policy", R"({"object.nested":["string.value"]})", B, "{}",
     R"({"object":{"nested":"string.value"}})", true},
    {"body dotted key in body", R"({"object":{"nested":["string.value"]}})", B, "{}",
     R"({"object.nested":"string.value"})", true},
    {"body deep dotted", R"({"object":{"nested":{"test":["string.value"]}}})", B, "{}",
     R"({"object.nested":{"test":"string.value"}})", true},
    {"body array of objects", R"({"Records":{"s3":{"object":{"key":[{"prefix":"auto-"}]}}}})", B, "{}",
     R"({"Records":[{"s3":{"object":{"key":"home-1.xml"}}},{"s3":{"object":{"key":"auto-2.xml"}}}]})", true},
    {"body keys matched within one array element",
     R"({"Records":{"eventName":["ObjectRemoved:Delete"],"s3":{"object":{"key":[{"prefix":"auto-"}]}}}})", B, "{}",
     R"({"Records":[{"eventName":"ObjectCreated:Put","s3":{"object":{"key":"auto-1"}}},{"eventName":"ObjectRemoved:Delete","s3":{"object":{"key":"home-1"}}}]})",
     false},
    {"body exists on a leaf", R"({"detail":{"state":[{"exists":true}]}})", B, "{}",
     R"({"detail":{"state":"running"}})", true},
    {"body exists not on an object", R"({"detail":[{"exists":true}]})", B, "{}", R"({"detail":{"state":"running"}})",
     false},
    {"body null literal", R"({"state":[null]})", B, "{}", R"({"state":null})", true},
    {"body boolean literal", R"({"enabled":[true]})", B, "{}", R"({"enabled":true})", true},
    {"body boolean literal, false", R"({"enabled":[true]})", B, "{}", R"({"enabled":false})", false},
    {"body $or", R"({"$or":[{"a":["1"]},{"b":[{"numeric":[">",5]}]}]})", B, "{}", R"({"b":9})", true},
    {"empty policy matches everything", "{}", A, "{}", "", true},
};

TEST(FilterPolicy, DocumentedExamples) {
  ASSERT_GE(std::size(kCases), 60u);
  for (auto& c : kCases) {
    auto p = FilterPolicy::compile(c.policy, c.scope, false);
    ASSERT_TRUE(p) << c.name << ": " << p.error().message;
    EXPECT_EQ((*p)->matches(attrs(c.attributes), c.body), c.match) << c.name;
  }
}

struct ErrorCase {
  const char* policy;
  FilterScope scope;
  bool subscribe;
  const char* message;
};

const ErrorCase kErrors[] = {
    {R"({"key":[["value"]]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Match value must be String, number, true, false, or null\n"
     " at [Source: (String)\"{\"key\":[[\"value\"]]}\"; line: 1, column: 10]"},
    {R"({"key":[{"wrong-operator":true}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized match type wrong-operator\n"
     " at [Source: (String)\"{\"key\":[{\"wrong-operator\":true}]}\"; line: 1, column: 31]"},
    {R"({"key":[{"suffix":"value","prefix":"value2"}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Only one key allowed in match expression\n"
     " at [Source: (String)\"{\"key\":[{\"suffix\":\"value\",\"prefix\":\"value2\"}]}\"; line: 1, column: 37]"},
    {R"({"key":[{"suffix":100}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be a string\n"
     " at [Source: (String)\"{\"key\":[{\"suffix\":100}]}\"; line: 1, column: 22]"},
    {R"({"key":[{"suffix":null}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be a string\n"
     " at [Source: (String)\"{\"key\":[{\"suffix\":null}]}\"; line: 1, column: 23]"},
    {R"({"key":{"suffix":"value"}})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: \"suffix\" must be an object or an array\n"
     " at [Source: (String)\"{\"key\":{\"suffix\":\"value\"}}\"; line: 1, column: 19]"},
    {R"({"key":[{"suffix":[]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be a string\n"
     " at [Source: (String)\"{\"key\":[{\"suffix\":[]}]}\"; line: 1, column: 20]"},
    {R"({"key":{"not-an-operator":"value"}})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: \"not-an-operator\" must be an object or an array\n"
     " at [Source: (String)\"{\"key\":{\"not-an-operator\":\"value\"}}\"; line: 1, column: 28]"},
    {R"({"key":[{"numeric":[]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Invalid member in numeric match: ]\n"
     " at [Source: (String)\"{\"key\":[{\"numeric\":[]}]}\"; line: 1, column: 22]"},
    {R"({"key":[{"numeric":["operator"]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized numeric range operator: operator\n"
     " at [Source: (String)\"{\"key\":[{\"numeric\":[\"operator\"]}]}\"; line: 1, column: 32]"},
    {R"({"key":[{"numeric":[1,"<="]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Invalid member in numeric match: 1\n"
     " at [Source: (String)\"{\"key\":[{\"numeric\":[1,\"<=\"]}]}\"; line: 1, column: 22]"},
    {R"({"key":[{"numeric":["=","000"]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Value of equals must be numeric\n"
     " at [Source: (String)\"{\"key\":[{\"numeric\":[\"=\",\"000\"]}]}\"; line: 1, column: 26]"},
    {R"({"key":[{"numeric":[">="]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Value of >= must be numeric\n"
     " at [Source: (String)\"{\"key\":[{\"numeric\":[\">=\"]}]}\"; line: 1, column: 26]"},
    {R"({"key":[{"numeric":["<",100,">",10]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Too many elements in numeric expression\n"
     " at [Source: (String)\"{\"key\":[{\"numeric\":[\"<\",100,\">\",10]}]}\"; line: 1, column: 30]"},
    {R"({"key":[{"numeric":[">=",1,">",2]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Bad numeric range operator: >\n"
     " at [Source: (String)\"{\"key\":[{\"numeric\":[\">=\",1,\">\",2]}]}\"; line: 1, column: 31]"},
    {R"({"key":[{"numeric":[">",3,"<",1]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Bottom must be less than top\n"
     " at [Source: (String)\"{\"key\":[{\"numeric\":[\">\",3,\"<\",1]}]}\"; line: 1, column: 33]"},
    {R"({"key":[{"numeric":[">",20,"<="]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Value of <= must be numeric\n"
     " at [Source: (String)\"{\"key\":[{\"numeric\":[\">\",20,\"<=\"]}]}\"; line: 1, column: 33]"},
    {R"({"key":[{"numeric":[">",20,30]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Bad value in numeric range: 30\n"
     " at [Source: (String)\"{\"key\":[{\"numeric\":[\">\",20,30]}]}\"; line: 1, column: 30]"},
    {R"({"key":[{"numeric":[">",20,"test"]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Bad numeric range operator: test\n"
     " at [Source: (String)\"{\"key\":[{\"numeric\":[\">\",20,\"test\"]}]}\"; line: 1, column: 34]"},
    {R"({"key":[{"numeric":[">","20","<","30"]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Value of > must be numeric\n"
     " at [Source: (String)\"{\"key\":[{\"numeric\":[\">\",\"20\",\"<\",\"30\"]}]}\"; line: 1, column: 26]"},
    {R"({"key":[{"numeric":[">",20,"<","30"]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Value of < must be numeric\n"
     " at [Source: (String)\"{\"key\":[{\"numeric\":[\">\",20,\"<\",\"30\"]}]}\"; line: 1, column: 33]"},
    {R"({"key":[{"numeric":[">",20,"<",30,"<",50]}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Too many terms in numeric range expression\n"
     " at [Source: (String)\"{\"key\":[{\"numeric\":[\">\",20,\"<\",30,\"<\",50]}]}\"; line: 1, column: 36]"},
    {R"({"key":[{"exists":null}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: exists match pattern must be either true or false.\n"
     " at [Source: (String)\"{\"key\":[{\"exists\":null}]}\"; line: 1, column: 23]"},
    {R"({"key":[{"exists":"no"}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: exists match pattern must be either true or false.\n"
     " at [Source: (String)\"{\"key\":[{\"exists\":\"no\"}]}\"; line: 1, column: 20]"},
    {R"({"key":[{"anything-but":{"wrong-operator":null}}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Unsupported anything-but pattern: wrong-operator\n"
     " at [Source: (String)\"{\"key\":[{\"anything-but\":{\"wrong-operator\":null}}]}\"; line: 1, column: 47]"},
    {R"({"key":[{"anything-but":{"suffix":"test"}}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Unsupported anything-but pattern: suffix\n"
     " at [Source: (String)\"{\"key\":[{\"anything-but\":{\"suffix\":\"test\"}}]}\"; line: 1, column: 36]"},
    {R"({"key":[{"anything-but":{"exists":false}}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Unsupported anything-but pattern: exists\n"
     " at [Source: (String)\"{\"key\":[{\"anything-but\":{\"exists\":false}}]}\"; line: 1, column: 40]"},
    {R"({"key":[{"anything-but":{"prefix":false}}]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: prefix match pattern must be a string\n"
     " at [Source: (String)\"{\"key\":[{\"anything-but\":{\"prefix\":false}}]}\"; line: 1, column: 40]"},
    {R"({"key_a":"value_one"})", B, false,
     "Invalid parameter: FilterPolicy: \"key_a\" must be an object or an array\n"
     " at [Source: (String)\"{\"key_a\":\"value_one\"}\"; line: 1, column: 11]"},
    {R"({"object":{"key":[{"prefix":"auto-"}]}})", A, false,
     "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy"},
    {R"({"key_a":["value_one"],"key_b":["value_two"],"key_c":["value_three"],"key_d":["value_four"],"key_e":["value_five"],"key_f":["value_six"]})",
     B, false, "Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys"},
    {R"({"key_a":{"key_b":{"key_c":["value_one","value_two","value_three","value_four"]}},"key_d":{"key_e":["value_one","value_two","value_three"]},"key_f":["value_one","value_two","value_three"]})",
     B, false, "Invalid parameter: FilterPolicy: Filter policy is too complex"},
    {R"({"a":[1,2,3,4,5,6],"b":[1,2,3,4,5],"c":[1,2,3,4,5,6]})", A, true,
     "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex"},
    {"{invalidjson}", A, false, "Invalid parameter: FilterPolicy: failed to parse JSON."},
    // "$or" with match keywords, or with a single object, is an ordinary key (AWS's rule).
    {R"({"$or":[{"numeric":123},{"prefix":"abc"}]})", A, false,
     "Invalid parameter: FilterPolicy: Value of numeric must be an array.\n"
     " at [Source: (String)\"{\"$or\":[{\"numeric\":123},{\"prefix\":\"abc\"}]}\"; line: 1, column: 23]"},
    {R"({"$or":[{"a":["b"]}]})", A, false,
     "Invalid parameter: FilterPolicy: Unrecognized match type a\n"
     " at [Source: (String)\"{\"$or\":[{\"a\":[\"b\"]}]}\"; line: 1, column: 15]"},
    {R"({"key":[]})", A, false,
     "Invalid parameter: FilterPolicy: Empty arrays are not allowed\n"
     " at [Source: (String)\"{\"key\":[]}\"; line: 1, column: 10]"},
    {R"({"key":[{"anything-but":["a",1]}]})", A, false,
     "Invalid parameter: FilterPolicy: Inside anything but list, either all values are number or string, mixed type "
     "is not supported\n at [Source: (String)\"{\"key\":[{\"anything-but\":[\"a\",1]}]}\"; line: 1, column: 32]"},
};

TEST(FilterPolicy, AwsErrorMessages) {
  for (auto& c : kErrors) {
    auto p = FilterPolicy::compile(c.policy, c.scope, c.subscribe);
    ASSERT_FALSE(p) << c.policy;
    EXPECT_EQ(p.error().code, "InvalidParameter");
    EXPECT_EQ(p.error().http_status, 400);
    EXPECT_EQ(p.error().message, c.message) << c.policy;
  }
}

TEST(FilterPolicy, LocationCountsLinesAndCutsLongSources) {
  auto p = FilterPolicy::compile("{\n  \"key\": [\n    {\"exists\": 1}\n  ]\n}", A, false);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("; line: 3, column: 17]"), std::string::npos) << p.error().message;

  std::string long_policy = R"({"a":[")" + std::string(600, 'x') + R"("],"b":[{"exists":1}]})";
  p = FilterPolicy::compile(long_policy, A, false);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("\"[truncated 129 chars]; line: 1, column: 627]"), std::string::npos)
      << p.error().message;
}

TEST(FilterPolicy, SizeLimit) {
  std::string big = R"({"a":[")" + std::string(256 * 1024, 'x') + R"("]})";
  auto p = FilterPolicy::compile(big, A, false);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message.rfind("Invalid parameter: FilterPolicy: ", 0), 0u);
}

TEST(FilterPolicy, OrBranchesAreCounted) {
  auto p = FilterPolicy::compile(
      R"({"source":["a"],"$or":[{"m":["x","y"]},{"t":["z"],"$or":[{"i":[1,2]},{"s":[1,2,3]}]}]})", A, false);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ((*p)->branch_count(), 3u);
}

}  // namespace
}  // namespace streamlab::sns
