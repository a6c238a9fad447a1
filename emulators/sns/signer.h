#pragma once
// Message signing, as SNS signs: an RSA key pair and a self-signed X.509 certificate made at first
// start and kept in RocksDB (so signatures verify across restarts), PKCS#1 v1.5 signatures over
// the canonical string with SHA1 (SignatureVersion 1) or SHA256 (SignatureVersion 2). The
// certificate is served at SigningCertURL, so a learner's verification code works offline.
#include <memory>
#include <string>
#include <string_view>

#include "server/core/result.h"
#include "server/storage/store.h"

namespace streamlab::sns {

class Signer {
 public:
  ~Signer();
  // A fresh key pair and certificate (not stored).
  static Result<std::unique_ptr<Signer>> generate();
  // The pair kept in the meta family, generated and stored on first use.
  static Result<std::unique_ptr<Signer>> load_or_create(storage::Store& store);

  // Base64 signature of `data`; version 2 is SHA256withRSA, anything else SHA1withRSA. Safe from
  // several threads at once (the fan-out's signing pool): the key is only read, each call signs
  // with its own context.
  std::string sign(std::string_view data, int version) const;
  const std::string& certificate_pem() const { return cert_pem_; }
  // "SimpleNotificationService-<md5 of the certificate>.pem", the path SigningCertURL names.
  const std::string& certificate_file() const { return cert_file_; }

  // Checks a base64 signature against a PEM certificate (tests, and a reference for learners).
  static bool verify(std::string_view cert_pem, std::string_view data, std::string_view signature_b64, int version);

 private:
  struct Keys;
  Signer() = default;
  static Result<std::unique_ptr<Signer>> from_pem(const std::string& key_pem, const std::string& cert_pem);

  std::unique_ptr<Keys> keys_;
  std::string key_pem_, cert_pem_, cert_file_;
};

}  // namespace streamlab::sns
