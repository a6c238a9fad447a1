// The notification envelope byte for byte, the canonical strings that are signed, and a
// sign/verify round trip with a generated key and its self-signed certificate.
#include "emulators/sns/envelope.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulators/sns/signer.h"

namespace streamlab::sns {
namespace {

Envelope sample() {
  Envelope e;
  e.message_id = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324";
  e.topic_arn = "arn:aws:sns:us-west-2:123456789012:MyTopic";
  e.subject = "My First Message";
  e.message = "Hello world!";
  e.timestamp = "2012-05-02T00:54:06.655Z";
  e.signature = "EXAMPLEw6JRN";
  e.signing_cert_url = "http://localhost:4566/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem";
  e.unsubscribe_url =
      "http://localhost:4566/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:MyTopic:"
      "c9135db0-26c4-47ec-8998-413945fb5a96";
  return e;
}

TEST(Envelope, NotificationAsAwsWritesIt) {
  Envelope e = sample();
  MessageAttributes attrs;
  attrs["AttributeName"] = {"String", "AttributeValue", false};
  attrs["bin"] = {"Binary", std::string("\x00\x01\x02", 3), true};
  e.attributes = &attrs;
  EXPECT_EQ(envelope_json(e),
            "{\n"
            "  \"Type\" : \"Notification\",\n"
            "  \"MessageId\" : \"22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\",\n"
            "  \"TopicArn\" : \"arn:aws:sns:us-west-2:123456789012:MyTopic\",\n"
            "  \"Subject\" : \"My First Message\",\n"
            "  \"Message\" : \"Hello world!\",\n"
            "  \"Timestamp\" : \"2012-05-02T00:54:06.655Z\",\n"
            "  \"SignatureVersion\" : \"1\",\n"
            "  \"Signature\" : \"EXAMPLEw6JRN\",\n"
            "  \"SigningCertURL\" : "
            "\"http://localhost:4566/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem\",\n"
            "  \"UnsubscribeURL\" : \"http://localhost:4566/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:"
            "123456789012:MyTopic:c9135db0-26c4-47ec-8998-413945fb5a96\",\n"
            "  \"MessageAttributes\" : {\n"
            "    \"AttributeName\" : {\"Type\":\"String\",\"Value\":\"AttributeValue\"},\n"
            "    \"bin\" : {\"Type\":\"Binary\",\"Value\":\"AAEC\"}\n"
            "  }\n"
            "}");
  // And it is JSON any client parses.
  auto j = nlohmann::json::parse(envelope_json(e));
  EXPECT_EQ(j["MessageAttributes"]["bin"]["Value"], "AAEC");
}

TEST(Envelope, NoSubjectNoAttributesAndEscaping) {
  Envelope e = sample();
  e.subject.clear();
  e.message = "line1\n\"quoted\" \\ tab\t\x01 é/";
  std::string out = envelope_json(e);
  EXPECT_EQ(out.find("Subject"), std::string::npos);
  EXPECT_EQ(out.find("MessageAttributes"), std::string::npos);
  EXPECT_NE(out.find(R"("Message" : "line1\n\"quoted\" \\ tab\t\u0001 é/")"), std::string::npos) << out;
  EXPECT_EQ(nlohmann::json::parse(out)["Message"], e.message);
}

TEST(Envelope, FifoCarriesSequenceNumberAndNoSignature) {
  Envelope e = sample();
  e.signature.clear();
  e.sequence_number = "10000000000000000001";
  std::string out = envelope_json(e);
  EXPECT_NE(out.find("  \"MessageId\" : \"22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\",\n  \"SequenceNumber\" : "
                     "\"10000000000000000001\",\n  \"TopicArn\""),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("Signature"), std::string::npos);
}

TEST(Envelope, SubscriptionConfirmationOrder) {
  Envelope e;
  e.type = "SubscriptionConfirmation";
  e.message_id = "165545c9-2a5c-472c-8df2-7ff2be2b3b1b";
  e.token = "2336412f37";
  e.topic_arn = "arn:aws:sns:us-west-2:123456789012:MyTopic";
  e.message = "You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:MyTopic.\nTo confirm "
              "the subscription, visit the SubscribeURL included in this message.";
  e.subscribe_url = subscribe_url("localhost:4566", e.topic_arn, e.token);
  e.timestamp = "2012-04-26T20:45:04.751Z";
  e.signature = "EXAMPLEpH";
  e.signing_cert_url = "http://localhost:4566/SimpleNotificationService-x.pem";
  auto j = nlohmann::json::parse(envelope_json(e));
  std::vector<std::string> keys;
  std::string out = envelope_json(e);
  for (const char* k : {"Type", "MessageId", "Token", "TopicArn", "Message", "SubscribeURL", "Timestamp",
                        "SignatureVersion", "Signature", "SigningCertURL"})
    keys.push_back(std::string("\"") + k + "\" : ");
  size_t at = 0;
  for (auto& k : keys) {
    size_t p = out.find(k, at);
    ASSERT_NE(p, std::string::npos) << k;
    at = p;
  }
  EXPECT_EQ(j["SubscribeURL"],
            "http://localhost:4566/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:123456789012:MyTopic"
            "&Token=2336412f37");
  EXPECT_EQ(canonical_string(e), "Message\n" + e.message + "\nMessageId\n" + e.message_id + "\nSubscribeURL\n" +
                                     e.subscribe_url + "\nTimestamp\n" + e.timestamp + "\nToken\n" + e.token +
                                     "\nTopicArn\n" + e.topic_arn + "\nType\nSubscriptionConfirmation\n");
}

TEST(Envelope, NotificationCanonicalString) {
  Envelope e = sample();
  EXPECT_EQ(canonical_string(e), "Message\nHello world!\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubject\nMy "
                                 "First Message\nTimestamp\n2012-05-02T00:54:06.655Z\nTopicArn\narn:aws:sns:us-west-2:"
                                 "123456789012:MyTopic\nType\nNotification\n");
  e.subject.clear();
  EXPECT_EQ(canonical_string(e).find("Subject"), std::string::npos);
}

TEST(Envelope, Timestamp) {
  EXPECT_EQ(iso_timestamp(1335920046655), "2012-05-02T00:54:06.655Z");
  EXPECT_EQ(iso_timestamp(1700000000000), "2023-11-14T22:13:20.000Z");
}

TEST(Signer, SignAndVerifyBothVersions) {
  auto signer = Signer::generate();
  ASSERT_TRUE(signer);
  const Signer& s = **signer;
  EXPECT_NE(s.certificate_pem().find("-----BEGIN CERTIFICATE-----"), std::string::npos);
  EXPECT_EQ(s.certificate_file().rfind("SimpleNotificationService-", 0), 0u);
  EXPECT_EQ(s.certificate_file().size(), std::string("SimpleNotificationService-.pem").size() + 32);
  Envelope e = sample();
  std::string text = canonical_string(e);
  for (int version : {1, 2}) {
    std::string sig = s.sign(text, version);
    ASSERT_FALSE(sig.empty());
    EXPECT_TRUE(Signer::verify(s.certificate_pem(), text, sig, version));
    EXPECT_FALSE(Signer::verify(s.certificate_pem(), text + "x", sig, version));
    EXPECT_FALSE(Signer::verify(s.certificate_pem(), text, sig, version == 1 ? 2 : 1));
  }
  auto other = Signer::generate();
  ASSERT_TRUE(other);
  EXPECT_FALSE(Signer::verify((*other)->certificate_pem(), text, s.sign(text, 1), 1));
}

}  // namespace
}  // namespace streamlab::sns
