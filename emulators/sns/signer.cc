#include "emulators/sns/signer.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "emulators/sns/keys.h"
#include "server/core/encoding.h"

namespace streamlab::sns {
namespace {

// RSA-1024: every envelope of a standard topic is signed, and a 1024-bit signature costs a quarter of a
// 2048-bit one (AWS's certificates are 2048-bit; verifiers accept both alike).
constexpr int kKeyBits = 1024;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, size_t(n));
}

PkeyPtr read_key(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

X509Ptr read_cert(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

const EVP_MD* digest(int version) { return version == 2 ? EVP_sha256() : EVP_sha1(); }

}  // namespace

struct Signer::Keys {
  PkeyPtr key;
  // Signing contexts set up once per digest and copied per signature: OpenSSL 3 spends about a
  // third of a 1024-bit signature fetching algorithms when a context is initialised from scratch.
  // Never used to sign themselves, only copied (a read), so several threads may copy at once.
  MdCtxPtr sha1, sha256;
};

Signer::~Signer() = default;

Result<std::unique_ptr<Signer>> Signer::generate() {
  PkeyPtr key(EVP_RSA_gen(kKeyBits));
  if (!key) return AwsError::internal("RSA key generation failed");
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7F;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24 * 3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 20L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("streamlab"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("sns.amazonaws.com"),
                             -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (!X509_sign(cert.get(), key.get(), EVP_sha256())) return AwsError::internal("certificate signing failed");

  BioPtr key_bio(BIO_new(BIO_s_mem())), cert_bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  PEM_write_bio_X509(cert_bio.get(), cert.get());
  return from_pem(bio_text(key_bio.get()), bio_text(cert_bio.get()));
}

Result<std::unique_ptr<Signer>> Signer::from_pem(const std::string& key_pem, const std::string& cert_pem) {
  std::unique_ptr<Signer> s(new Signer());
  s->keys_ = std::make_unique<Keys>();
  s->keys_->key = read_key(key_pem);
  if (!s->keys_->key || !read_cert(cert_pem)) return AwsError::internal("stored SNS signing key is unreadable");
  for (int version : {1, 2}) {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (EVP_DigestSignInit(ctx.get(), nullptr, digest(version), nullptr, s->keys_->key.get()) != 1)
      return AwsError::internal("cannot initialise SNS signing");
    (version == 2 ? s->keys_->sha256 : s->keys_->sha1) = std::move(ctx);
  }
  s->key_pem_ = key_pem;
  s->cert_pem_ = cert_pem;
  s->cert_file_ = "SimpleNotificationService-" + md5_hex(cert_pem) + ".pem";
  return s;
}

Result<std::unique_ptr<Signer>> Signer::load_or_create(storage::Store& store) {
  auto key = store.get(storage::Family::meta, keys::kSigningKey);
  auto cert = store.get(storage::Family::meta, keys::kSigningCert);
  if (key && cert) return from_pem(*key, *cert);
  auto fresh = generate();
  if (!fresh) return fresh;
  storage::Batch b;
  b.put(storage::Family::meta, keys::kSigningKey, (*fresh)->key_pem_);
  b.put(storage::Family::meta, keys::kSigningCert, (*fresh)->cert_pem_);
  if (auto s = store.commit(b); !s) return s.error();
  return fresh;
}

std::string Signer::sign(std::string_view data, int version) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (EVP_MD_CTX_copy_ex(ctx.get(), (version == 2 ? keys_->sha256 : keys_->sha1).get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    return {};
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    return {};
  sig.resize(len);
  return base64_encode(sig);
}

bool Signer::verify(std::string_view cert_pem, std::string_view data, std::string_view signature_b64, int version) {
  X509Ptr cert = read_cert(cert_pem);
  if (!cert) return false;
  PkeyPtr key(X509_get_pubkey(cert.get()));
  auto sig = base64_decode(signature_b64);
  if (!key || !sig) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, digest(version), nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                          reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
}

}  // namespace streamlab::sns
