"""Helpers for the SQS integration tests (standard library + boto3 only).

  SqsTest          a ServerTest with an `sqs` client (query under Debian's boto3 1.26, JSON under a
                   newer boto3) and helpers to assert AWS errors the same way in both protocols
  raw_query/raw_json  one hand-made request in either protocol (for operations an old botocore
                   lacks, and for checking the wire itself)
  FastSqs          a small keep-alive JSON 1.0 client for the load tests (no botocore overhead)
"""
import http.client
import json
import re
import time
import urllib.parse

from botocore.exceptions import ClientError

import harness

ACCOUNT = "000000000000"
REGION = "us-east-1"
XMLNS = "http://queue.amazonaws.com/doc/2012-11-05/"
NON_EXISTENT = "AWS.SimpleQueueService.NonExistentQueue"


def auth_header(service="sqs", key="test", region=REGION):
    return (f"AWS4-HMAC-SHA256 Credential={key}/20240101/{region}/{service}/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, Signature=" + "0" * 64)


class RawResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)

    def xml_values(self, tag):
        return re.findall(f"<{tag}>(.*?)</{tag}>", self.text, re.S)

    def __repr__(self):
        return f"RawResponse({self.status}, {self.text[:300]!r})"


def raw_request(port, body, headers, path="/", method="POST"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        return RawResponse(r.status, r.getheaders(), r.read())
    finally:
        conn.close()


def raw_query(port, action, params=None, path="/", version="2012-11-05", content_type=None, extra_headers=None):
    """One query-protocol request; `params` is a dict, a list of pairs, or an already encoded string."""
    pairs = [("Action", action)] + ([("Version", version)] if version else [])
    if isinstance(params, str):
        body = urllib.parse.urlencode(pairs) + "&" + params
    else:
        pairs += list(params.items()) if isinstance(params, dict) else list(params or [])
        body = urllib.parse.urlencode(pairs)
    headers = {"Content-Type": content_type or "application/x-www-form-urlencoded; charset=utf-8",
               "X-Amz-Date": "20240101T000000Z", "Authorization": auth_header()}
    headers.update(extra_headers or {})
    return raw_request(port, body.encode(), headers, path)


def raw_json(port, operation, body, path="/"):
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS." + operation,
               "x-amzn-query-mode": "true", "X-Amz-Date": "20240101T000000Z", "Authorization": auth_header()}
    return raw_request(port, json.dumps(body).encode(), headers, path)


class SqsTest(harness.ServerTest):
    """One server per class; `self.sqs` speaks whatever protocol this boto3 uses for SQS."""

    def setUp(self):
        super().setUp()
        self.sqs = self.server.client("sqs")
        self.protocol = self.sqs.meta.service_model.protocol  # 'query' (boto3 1.26) or 'json'
        self.addCleanup(getattr(self.sqs, "close", lambda: None))

    def create(self, name, **attributes):
        kwargs = {"QueueName": name}
        if attributes:
            kwargs["Attributes"] = {k: str(v) for k, v in attributes.items()}
        return self.sqs.create_queue(**kwargs)["QueueUrl"]

    def url(self, name):
        return f"{self.server.endpoint}/{ACCOUNT}/{name}"

    def arn(self, name):
        return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"

    def receive(self, url, **kwargs):
        kwargs.setdefault("MaxNumberOfMessages", 10)
        return self.sqs.receive_message(QueueUrl=url, **kwargs).get("Messages", [])

    def attributes(self, url, *names):
        return self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(names) or ["All"])["Attributes"]

    def assert_error(self, call, code, message=None, status=None, message_contains=None):
        """`call` raises a ClientError with this code (the query code, which both protocols report)."""
        with self.assertRaises(ClientError) as cm:
            call()
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        if message is not None:
            self.assertEqual(err["Message"], message)
        if message_contains is not None:
            self.assertIn(message_contains, err["Message"])
        if status is not None:
            self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)
        self.assertEqual(err.get("Type"), "Sender")
        return cm.exception


class FastSqs:
    """A lean JSON 1.0 SQS client on one keep-alive connection (for load tests)."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Date": "20240101T000000Z",
                        "Authorization": auth_header()}

    def call(self, operation, body):
        h = dict(self.headers)
        h["X-Amz-Target"] = "AmazonSQS." + operation
        for attempt in range(3):
            try:
                self.conn.request("POST", "/", body=json.dumps(body), headers=h)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        out = json.loads(data) if data else {}
        if r.status != 200:
            raise RuntimeError(f"{operation} failed: {r.status} {out}")
        return out

    def close(self):
        self.conn.close()


def wait_for(predicate, timeout=10, interval=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = predicate()
        if v:
            return v
        time.sleep(interval)
    return predicate()
