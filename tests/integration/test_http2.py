"""HTTP/2 (h2c with prior knowledge) on the same port as HTTP/1.1.

Real clients (curl, nghttp, h2load from Debian's nghttp2-client) for what clients do, and a tiny
hand-rolled frame writer (stdlib only) for what they never do: broken prefaces, invalid frames,
too many streams, peers that never read. Response header blocks are not decoded (that would need
HPACK's Huffman table); statuses are checked with curl, frames and error codes on the raw socket.
"""
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import unittest
import urllib.request

from harness import Server

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = range(10)
END_STREAM = ACK = 0x1
END_HEADERS = 0x4
(NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR, SETTINGS_TIMEOUT, STREAM_CLOSED, FRAME_SIZE_ERROR,
 REFUSED_STREAM, CANCEL, COMPRESSION_ERROR) = range(10)
SETTINGS_INITIAL_WINDOW_SIZE = 4
AUTH = ("AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/kinesis/aws4_request, "
        "SignedHeaders=host;x-amz-date;x-amz-target, Signature=00")
CURL = shutil.which("curl")
NGHTTP = shutil.which("nghttp")
H2LOAD = shutil.which("h2load")


def frame(ftype, flags, stream, payload=b""):
    return len(payload).to_bytes(3, "big") + bytes([ftype, flags]) + stream.to_bytes(4, "big") + payload


def settings(**values):
    ids = {"initial_window_size": SETTINGS_INITIAL_WINDOW_SIZE, "max_frame_size": 5}
    return b"".join(struct.pack(">HI", ids[k], v) for k, v in values.items())


def hpack_int(value, prefix_bits, first=0):
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first | value])
    out, value = [first | limit], value - limit
    while value >= 128:
        out.append((value & 127) | 128)
        value >>= 7
    return bytes(out + [value])


def hpack(headers):
    """Literal fields without indexing or Huffman: valid HPACK that needs no tables."""
    out = b""
    for name, value in headers:
        n, v = name.encode(), value.encode()
        out += b"\x00" + hpack_int(len(n), 7) + n + hpack_int(len(v), 7) + v
    return out


def request(stream, path, method="GET", end_stream=True, extra=()):
    block = hpack([(":method", method), (":scheme", "http"), (":authority", "127.0.0.1"), (":path", path), *extra])
    return frame(HEADERS, END_HEADERS | (END_STREAM if end_stream else 0), stream, block)


class H2Conn:
    """A raw HTTP/2 client connection: writes frames, reads them back (payloads undecoded)."""

    def __init__(self, port, settings_payload=b"", preface=True, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""
        if preface:
            self.send(PREFACE + frame(SETTINGS, 0, 0, settings_payload))

    def send(self, data):
        self.sock.sendall(data)

    def read_frame(self):
        """(type, flags, stream, payload), or None once the server has closed."""
        while len(self.buf) < 9 or len(self.buf) < 9 + int.from_bytes(self.buf[:3], "big"):
            try:
                chunk = self.sock.recv(1 << 16)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                return None
            self.buf += chunk
        n = int.from_bytes(self.buf[:3], "big")
        f = (self.buf[3], self.buf[4], int.from_bytes(self.buf[5:9], "big") & 0x7FFFFFFF, self.buf[9:9 + n])
        self.buf = self.buf[9 + n:]
        return f

    def until(self, match):
        """Frames up to and including the first one for which match(frame) holds (None at close)."""
        seen = []
        while True:
            f = self.read_frame()
            seen.append(f)
            if f is None or match(f):
                return seen

    def goaway(self):
        """(last_stream_id, error_code) of the server's GOAWAY, or None when it closed without one."""
        f = self.until(lambda f: f[0] == GOAWAY)[-1]
        return None if f is None else struct.unpack(">II", f[3][:8])

    def rst(self, stream):
        f = self.until(lambda f: f[0] in (RST_STREAM, GOAWAY) and f[2] in (stream, 0))[-1]
        assert f is not None and f[0] == RST_STREAM, f"expected RST_STREAM on {stream}, got {f}"
        return struct.unpack(">I", f[3])[0]

    def response(self, stream):
        """Body of stream's response once END_STREAM arrives (the header block is skipped)."""
        body = b""
        while True:
            f = self.read_frame()
            assert f is not None, "connection closed before the response ended"
            if f[2] != stream:
                continue
            assert f[0] != RST_STREAM, f"stream {stream} was reset: {f}"
            if f[0] == DATA:
                body += f[3]
            if f[0] in (DATA, HEADERS) and f[1] & END_STREAM:
                return body

    def wait_closed(self, timeout=10):
        self.sock.settimeout(timeout)
        while self.read_frame() is not None:
            pass
        return True

    def close(self):
        self.sock.close()


def curl(url, *args, h2=True):
    """(status, body) via curl; h2 uses HTTP/2 with prior knowledge."""
    cmd = [CURL, "-sS", "--max-time", "20", "-o", "-", "-w", "\n%{http_code} %{http_version}", url, *args]
    if h2:
        cmd.insert(1, "--http2-prior-knowledge")
    out = subprocess.run(cmd, capture_output=True, timeout=30).stdout
    body, _, tail = out.rpartition(b"\n")
    status, version = tail.decode().split()
    if h2 and status != "000":
        assert version == "2", f"curl spoke HTTP/{version}"
    return int(status), body


def kinesis_args(operation, body):
    return ["-X", "POST", "-H", "content-type: application/x-amz-json-1.1",
            "-H", f"x-amz-target: Kinesis_20131202.{operation}", "-H", f"authorization: {AUTH}",
            "-H", "x-amz-date: 20240101T000000Z", "--data-binary", json.dumps(body)]


def stream_pattern(n):
    return bytes(97 + i % 26 for i in range(n))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@unittest.skipUnless(CURL and NGHTTP and H2LOAD, "needs curl and nghttp2-client (nghttp, h2load)")
class Http2Test(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(("--state-delay-ms", "0", "--throttle", "off", "--max-body-mib", "1",
                             "--body-timeout-ms", "2000")).start()
        cls.port = cls.server.port
        cls.url = cls.server.endpoint

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def assert_serving(self):
        """Other connections are still served, in both versions."""
        with urllib.request.urlopen(self.url + "/_streamlab/health", timeout=5) as r:
            self.assertEqual(r.status, 200)
        self.assertEqual(curl(self.url + "/_streamlab/health")[0], 200)

    # --- what clients do -------------------------------------------------------------------

    def test_both_versions_on_one_port(self):
        status, body = curl(self.url + "/_streamlab/health")
        self.assertEqual((status, json.loads(body)["status"]), (200, "ok"))
        status, body = curl(self.url + "/_streamlab/health", h2=False)
        self.assertEqual((status, json.loads(body)["status"]), (200, "ok"))
        out = subprocess.run([NGHTTP, "-v", self.url + "/_streamlab/health"], capture_output=True, text=True,
                             timeout=30).stdout
        self.assertIn("SETTINGS_MAX_CONCURRENT_STREAMS(0x03):128", out)
        self.assertIn(":status: 200", out)

    def test_kinesis_over_h2(self):
        url = self.url + "/"
        self.assertEqual(curl(url, *kinesis_args("CreateStream", {"StreamName": "h2", "ShardCount": 1}))[0], 200)
        status, body = curl(url, *kinesis_args("PutRecord", {"StreamName": "h2", "PartitionKey": "k",
                                                             "Data": "aGVsbG8gaDI="}))
        self.assertEqual(status, 200, body)
        shard = json.loads(body)["ShardId"]
        status, body = curl(url, *kinesis_args("GetShardIterator", {"StreamName": "h2", "ShardId": shard,
                                                                    "ShardIteratorType": "TRIM_HORIZON"}))
        iterator = json.loads(body)["ShardIterator"]
        status, body = curl(url, *kinesis_args("GetRecords", {"ShardIterator": iterator}))
        self.assertEqual([r["Data"] for r in json.loads(body)["Records"]], ["aGVsbG8gaDI="])
        # Errors travel the same way.
        status, body = curl(url, *kinesis_args("DescribeStreamSummary", {"StreamName": "nope"}))
        self.assertEqual((status, json.loads(body)["__type"]), (400, "ResourceNotFoundException"))

    def test_many_concurrent_streams(self):
        out = subprocess.run([H2LOAD, "-n", "4000", "-c", "2", "-m", "100", self.url + "/_streamlab/health"],
                             capture_output=True, text=True, timeout=120).stdout
        self.assertIn("4000 succeeded, 0 failed, 0 errored", out)

    def test_preface_in_pieces(self):
        c = H2Conn(self.port, preface=False)
        for i in range(0, len(PREFACE), 5):  # "P", "PR"... could still be HTTP/1.1 "PUT": the server waits
            c.send(PREFACE[i:i + 5])
            time.sleep(0.05)
        c.send(frame(SETTINGS, 0, 0) + request(1, "/_streamlab/health"))
        self.assertEqual(json.loads(c.response(1))["status"], "ok")
        c.close()

    def test_http1_methods_starting_with_p(self):
        for method in (b"PUT", b"POST", b"PATCH"):
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
                s.sendall(method[:1])
                time.sleep(0.1)
                s.sendall(method[1:] + b" /_streamlab/health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                self.assertTrue(s.recv(100).startswith(b"HTTP/1.1 "), method)

    def test_streamed_body(self):
        size = 3 * 1024 * 1024 + 7
        url = f"{self.url}/_streamlab/stream-test?bytes={size}&chunk=10000"
        for h2 in (True, False):
            status, body = curl(url, h2=h2)
            self.assertEqual((status, len(body)), (200, size))
            self.assertEqual(body, stream_pattern(size))
        # nghttp keeps the default 64 KiB window and opens it as it reads: flow control paces the server.
        out = subprocess.run([NGHTTP, url], capture_output=True, timeout=60).stdout
        self.assertEqual(out, stream_pattern(size))
        raw = subprocess.run([CURL, "-sS", "-D", "-", "-o", "/dev/null", url], capture_output=True, text=True).stdout
        self.assertIn("transfer-encoding: chunked", raw.lower())

    def test_stream_beyond_its_cap_is_reset(self):
        # The producer queues 12 MiB at once; the per-stream cap is 8 MiB.
        c = H2Conn(self.port)
        c.send(request(1, "/_streamlab/stream-test?bytes=12582912"))
        self.assertEqual(c.rst(1), CANCEL)
        c.send(request(3, "/_streamlab/health"))  # the connection itself is fine
        self.assertIn(b'"ok"', c.response(3))
        c.close()
        # HTTP/1.1 cannot reset one response: the connection closes before the last chunk.
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(b"GET /_streamlab/stream-test?bytes=12582912 HTTP/1.1\r\nHost: x\r\n\r\n")
            got = b""
            while chunk := s.recv(1 << 16):
                got += chunk
            self.assertTrue(got.startswith(b"HTTP/1.1 200"))
            self.assertFalse(got.endswith(b"\r\n0\r\n\r\n"))
        self.assert_serving()

    # --- bad input -------------------------------------------------------------------------

    def test_broken_preface(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            s.sendall(b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n")  # not the preface: HTTP/1.1 sees a bad request
            self.assertTrue(s.recv(100).startswith(b"HTTP/1.1 400"))
        self.assert_serving()

    def test_invalid_frames(self):
        cases = {
            "DATA on stream 0": (frame(DATA, 0, 0, b"x"), PROTOCOL_ERROR),
            "bad HPACK index": (frame(HEADERS, END_HEADERS | END_STREAM, 1, b"\xff\xff\xff\xff\x0f"),
                                COMPRESSION_ERROR),
            "frame over max size": (frame(PING, 0, 0, b"\0" * 20000), FRAME_SIZE_ERROR),
            "PING of wrong length": (frame(PING, 0, 0, b"\0" * 7), FRAME_SIZE_ERROR),
            "zero window increment": (frame(WINDOW_UPDATE, 0, 0, b"\0\0\0\0"), PROTOCOL_ERROR),
            "even stream id": (request(2, "/_streamlab/health"), PROTOCOL_ERROR),
            "missing :path": (frame(HEADERS, END_HEADERS | END_STREAM, 1,
                                    hpack([(":method", "GET"), (":scheme", "http")])), None),
        }
        for name, (bad, code) in cases.items():
            with self.subTest(name):
                c = H2Conn(self.port)
                c.send(bad)
                if code is None:  # a malformed request is a stream error
                    self.assertEqual(c.rst(1), PROTOCOL_ERROR)
                else:
                    self.assertEqual(c.goaway()[1], code)
                    self.assertTrue(c.wait_closed())
                c.close()
        # The first frame must be SETTINGS.
        c = H2Conn(self.port, preface=False)
        c.send(PREFACE + frame(PING, 0, 0, b"\0" * 8))
        self.assertEqual(c.goaway()[1], PROTOCOL_ERROR)
        c.close()
        self.assert_serving()

    def test_too_many_concurrent_streams(self):
        c = H2Conn(self.port)
        # Requests whose bodies never come stay open; the 129th is one too many.
        c.send(b"".join(request(1 + 2 * i, "/_streamlab/health", "POST", end_stream=False) for i in range(129)))
        self.assertEqual(c.rst(257), REFUSED_STREAM)
        c.send(frame(DATA, END_STREAM, 1, b"{}"))  # the connection and its other streams carry on
        self.assertIn(b"no such lab endpoint", c.response(1))
        c.close()
        self.assert_serving()

    def test_oversize_headers(self):
        big = [arg for i in range(20) for arg in ("-H", f"x-big-{i}: {'v' * 4000}")]
        self.assertEqual(curl(self.url + "/_streamlab/health", *big, h2=False)[0], 431)
        # Over HTTP/2, nghttp2-based clients (curl, nghttp) honour the SETTINGS_MAX_HEADER_LIST_SIZE we
        # advertise and refuse to send such a request; a raw client gets the 431. One HEADERS and four
        # CONTINUATIONs, 80 KB, no Huffman:
        block = hpack([(":method", "GET"), (":scheme", "http"), (":authority", "x"), (":path", "/_streamlab/health")]
                      + [(f"x-big-{i}", "v" * 4000) for i in range(20)])
        parts = [block[i:i + 16000] for i in range(0, len(block), 16000)]
        frames = frame(HEADERS, END_STREAM, 1, parts[0]) + b"".join(
            frame(CONTINUATION, END_HEADERS if i == len(parts) - 1 else 0, 1, p) for i, p in enumerate(parts[1:], 1))
        c = H2Conn(self.port)
        c.send(frames)
        self.assertEqual(c.response(1), b"Request header fields too large")
        c.close()
        self.assert_serving()

    def test_body_limit(self):
        with tempfile.NamedTemporaryFile() as f:
            f.write(b"x" * (1024 * 1024 + 1))
            f.flush()
            for h2 in (True, False):
                status, _ = curl(self.url + "/", "-X", "POST", "--data-binary", "@" + f.name, h2=h2)
                self.assertEqual(status, 413)
        # Raw: 413 before the body has ended, then RST_STREAM(NO_ERROR) so the client stops sending.
        c = H2Conn(self.port)
        c.until(lambda f: f[0] == SETTINGS and not f[1] & ACK)
        c.send(frame(SETTINGS, ACK, 0) + request(1, "/", "POST", end_stream=False))
        chunk = frame(DATA, 0, 1, b"x" * 16384)
        c.send(chunk * 40)  # 640 KiB: past half the 1 MiB stream window, which the server then reopens
        c.until(lambda f: f[0] == WINDOW_UPDATE and f[2] == 1)
        c.send(chunk * 30)
        seen = c.until(lambda f: f[0] == RST_STREAM and f[2] == 1)
        self.assertIn(HEADERS, [f[0] for f in seen if f and f[2] == 1])
        self.assertEqual(struct.unpack(">I", seen[-1][3])[0], NO_ERROR)
        c.close()
        self.assert_serving()

    def test_request_bodies_of_one_connection_are_bounded(self):
        """80 streams each sending ~1 MB at once: past 64 MiB buffered, streams are refused (safe to retry)."""
        c = H2Conn(self.port)
        n, piece, pieces = 80, b"x" * 16000, 62
        c.send(b"".join(request(1 + 2 * i, "/_streamlab/health", "POST", end_stream=False) for i in range(n)))
        for i in range(n):
            c.send(frame(DATA, 0, 1 + 2 * i, piece) * pieces)
        c.send(frame(DATA, END_STREAM, 1, b""))
        fit = (64 << 20) // (len(piece) * pieces)
        refused, done = [], False
        while not done or len(refused) < n - fit:
            f = c.read_frame()
            self.assertIsNotNone(f)
            if f[0] == RST_STREAM and struct.unpack(">I", f[3])[0] == REFUSED_STREAM:
                refused.append(f[2])
            done |= f[2] == 1 and f[0] in (HEADERS, DATA) and bool(f[1] & END_STREAM)  # stream 1 completed
        self.assertEqual(sorted(refused), [1 + 2 * i for i in range(fit, n)])
        c.close()
        self.assert_serving()

    def test_peer_that_never_opens_its_window(self):
        """Data stays queued in the server (bounded), then stuck streams are reset after the body timeout."""
        pid = self.server.proc.pid
        before = rss_kib(pid)
        c = H2Conn(self.port)
        n = 40  # 40 x 4 MiB asked for; the connection may queue at most 64 MiB
        c.send(b"".join(request(1 + 2 * i, "/_streamlab/stream-test?bytes=4194304") for i in range(n)))
        codes = {}
        deadline = time.time() + 20
        while len(codes) < n and time.time() < deadline:
            f = c.read_frame()
            self.assertIsNotNone(f)
            if f[0] == RST_STREAM:
                codes[f[2]] = struct.unpack(">I", f[3])[0]
        self.assertEqual(len(codes), n)
        self.assertEqual(set(codes.values()), {CANCEL})
        self.assertLess(rss_kib(pid) - before, 160 * 1024)
        self.assert_serving()
        c.close()

    def test_peer_that_never_reads(self):
        """The socket backs up: the server gives up on it after the body timeout and serves others."""
        c = H2Conn(self.port, settings(initial_window_size=(1 << 31) - 1))
        c.send(frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", (1 << 31) - 1 - 65535)))
        c.send(b"".join(request(1 + 2 * i, "/_streamlab/stream-test?bytes=4194304") for i in range(8)))
        time.sleep(3)  # never reading; the server's writes stall
        self.assert_serving()
        start = time.time()
        self.assertTrue(c.wait_closed(timeout=10))  # what was sent drains, then EOF
        self.assertLess(time.time() - start, 10)
        c.close()


@unittest.skipUnless(CURL, "needs curl")
class Http2LifecycleTest(unittest.TestCase):
    """Timeouts, the shared connection cap and graceful shutdown, each on its own server."""

    def start(self, *args):
        server = Server(("--state-delay-ms", "0", *args)).start()
        self.addCleanup(server.close)
        return server

    def conn(self, server, **kwargs):
        c = H2Conn(server.port, **kwargs)
        self.addCleanup(c.close)
        return c

    def test_idle_connection_gets_goaway(self):
        server = self.start("--idle-timeout-ms", "500")
        c = self.conn(server)
        c.send(request(1, "/_streamlab/health"))
        c.response(1)
        self.assertEqual(c.goaway(), (1, NO_ERROR))
        self.assertTrue(c.wait_closed())

    def test_header_and_body_timeouts(self):
        server = self.start("--header-timeout-ms", "500", "--body-timeout-ms", "500")
        silent = self.conn(server, preface=False)
        silent.send(PREFACE)  # and never the SETTINGS frame
        slow = self.conn(server)
        slow.send(request(1, "/_streamlab/health", "POST", end_stream=False))  # and never the body
        self.assertEqual(slow.rst(1), CANCEL)
        self.assertTrue(silent.wait_closed(timeout=5))
        slow.send(request(3, "/_streamlab/health"))
        self.assertIn(b'"ok"', slow.response(3))

    def test_connection_cap_counts_both_versions(self):
        server = self.start("--max-connections", "2")
        time.sleep(0.2)  # the health probe's connection closes
        conns = [self.conn(server) for _ in range(2)]
        for c in conns:
            c.send(request(1, "/_streamlab/health"))
            c.response(1)
        with self.assertRaises(OSError):
            urllib.request.urlopen(server.endpoint + "/_streamlab/health", timeout=5).read()
        conns[0].sock.close()
        time.sleep(0.3)
        with urllib.request.urlopen(server.endpoint + "/_streamlab/health", timeout=5) as r:
            self.assertEqual(r.status, 200)

    def test_graceful_shutdown_sends_goaway_and_finishes_streams(self):
        server = self.start()
        c = self.conn(server)
        c.send(request(1, "/_streamlab/reset", "POST", end_stream=False))
        c.until(lambda f: f[0] == SETTINGS and f[1] & ACK)  # stream 1 has been seen
        time.sleep(0.1)
        server.proc.send_signal(signal.SIGTERM)
        self.assertEqual(c.goaway(), (1, NO_ERROR))
        c.send(frame(DATA, END_STREAM, 1, b"{}"))  # the in-flight request still completes
        self.assertIn(b"reset", c.response(1))
        self.assertTrue(c.wait_closed())
        self.assertEqual(server.proc.wait(15), 0)


if __name__ == "__main__":
    unittest.main()
