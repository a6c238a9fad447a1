#include "server/protocol/query.h"

#include <gtest/gtest.h>

namespace streamlab::protocol {
namespace {

// SQS's SendMessage input, named as the botocore model names it.
Shape sqs_send_shape() {
  Shape value = structure_shape({{"StringValue", string_shape()},
                                 {"BinaryValue", blob_shape()},
                                 {"DataType", string_shape()}});
  return structure_shape({
      {"QueueUrl", string_shape()},
      {"MessageBody", string_shape()},
      {"DelaySeconds", integer_shape()},
      {"MessageAttributes", map_shape(string_shape().xml_name("Name"), value.xml_name("Value"))
                                .flattened()
                                .xml_name("MessageAttribute")},
  });
}

}  // namespace

TEST(QueryCodec, FormParsing) {
  auto p = parse_query_params("Action=SendMessage&MessageBody=hello+sqs&B=a%20b%26c&Empty=&NoValue&=x");
  EXPECT_EQ(p["Action"], "SendMessage");
  EXPECT_EQ(p["MessageBody"], "hello sqs");
  EXPECT_EQ(p["B"], "a b&c");
  EXPECT_EQ(p["Empty"], "");
  EXPECT_TRUE(p.count("NoValue"));
  EXPECT_TRUE(is_form_content_type("application/x-www-form-urlencoded; charset=utf-8"));
  EXPECT_TRUE(is_form_content_type("application/x-www-form-urlencoded"));
  EXPECT_FALSE(is_form_content_type("application/x-amz-json-1.0"));
}

// The boto3 capture (WIRE.md §2.2) decodes to what the JS SDK sends as JSON.
TEST(QueryCodec, DecodesTheBotocoreSendMessageCapture) {
  auto params = parse_query_params(
      "Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2F127.0.0.1%3A4811%2F000000000000%2Fwire-queue&"
      "MessageBody=hello+sqs&MessageAttribute.1.Name=attr1&MessageAttribute.1.Value.DataType=String&"
      "MessageAttribute.1.Value.StringValue=v1&MessageAttribute.2.Name=num&MessageAttribute.2.Value.DataType=Number&"
      "MessageAttribute.2.Value.StringValue=42&MessageAttribute.3.Name=bin&MessageAttribute.3.Value.DataType=Binary&"
      "MessageAttribute.3.Value.BinaryValue=AAEC");
  auto in = decode_query_input(params, sqs_send_shape());
  ASSERT_TRUE(in);
  json js = json::parse(
      R"({"QueueUrl":"http://127.0.0.1:4811/000000000000/wire-queue","MessageBody":"hello sqs","MessageAttributes":)"
      R"({"attr1":{"DataType":"String","StringValue":"v1"},"num":{"DataType":"Number","StringValue":"42"},)"
      R"("bin":{"DataType":"Binary","BinaryValue":"AAEC"}}})");
  EXPECT_EQ(*in, js);
}

TEST(QueryCodec, ListsScalarsAndIndexOrder) {
  Shape s = structure_shape({
      {"AttributeNames", list_shape(string_shape().xml_name("AttributeName")).flattened()},
      {"Entries", list_shape(structure_shape({{"Id", string_shape()}, {"DelaySeconds", integer_shape()}})
                                 .xml_name("SendMessageBatchRequestEntry"))
                      .flattened()},
      {"Members", list_shape(string_shape())},  // SNS style: Members.member.N
      {"Flag", boolean_shape()},
      {"Empty", list_shape(string_shape())},
  });
  auto params = parse_query_params(
      "AttributeName.2=B&AttributeName.10=C&AttributeName.1=A&SendMessageBatchRequestEntry.1.Id=x&"
      "SendMessageBatchRequestEntry.1.DelaySeconds=5&SendMessageBatchRequestEntry.2.Id=y&Members.member.1=m&"
      "Flag=TRUE&Empty=");
  auto in = decode_query_input(params, s);
  ASSERT_TRUE(in);
  EXPECT_EQ((*in)["AttributeNames"], json::array({"A", "B", "C"}));
  EXPECT_EQ((*in)["Entries"][0], json({{"Id", "x"}, {"DelaySeconds", 5}}));
  EXPECT_EQ((*in)["Entries"][1], json({{"Id", "y"}}));
  EXPECT_EQ((*in)["Members"], json::array({"m"}));
  EXPECT_EQ((*in)["Flag"], true);
  EXPECT_EQ((*in)["Empty"], json::array());

  auto bad = decode_query_input(parse_query_params("SendMessageBatchRequestEntry.1.DelaySeconds=soon"), s);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "InvalidParameterValue");
}

// SNS maps are not flattened: Attributes.entry.N.key / .value (WIRE.md §2.3).
TEST(QueryCodec, NonFlattenedMapsAsSnsSendsThem) {
  Shape s = structure_shape({{"Attributes", map_shape(string_shape(), string_shape())}});
  auto in = decode_query_input(
      parse_query_params("Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true"), s);
  ASSERT_TRUE(in);
  EXPECT_EQ((*in)["Attributes"], json({{"RawMessageDelivery", "true"}}));
}

TEST(QueryCodec, EncodesWrappedXmlWithFlattenedListsAndMaps) {
  ServiceDef d;
  d.xml_namespace = "http://queue.amazonaws.com/doc/2012-11-05/";
  Shape message = structure_shape({
      {"MessageId", string_shape()},
      {"Body", string_shape()},
      {"Attributes", map_shape(string_shape().xml_name("Name"), string_shape().xml_name("Value"))
                         .flattened()
                         .xml_name("Attribute")},
  });
  d.output_shapes["ReceiveMessage"] = structure_shape({{"Messages", list_shape(message.xml_name("Message")).flattened()}});
  json out = {{"Messages",
               {{{"MessageId", "m1"}, {"Body", "a<b & \"c\"\r\n"}, {"Attributes", {{"SentTimestamp", "1"}}}}}}};
  Response r = encode_query_output(d, "ReceiveMessage", out, "req-1");
  EXPECT_EQ(r.body,
            "<?xml version=\"1.0\"?><ReceiveMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
            "<ReceiveMessageResult><Message><MessageId>m1</MessageId><Body>a&lt;b &amp; &quot;c&quot;&#xD;\n</Body>"
            "<Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute></Message></ReceiveMessageResult>"
            "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ReceiveMessageResponse>");
  Response empty = encode_query_output(d, "ReceiveMessage", json::object(), "r");
  EXPECT_NE(empty.body.find("<ReceiveMessageResult/>"), std::string::npos);
  Response no_output = encode_query_output(d, "DeleteMessage", json::object(), "r");
  EXPECT_EQ(no_output.body.find("Result"), std::string::npos);
}

TEST(QueryCodec, NonFlattenedListsUseMember) {
  ServiceDef d;
  d.output_shapes["ListTopics"] =
      structure_shape({{"Topics", list_shape(structure_shape({{"TopicArn", string_shape()}}))}});
  Response r = encode_query_output(d, "ListTopics", {{"Topics", {{{"TopicArn", "arn:1"}}}}}, "r");
  EXPECT_NE(r.body.find("<Topics><member><TopicArn>arn:1</TopicArn></member></Topics>"), std::string::npos);
}

TEST(QueryCodec, ErrorResponse) {
  ServiceDef d;
  d.xml_namespace = "http://queue.amazonaws.com/doc/2012-11-05/";
  AwsError e{"QueueDoesNotExist", "The specified queue does not exist.", 400, true,
             "AWS.SimpleQueueService.NonExistentQueue"};
  Response r = encode_query_error(&d, e, "rid");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error>"
            "<Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue "
            "does not exist.</Message><Detail/></Error><RequestId>rid</RequestId></ErrorResponse>");
}

}  // namespace streamlab::protocol
