#pragma once
// The JSON documents SNS delivers, byte for byte as AWS writes them (Jackson's default pretty
// printer: two-space indent, " : " between name and value, attribute values compact):
//
//   {
//     "Type" : "Notification",
//     "MessageId" : "…",
//     "TopicArn" : "…",
//     "Subject" : "…",                          (only when published with one)
//     "Message" : "…",
//     "Timestamp" : "2024-01-01T00:00:00.000Z",
//     "SignatureVersion" : "1",
//     "Signature" : "…",
//     "SigningCertURL" : "http://<host>/SimpleNotificationService-<md5>.pem",
//     "UnsubscribeURL" : "http://<host>/?Action=Unsubscribe&SubscriptionArn=…",
//     "MessageAttributes" : {
//       "name" : {"Type":"String","Value":"v"}
//     }
//   }
//
// FIFO topics write "SequenceNumber" after MessageId and carry no signature. Confirmations carry
// Token and SubscribeURL instead of Subject/UnsubscribeURL. The canonical strings that are signed
// are "Name\nvalue\n" for the fields AWS lists, in alphabetical order.
#include <string>
#include <string_view>

#include "emulators/sns/message_attributes.h"

namespace streamlab::sns {

struct Envelope {
  std::string type = "Notification";  // Notification, SubscriptionConfirmation, UnsubscribeConfirmation
  std::string message_id;
  std::string topic_arn;
  std::string subject;  // empty: absent
  std::string message;
  std::string timestamp;
  std::string sequence_number;  // FIFO topics: present, and no signature
  std::string token;            // confirmations
  std::string subscribe_url;    // confirmations
  std::string unsubscribe_url;  // notifications
  std::string signature_version = "1";
  std::string signature;
  std::string signing_cert_url;
  const MessageAttributes* attributes = nullptr;
};

// The text that is signed for this envelope's type.
std::string canonical_string(const Envelope& e);
// The document itself (signature fields written only when `e.signature` is set).
std::string envelope_json(const Envelope& e);
// A notification around its UnsubscribeURL, the one field that differs between the subscriptions
// receiving a message: built once per message, completed per subscription. (Confirmations: the
// whole document is head + tail.)
struct EnvelopeParts {
  std::string head, tail;
};
EnvelopeParts envelope_parts(const Envelope& e);
std::string envelope_json(const EnvelopeParts& parts, std::string_view unsubscribe_url);

// "2024-01-01T00:00:00.123Z"
std::string iso_timestamp(int64_t epoch_ms);

// URLs handed out in documents, built from the request's Host as AWS builds them from its endpoint.
std::string unsubscribe_url(const std::string& host, const std::string& subscription_arn);
std::string subscribe_url(const std::string& host, const std::string& topic_arn, const std::string& token);
std::string signing_cert_url(const std::string& host, const std::string& certificate_file);

}  // namespace streamlab::sns
