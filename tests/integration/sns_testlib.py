"""Helpers for the SNS integration tests (standard library + boto3; `cryptography` when present).

  SnsTest          a ServerTest with `sns` and `sqs` clients and helpers for topics, queues and AWS errors
  FastSns          a small keep-alive query-protocol SNS client for load tests (no botocore overhead)
  Receiver         a webhook endpoint on 127.0.0.1 (http.server in a thread) that records what SNS posts,
                   answers with the status codes it is told to, and can confirm subscriptions itself
  verify_signature checks an SNS message's signature with the certificate its SigningCertURL serves
"""
import base64
import http.client
import http.server
import json
import re
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request

from botocore.exceptions import ClientError

import harness

ACCOUNT = "000000000000"
REGION = "us-east-1"


def auth_header(service="sns", key="test", region=REGION):
    return (f"AWS4-HMAC-SHA256 Credential={key}/20240101/{region}/{service}/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, Signature=" + "0" * 64)


class SnsTest(harness.ServerTest):
    def setUp(self):
        super().setUp()
        self.sns = self.server.client("sns")
        self.sqs = self.server.client("sqs")
        self.addCleanup(getattr(self.sns, "close", lambda: None))
        self.addCleanup(getattr(self.sqs, "close", lambda: None))

    def topic(self, name, **attributes):
        kwargs = {"Name": name}
        if attributes:
            kwargs["Attributes"] = {k: str(v) for k, v in attributes.items()}
        return self.sns.create_topic(**kwargs)["TopicArn"]

    def queue(self, name, **attributes):
        kwargs = {"QueueName": name}
        if attributes:
            kwargs["Attributes"] = {k: str(v) for k, v in attributes.items()}
        url = self.sqs.create_queue(**kwargs)["QueueUrl"]
        return url, f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"

    def receive_all(self, url, expect, timeout=10, **kwargs):
        """Receives (and deletes) until `expect` messages arrived or `timeout` passed."""
        got = []
        deadline = time.time() + timeout
        while len(got) < expect and time.time() < deadline:
            msgs = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                            MessageAttributeNames=["All"], AttributeNames=["All"],
                                            **kwargs).get("Messages", [])
            for m in msgs:
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            got += msgs
        return got

    def assert_error(self, call, code, message=None, status=400, message_startswith=None):
        with self.assertRaises(ClientError) as cm:
            call()
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        if message is not None:
            self.assertEqual(err["Message"], message)
        if message_startswith is not None:
            self.assertTrue(err["Message"].startswith(message_startswith), err["Message"])
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)
        self.assertEqual(err.get("Type"), "Sender")
        return err


class FastSns:
    """Query-protocol SNS on one keep-alive connection; returns the XML text of each answer."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                        "X-Amz-Date": "20240101T000000Z", "Authorization": auth_header()}

    def call(self, action, params):
        body = urllib.parse.urlencode([("Action", action), ("Version", "2010-03-31")] + list(params))
        for attempt in range(3):
            try:
                self.conn.request("POST", "/", body=body, headers=self.headers)
                r = self.conn.getresponse()
                data = r.read().decode()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        if r.status != 200:
            raise RuntimeError(f"{action} failed: {r.status} {data}")
        return data

    @staticmethod
    def attributes(attrs):
        out = []
        for i, (name, (dtype, value)) in enumerate(attrs.items(), 1):
            out += [(f"MessageAttributes.entry.{i}.Name", name),
                    (f"MessageAttributes.entry.{i}.Value.DataType", dtype),
                    (f"MessageAttributes.entry.{i}.Value.StringValue", value)]
        return out

    def publish(self, topic_arn, message, attrs=None):
        xml = self.call("Publish", [("TopicArn", topic_arn), ("Message", message)] + self.attributes(attrs or {}))
        return re.search(r"<MessageId>(.*?)</MessageId>", xml).group(1)

    def publish_batch(self, topic_arn, entries):
        """entries: list of (message, attrs); returns the message ids of the successful ones."""
        params = [("TopicArn", topic_arn)]
        for i, (message, attrs) in enumerate(entries, 1):
            p = f"PublishBatchRequestEntries.member.{i}."
            params += [(p + "Id", f"e{i}"), (p + "Message", message)]
            params += [(p + k, v) for k, v in self.attributes(attrs or {})]
        xml = self.call("PublishBatch", params)
        if "<Failed><member>" in xml:
            raise RuntimeError("PublishBatch had failures: " + xml)
        return re.findall(r"<MessageId>(.*?)</MessageId>", xml)

    def close(self):
        self.conn.close()


class Receiver:
    """A webhook endpoint. `statuses` is consumed one per request (then 200); `confirm` makes it
    follow SubscribeURLs itself, as a learner's endpoint would."""

    def __init__(self, port=0, confirm=True, statuses=(), delay=0.0, tls=False):
        self.requests = []
        self.statuses = list(statuses)
        self.confirm = confirm
        self.delay = delay
        self.lock = threading.Lock()
        self.event = threading.Condition(self.lock)
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                record = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                          "body": body}
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver.lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    record["status"] = status
                    receiver.requests.append(record)
                    receiver.event.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                if status == 200 and receiver.confirm and record["headers"].get(
                        "x-amz-sns-message-type") == "SubscriptionConfirmation":
                    url = json.loads(body)["SubscribeURL"]
                    threading.Thread(target=receiver.follow, args=(url,), daemon=True).start()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        if tls:
            # A self-signed certificate, as a learner's local HTTPS endpoint would have.
            self.tmp = tempfile.mkdtemp(prefix="sns-hook-tls-")
            key, cert = f"{self.tmp}/key.pem", f"{self.tmp}/cert.pem"
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                            "-days", "1", "-keyout", key, "-out", cert], check=True, capture_output=True)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
            self.url = f"https://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def follow(url):
        try:
            urllib.request.urlopen(url, timeout=10).read()
        except OSError:
            pass  # the topic may be gone already (a test ended)

    def of_type(self, kind, status=200):
        with self.lock:
            return [r for r in self.requests if r["headers"].get("x-amz-sns-message-type") == kind
                    and (status is None or r["status"] == status)]

    def wait(self, kind, count, timeout=15, status=200):
        deadline = time.time() + timeout
        with self.lock:
            while True:
                got = [r for r in self.requests if r["headers"].get("x-amz-sns-message-type") == kind
                       and (status is None or r["status"] == status)]
                if len(got) >= count or time.time() >= deadline:
                    return got
                self.event.wait(max(0.01, deadline - time.time()))

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


SIGNED_FIELDS = {
    "Notification": ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
    "SubscriptionConfirmation": ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
    "UnsubscribeConfirmation": ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
}


def canonical_string(message):
    return "".join(f"{k}\n{message[k]}\n" for k in SIGNED_FIELDS[message["Type"]] if k in message)


def verify_signature(message, cert_pem=None):
    """What a learner's verifier does: download SigningCertURL, check the signature (SHA1withRSA for
    SignatureVersion 1, SHA256withRSA for 2). Uses `cryptography` when importable, else openssl."""
    if cert_pem is None:
        with urllib.request.urlopen(message["SigningCertURL"], timeout=10) as r:
            cert_pem = r.read()
    data = canonical_string(message).encode()
    signature = base64.b64decode(message["Signature"])
    sha256 = message["SignatureVersion"] == "2"
    try:
        from cryptography import x509
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
    except ImportError:
        return _verify_with_openssl(cert_pem, data, signature, sha256)
    cert = x509.load_pem_x509_certificate(cert_pem)
    try:
        cert.public_key().verify(signature, data, padding.PKCS1v15(), hashes.SHA256() if sha256 else hashes.SHA1())
        return True
    except InvalidSignature:
        return False


def _verify_with_openssl(cert_pem, data, signature, sha256):
    with tempfile.TemporaryDirectory() as d:
        paths = {n: f"{d}/{n}" for n in ("cert", "key", "data", "sig")}
        for n, v in (("cert", cert_pem), ("data", data), ("sig", signature)):
            with open(paths[n], "wb") as f:
                f.write(v)
        subprocess.run(["openssl", "x509", "-pubkey", "-noout", "-in", paths["cert"], "-out", paths["key"]],
                       check=True)
        p = subprocess.run(["openssl", "dgst", "-sha256" if sha256 else "-sha1", "-verify", paths["key"],
                            "-signature", paths["sig"], paths["data"]], capture_output=True)
        return p.returncode == 0
