"""Shared helpers for the ordering, persistence, throttling, bad-input and server tests.

Only the standard library (and boto3 where a client is passed in) is used.
  RawConn          a raw HTTP/1.1 connection: send bytes, read one response, see whether the peer closed
  kinesis_request  bytes of one Kinesis JSON 1.1 request (signed-looking, so auth checks pass)
  cbor_encode/cbor_decode  just enough CBOR for the CBOR error tests
  read_stream      a consumer that follows shard lineage from TRIM_HORIZON
"""
import errno
import hashlib
import json
import select
import socket
import struct
import time

TARGET_PREFIX = "Kinesis_20131202."
JSON_TYPE = "application/x-amz-json-1.1"
CBOR_TYPE = "application/x-amz-cbor-1.1"
DEFAULT_ACCOUNT = "000000000000"
MAX_HASH_KEY = 2 ** 128 - 1


def auth_headers(access_key="test", region="us-east-1"):
    """A complete (unverified) SigV4 Authorization header and X-Amz-Date, as boto3 would send."""
    return {
        "X-Amz-Date": "20240101T000000Z",
        "Authorization": (f"AWS4-HMAC-SHA256 Credential={access_key}/20240101/{region}/kinesis/aws4_request, "
                          "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64),
    }


def kinesis_request(operation, body, content_type=JSON_TYPE, auth=True, headers=None, target=None,
                    method="POST", path="/", keep_alive=True):
    """Bytes of one request. `body` is a dict (JSON-encoded), str or bytes. `operation=None` sends no target."""
    if isinstance(body, dict):
        body = json.dumps(body).encode()
    elif isinstance(body, str):
        body = body.encode()
    h = {"Host": "127.0.0.1"}
    if content_type is not None:
        h["Content-Type"] = content_type
    if target is not None:
        h["X-Amz-Target"] = target
    elif operation is not None:
        h["X-Amz-Target"] = TARGET_PREFIX + operation
    if auth:
        h.update(auth_headers())
    if headers:
        h.update(headers)
    if not keep_alive:
        h["Connection"] = "close"
    h["Content-Length"] = str(len(body))
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) + "\r\n"
    return head.encode() + body


class Closed(Exception):
    """The peer closed the connection before a whole response arrived."""


class Response:
    def __init__(self, status, reason, headers, body):
        self.status, self.reason, self.headers, self.body = status, reason, headers, body

    def header(self, name):
        return self.headers.get(name.lower())

    def json(self):
        return json.loads(self.body)

    @property
    def keep_alive(self):
        return (self.header("connection") or "").lower() != "close"

    def __repr__(self):
        return f"<Response {self.status} {self.headers} {self.body[:300]!r}>"


class RawConn:
    """One TCP connection to the server, read and written by hand."""

    def __init__(self, port, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.timeout = timeout

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("timed out waiting for the server")
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            raise Closed("connection closed by the server")
        self.buf += chunk

    def read_response(self, timeout=None, head=False):
        """One response; `head=True` for the answer to a HEAD request (no body follows)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while b"\r\n\r\n" not in self.buf:
            self._fill(deadline)
        head_block, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head_block.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        status = int(parts[1])
        reason = parts[2] if len(parts) > 2 else ""
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        if head or status in (204, 304) or 100 <= status < 200:
            body = b""
        elif "content-length" in headers:
            n = int(headers["content-length"])
            while len(self.buf) < n:
                self._fill(deadline)
            body, self.buf = self.buf[:n], self.buf[n:]
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                while b"\r\n" not in self.buf:
                    self._fill(deadline)
                size_line, self.buf = self.buf.split(b"\r\n", 1)
                size = int(size_line.split(b";")[0], 16)
                while len(self.buf) < size + 2:
                    self._fill(deadline)
                body += self.buf[:size]
                self.buf = self.buf[size + 2:]
                if size == 0:
                    break
        else:
            body = b""
            try:
                while True:
                    self._fill(deadline)
            except Closed:
                body, self.buf = self.buf, b""
        return Response(status, reason, headers, body)

    def request(self, data, timeout=None):
        self.send(data)
        return self.read_response(timeout)

    def wait_closed(self, timeout):
        """True if the server closes (FIN or RST) within `timeout` seconds; data that arrives is kept."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            r, _, _ = select.select([self.sock], [], [], remaining)
            if not r:
                return False
            try:
                chunk = self.sock.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                return True
            except OSError as e:
                if e.errno in (errno.ECONNRESET, errno.EPIPE):
                    return True
                raise
            if not chunk:
                return True
            self.buf += chunk

    def is_open_now(self):
        """The connection has not been closed by the peer (a non-blocking peek)."""
        return not self.wait_closed(0.05)


def cbor_encode(value):
    def head(major, n):
        if n < 24:
            return bytes([major << 5 | n])
        if n < 256:
            return bytes([major << 5 | 24, n])
        if n < 65536:
            return bytes([major << 5 | 25]) + struct.pack(">H", n)
        if n < 2 ** 32:
            return bytes([major << 5 | 26]) + struct.pack(">I", n)
        return bytes([major << 5 | 27]) + struct.pack(">Q", n)

    if value is None:
        return b"\xf6"
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode()
        return head(3, len(raw)) + raw
    if isinstance(value, (list, tuple)):
        return head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value.items())
    raise TypeError(type(value))


def cbor_decode(data):
    pos = 0

    def arg(info):
        nonlocal pos
        if info < 24:
            return info
        size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
        if size is None:
            return None  # indefinite
        v = int.from_bytes(data[pos:pos + size], "big")
        pos += size
        return v

    def item():
        nonlocal pos
        b = data[pos]
        pos += 1
        major, info = b >> 5, b & 31
        if major == 0:
            return arg(info)
        if major == 1:
            return -1 - arg(info)
        if major in (2, 3):
            n = arg(info)
            if n is None:
                chunks = []
                while data[pos] != 0xFF:
                    chunks.append(item())
                pos += 1
                return (b"" if major == 2 else "").join(chunks)
            raw = data[pos:pos + n]
            pos += n
            return raw if major == 2 else raw.decode()
        if major == 4:
            n = arg(info)
            out = []
            if n is None:
                while data[pos] != 0xFF:
                    out.append(item())
                pos += 1
            else:
                out = [item() for _ in range(n)]
            return out
        if major == 5:
            n = arg(info)
            out = {}
            if n is None:
                while data[pos] != 0xFF:
                    k = item()
                    out[k] = item()
                pos += 1
            else:
                for _ in range(n):
                    k = item()
                    out[k] = item()
            return out
        if major == 6:
            arg(info)
            return item()
        if info == 20:
            return False
        if info == 21:
            return True
        if info in (22, 23):
            return None
        if info == 25:
            v = struct.unpack(">e", data[pos:pos + 2])[0]
            pos += 2
            return v
        if info == 26:
            v = struct.unpack(">f", data[pos:pos + 4])[0]
            pos += 4
            return v
        if info == 27:
            v = struct.unpack(">d", data[pos:pos + 8])[0]
            pos += 8
            return v
        raise ValueError(f"unsupported CBOR simple value {info}")

    return item()


# Kinesis helpers over a boto3 client ------------------------------------------------------------

def hash_of(partition_key):
    return int.from_bytes(hashlib.md5(partition_key.encode()).digest(), "big")


def wait_active(client, name, timeout=15):
    deadline = time.time() + timeout
    while True:
        s = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"]
        if s == "ACTIVE":
            return
        if time.time() > deadline:
            raise AssertionError(f"stream {name} still {s} after {timeout}s")
        time.sleep(0.02)


def list_all_shards(client, name):
    shards, token = [], None
    while True:
        resp = client.list_shards(NextToken=token) if token else client.list_shards(StreamName=name)
        shards += resp["Shards"]
        token = resp.get("NextToken")
        if not token:
            return shards


def parents_of(shard):
    return [p for p in (shard.get("ParentShardId"), shard.get("AdjacentParentShardId")) if p]


def read_shard(client, name, shard_id, iterator=None, limit=100, checker=None):
    """Reads one shard from TRIM_HORIZON (or `iterator`) to its end.

    For a closed shard the end is the response without NextShardIterator (it must carry ChildShards);
    for an open shard it is the first empty response that is caught up (MillisBehindLatest 0).
    Returns (records, child_shards or None)."""
    if iterator is None:
        iterator = client.get_shard_iterator(StreamName=name, ShardId=shard_id,
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = []
    for _ in range(100000):
        resp = client.get_records(ShardIterator=iterator, Limit=limit)
        if checker:
            checker(resp)
        records += resp["Records"]
        nxt = resp.get("NextShardIterator")
        if not nxt:
            return records, resp.get("ChildShards")
        if not resp["Records"] and resp.get("MillisBehindLatest", 0) == 0:
            return records, None
        iterator = nxt
    raise AssertionError(f"reading {shard_id} never ended")


def read_stream(client, name, limit=100):
    """Reads every shard, each only after all its parents have been read to their end.

    Returns (order, shards_by_id, records_by_shard, children_by_shard) where `order` is the order the
    shards were read in."""
    shards = {s["ShardId"]: s for s in list_all_shards(client, name)}
    done, order = set(), []
    records_by_shard, children_by_shard = {}, {}
    pending = sorted(shards)
    while pending:
        progressed = False
        for sid in list(pending):
            ps = parents_of(shards[sid])
            if any(p not in done for p in ps if p in shards):
                continue
            recs, children = read_shard(client, name, sid, limit=limit)
            records_by_shard[sid] = recs
            children_by_shard[sid] = children
            done.add(sid)
            order.append(sid)
            pending.remove(sid)
            progressed = True
        if not progressed:
            raise AssertionError(f"shard lineage has a cycle or a missing parent: {pending}")
    return order, shards, records_by_shard, children_by_shard


def no_retry_client(server, service="kinesis", region="us-east-1", key="test"):
    """A boto3 client that makes exactly one attempt per call.

    The harness's Config(retries={"max_attempts": 1}) still allows one retry in botocore's legacy
    mode (max_attempts there counts retries), which hides throttling behind a backoff sleep."""
    import boto3
    from botocore.config import Config

    cfg = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=60)
    return boto3.client(service, endpoint_url=server.endpoint, region_name=region, aws_access_key_id=key,
                        aws_secret_access_key="test", config=cfg)
