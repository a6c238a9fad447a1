"""The server itself: lab endpoints, accounts and regions, keep-alive, many connections, timeouts,
connection limits, graceful shutdown and start-up time."""
import base64
import http.client
import json
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from botocore.exceptions import ClientError

from harness import BIN, Server, ServerTest
from streamlab_testlib import DEFAULT_ACCOUNT, Closed, RawConn, kinesis_request, no_retry_client, wait_active


def raise_fd_limit(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        new = want if hard == resource.RLIM_INFINITY else min(want, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def http_get(server, path, method="GET", data=None):
    req = urllib.request.Request(server.endpoint + path, method=method, data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict((k.lower(), v) for k, v in r.headers.items()), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict((k.lower(), v) for k, v in e.headers.items()), e.read()


def streams_in_state(server):
    return server.lab("/_streamlab/state")["kinesis"]["streams"]


class ClientsClosed:
    def client(self, service, **kwargs):
        c = self.server.client(service, **kwargs)
        self.addCleanup(getattr(c, "close", lambda: None))
        return c


class LabEndpointsTest(ClientsClosed, ServerTest):
    def test_health(self):
        status, headers, body = http_get(self.server, "/_streamlab/health")
        self.assertEqual(status, 200)
        self.assertIn("x-amzn-requestid", headers)
        health = json.loads(body)
        version = subprocess.run([BIN, "version"], capture_output=True, text=True, timeout=10).stdout.strip()
        self.assertEqual(health["version"], version)
        self.assertEqual(health.get("status"), "ok")
        self.assertIn("kinesis", health["services"])
        self.assertIsInstance(health["uptime_seconds"], (int, float))
        self.assertGreaterEqual(health["uptime_seconds"], 0)
        time.sleep(0.3)
        later = self.server.lab("/_streamlab/health")
        self.assertGreaterEqual(later["uptime_seconds"] - health["uptime_seconds"], 0.25)

    def test_state_lists_streams(self):
        default = self.client("kinesis")
        other = self.client("kinesis", key="123456789012", region="eu-west-1")
        default.create_stream(StreamName="alpha", ShardCount=2)
        other.create_stream(StreamName="beta", ShardCount=1)
        wait_active(default, "alpha")
        wait_active(other, "beta")
        default.put_records(StreamName="alpha", Records=[{"Data": b"x", "PartitionKey": str(i)} for i in range(10)])
        state = {(s["Account"], s["Region"], s["StreamName"]): s for s in streams_in_state(self.server)}
        self.assertEqual(set(state), {(DEFAULT_ACCOUNT, "us-east-1", "alpha"), ("123456789012", "eu-west-1", "beta")})
        alpha = state[(DEFAULT_ACCOUNT, "us-east-1", "alpha")]
        self.assertEqual(alpha["StreamStatus"], "ACTIVE")
        self.assertEqual(len(alpha["Shards"]), 2)
        self.assertEqual(sum(sh["Records"] for sh in alpha["Shards"]), 10)

    def test_reset_everything(self):
        a = self.client("kinesis")
        b = self.client("kinesis", key="123456789012")
        a.create_stream(StreamName="one", ShardCount=1)
        b.create_stream(StreamName="two", ShardCount=1)
        self.assertEqual(self.server.lab("/_streamlab/reset", method="POST", body=b""), {"reset": "all"})
        self.assertEqual(streams_in_state(self.server), [])
        self.assertEqual(a.list_streams()["StreamNames"], [])
        self.assertEqual(b.list_streams()["StreamNames"], [])
        a.create_stream(StreamName="one", ShardCount=1)  # the name is free again

    def test_reset_one_account(self):
        a = self.client("kinesis")
        b = self.client("kinesis", key="123456789012")
        a.create_stream(StreamName="keep", ShardCount=1)
        b.create_stream(StreamName="drop", ShardCount=1)
        b.create_stream(StreamName="drop2", ShardCount=1)
        self.assertEqual(self.server.lab("/_streamlab/reset?account=123456789012", method="POST", body=b""),
                         {"reset": "123456789012"})
        self.assertEqual(a.list_streams()["StreamNames"], ["keep"])
        self.assertEqual(b.list_streams()["StreamNames"], [])
        self.assertEqual([s["StreamName"] for s in streams_in_state(self.server)], ["keep"])

    def test_reset_one_account_named_in_a_json_body(self):
        a = self.client("kinesis")
        b = self.client("kinesis", key="210987654321")
        a.create_stream(StreamName="keep", ShardCount=1)
        b.create_stream(StreamName="drop", ShardCount=1)
        self.assertEqual(self.server.lab("/_streamlab/reset", method="POST", body=b'{"account": "210987654321"}'),
                         {"reset": "210987654321"})
        self.assertEqual(a.list_streams()["StreamNames"], ["keep"])
        self.assertEqual(b.list_streams()["StreamNames"], [])

    def test_head_health(self):
        with RawConn(self.server.port) as c:
            c.send(b"HEAD /_streamlab/health HTTP/1.1\r\nHost: x\r\n\r\n")
            r = c.read_response(head=True)
            self.assertEqual(r.status, 200)
            # The next response on the connection is intact (no stray body from HEAD).
            r = c.request(b"GET /_streamlab/health HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(json.loads(r.body)["status"], "ok")

    def test_reset_needs_post_and_unknown_paths_are_404(self):
        status, _, _ = http_get(self.server, "/_streamlab/reset")
        self.assertEqual(status, 405)
        status, headers, _ = http_get(self.server, "/_streamlab/nope")
        self.assertEqual(status, 404)
        self.assertIn("x-amzn-requestid", headers)


class IdentityTest(ClientsClosed, ServerTest):
    def test_account_from_twelve_digit_access_key(self):
        mine = self.client("kinesis", key="123456789012")
        mine.create_stream(StreamName="acct", ShardCount=1)
        wait_active(mine, "acct")
        summary = mine.describe_stream_summary(StreamName="acct")["StreamDescriptionSummary"]
        self.assertEqual(summary["StreamARN"], "arn:aws:kinesis:us-east-1:123456789012:stream/acct")
        # Other access keys are the default account, which does not see the stream.
        for key in ("test", "AKIAIOSFODNN7EXAMPLE", "12345678901a", "1234567890123"):
            with self.subTest(key=key):
                other = self.client("kinesis", key=key)
                self.assertEqual(other.list_streams()["StreamNames"], [])
                with self.assertRaises(ClientError) as ctx:
                    other.describe_stream_summary(StreamName="acct")
                self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceNotFoundException")
                self.assertEqual(ctx.exception.response["Error"]["Message"],
                                 f"Stream acct under account {DEFAULT_ACCOUNT} not found.")
        default = self.client("kinesis")
        default.create_stream(StreamName="acct", ShardCount=1)  # same name, other account
        wait_active(default, "acct")
        self.assertEqual(default.describe_stream_summary(StreamName="acct")["StreamDescriptionSummary"]["StreamARN"],
                         f"arn:aws:kinesis:us-east-1:{DEFAULT_ACCOUNT}:stream/acct")
        with self.assertRaises(ClientError) as ctx:
            mine.describe_stream_summary(StreamName="missing")
        self.assertEqual(ctx.exception.response["Error"]["Message"],
                         "Stream missing under account 123456789012 not found.")
        # Data stays per account.
        mine.put_record(StreamName="acct", Data=b"mine", PartitionKey="k")
        it = default.get_shard_iterator(StreamName="acct", ShardId="shardId-000000000000",
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertEqual(default.get_records(ShardIterator=it)["Records"], [])

    def test_region_from_credential_scope(self):
        west = self.client("kinesis", region="us-west-2")
        east = self.client("kinesis", region="us-east-1")
        west.create_stream(StreamName="regional", ShardCount=1)
        wait_active(west, "regional")
        self.assertEqual(west.describe_stream_summary(StreamName="regional")["StreamDescriptionSummary"]["StreamARN"],
                         f"arn:aws:kinesis:us-west-2:{DEFAULT_ACCOUNT}:stream/regional")
        self.assertEqual(west.list_streams()["StreamNames"], ["regional"])
        self.assertEqual(east.list_streams()["StreamNames"], [])
        with self.assertRaises(ClientError) as ctx:
            east.describe_stream(StreamName="regional")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceNotFoundException")
        with self.assertRaises(ClientError) as ctx:
            east.put_record(StreamName="regional", Data=b"x", PartitionKey="k")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceNotFoundException")
        east.create_stream(StreamName="regional", ShardCount=2)
        wait_active(east, "regional")
        self.assertEqual(len(east.list_shards(StreamName="regional")["Shards"]), 2)
        self.assertEqual(len(west.list_shards(StreamName="regional")["Shards"]), 1)


class ConnectionsTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        raise_fd_limit(4096)  # before the server starts: it inherits the limit
        super().setUpClass()

    def test_keep_alive_reuses_one_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        self.addCleanup(conn.close)
        sock = None
        for i in range(20):
            body = kinesis_request("ListStreams", {}).partition(b"\r\n\r\n")
            headers = dict(line.split(": ", 1) for line in body[0].decode().split("\r\n")[1:])
            conn.request("POST", "/", body=body[2], headers=headers)
            r = conn.getresponse()
            self.assertEqual(r.status, 200)
            self.assertNotEqual((r.getheader("connection") or "").lower(), "close")
            r.read()
            if sock is None:
                sock = conn.sock
                port = sock.getsockname()[1]
            self.assertIs(conn.sock, sock, "the client had to reconnect")
            self.assertEqual(conn.sock.getsockname()[1], port)
        # Pipelined on one raw connection as well.
        with RawConn(self.server.port) as raw:
            raw.send(kinesis_request("ListStreams", {}) * 5)
            for _ in range(5):
                self.assertEqual(raw.read_response().status, 200)

    def test_chunked_request_body(self):
        k = no_retry_client(self.server)
        k.create_stream(StreamName="chunked", ShardCount=1)
        wait_active(k, "chunked")
        data = kinesis_request("PutRecord", {"StreamName": "chunked", "PartitionKey": "k",
                                             "Data": base64.b64encode(b"sent in chunks").decode()})
        head, _, body = data.partition(b"\r\n\r\n")
        head = b"\r\n".join(line for line in head.split(b"\r\n") if not line.startswith(b"Content-Length"))
        head += b"\r\nTransfer-Encoding: chunked\r\n\r\n"
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 7]), body[i:i + 7]) for i in range(0, len(body), 7))
        with RawConn(self.server.port) as c:
            r = c.request(head + chunks + b"0\r\n\r\n")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(c.request(kinesis_request("ListStreams", {})).status, 200)
        it = k.get_shard_iterator(StreamName="chunked", ShardId="shardId-000000000000",
                                  ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertEqual([x["Data"] for x in k.get_records(ShardIterator=it)["Records"]], [b"sent in chunks"])

    def test_expect_100_continue(self):
        # RFC 9110 section 10.1.1: on a complete header section with "Expect: 100-continue" the server MUST answer
        # at once, with 100 (Continue) or a final status (curl sends this for large bodies).
        data = kinesis_request("ListStreams", {"Limit": 5}, headers={"Expect": "100-continue"})
        head, _, body = data.partition(b"\r\n\r\n")
        with RawConn(self.server.port) as c:
            c.send(head + b"\r\n\r\n")
            try:
                r = c.read_response(timeout=1.0)
            except socket.timeout:
                self.fail("no 100 Continue (or final status) within 1 s of an Expect: 100-continue header")
            if r.status == 100:
                c.send(body)
                r = c.read_response()
            self.assertEqual(r.status, 200, r)

    def test_connection_close_and_http10(self):
        with RawConn(self.server.port) as raw:
            r = raw.request(kinesis_request("ListStreams", {}, keep_alive=False))
            self.assertEqual(r.status, 200)
            self.assertEqual((r.header("connection") or "").lower(), "close")
            self.assertTrue(raw.wait_closed(5))
        with RawConn(self.server.port) as raw:
            data = kinesis_request("ListStreams", {}).replace(b"HTTP/1.1", b"HTTP/1.0", 1)
            r = raw.request(data)
            self.assertEqual(r.status, 200)
            self.assertTrue(raw.wait_closed(5), "HTTP/1.0 without keep-alive left open")

    def test_one_thousand_idle_connections(self):
        self.assertGreaterEqual(raise_fd_limit(4096), 2200)
        k = no_retry_client(self.server)
        k.create_stream(StreamName="busy", ShardCount=1)
        wait_active(k, "busy")
        idle = []
        try:
            for i in range(1000):
                c = RawConn(self.server.port)
                idle.append(c)
                if i % 2:  # half of them made one request and now idle in keep-alive
                    self.assertEqual(c.request(kinesis_request("ListStreams", {})).status, 200)
            started = time.monotonic()
            for i in range(20):
                k.put_record(StreamName="busy", Data=b"r%d" % i, PartitionKey="k")
            it = k.get_shard_iterator(StreamName="busy", ShardId="shardId-000000000000",
                                      ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            self.assertEqual(len(k.get_records(ShardIterator=it)["Records"]), 20)
            self.assertLess(time.monotonic() - started, 5, "requests crawled while 1,000 connections were idle")
            # The idle connections are all still served.
            for c in idle[::50] + idle[1::50]:
                self.assertEqual(c.request(kinesis_request("ListStreams", {})).status, 200)
        finally:
            for c in idle:
                c.close()
            getattr(k, "close", lambda: None)()


class TimeoutsTest(unittest.TestCase):
    HEADER_MS, BODY_MS, IDLE_MS = 500, 500, 1000

    @classmethod
    def setUpClass(cls):
        cls.server = Server(("--state-delay-ms", "0", "--header-timeout-ms", str(cls.HEADER_MS),
                             "--body-timeout-ms", str(cls.BODY_MS), "--idle-timeout-ms", str(cls.IDLE_MS))).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def assert_alive(self):
        with RawConn(self.server.port) as c:
            self.assertEqual(c.request(kinesis_request("ListStreams", {})).status, 200)

    def test_slowloris_headers_are_cut_off(self):
        data = kinesis_request("ListStreams", {})
        head = data.partition(b"\r\n\r\n")[0]
        with RawConn(self.server.port) as c:
            first = time.monotonic()
            closed_at = None
            for i, byte in enumerate(head):  # one byte every 50 ms: ~15 s for the whole header
                try:
                    c.send(bytes([byte]))
                except (BrokenPipeError, ConnectionResetError):
                    closed_at = time.monotonic()
                    break
                if c.wait_closed(0.05):
                    closed_at = time.monotonic()
                    break
                if time.monotonic() - first > 5:
                    break
            self.assertIsNotNone(closed_at, "a header sent byte by byte was never cut off")
            took = closed_at - first
            self.assertLess(took, self.HEADER_MS / 1000 + 1.5, f"cut off only after {took:.2f}s")
            self.assertGreater(took, self.HEADER_MS / 1000 * 0.8, f"cut off too early ({took:.2f}s)")
        self.assert_alive()

    def test_abandoned_half_sent_body_is_closed(self):
        data = kinesis_request("PutRecord", {"StreamName": "none", "PartitionKey": "k", "Data": "QUFB" * 250})
        head, _, body = data.partition(b"\r\n\r\n")
        with RawConn(self.server.port) as c:
            c.send(head + b"\r\n\r\n" + body[:10])
            sent = time.monotonic()
            self.assertTrue(c.wait_closed(self.BODY_MS / 1000 + 2), "an abandoned body was never timed out")
            took = time.monotonic() - sent
            self.assertGreater(took, self.BODY_MS / 1000 * 0.8, f"closed too early ({took:.2f}s)")
        self.assert_alive()

    def test_idle_keep_alive_connection_is_closed(self):
        with RawConn(self.server.port) as c:
            self.assertEqual(c.request(kinesis_request("ListStreams", {})).status, 200)
            done = time.monotonic()
            self.assertTrue(c.wait_closed(self.IDLE_MS / 1000 + 2), "idle keep-alive connection never closed")
            took = time.monotonic() - done
            self.assertGreater(took, self.IDLE_MS / 1000 * 0.8, f"closed too early ({took:.2f}s)")
        with RawConn(self.server.port) as c:  # connected but never sent anything
            opened = time.monotonic()
            self.assertTrue(c.wait_closed(self.IDLE_MS / 1000 + 2), "silent connection never closed")
            self.assertGreater(time.monotonic() - opened, self.IDLE_MS / 1000 * 0.8)
        self.assert_alive()

    def test_steady_requests_within_timeouts_are_served(self):
        with RawConn(self.server.port) as c:
            for _ in range(4):
                time.sleep(self.IDLE_MS / 1000 * 0.6)  # under the idle timeout each time
                self.assertEqual(c.request(kinesis_request("ListStreams", {})).status, 200)


class MaxConnectionsTest(unittest.TestCase):
    LIMIT = 50

    @classmethod
    def setUpClass(cls):
        cls.server = Server(("--state-delay-ms", "0", "--max-connections", str(cls.LIMIT))).start()
        time.sleep(0.2)  # let the harness's health-check connection go away

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_extra_connections_are_closed_and_existing_ones_keep_working(self):
        conns = []
        try:
            for _ in range(self.LIMIT):
                c = RawConn(self.server.port)
                conns.append(c)
                self.assertEqual(c.request(kinesis_request("ListStreams", {})).status, 200)
            extra = RawConn(self.server.port)  # the kernel accepts; the server must close it
            conns.append(extra)
            try:
                extra.send(kinesis_request("ListStreams", {}))
            except (BrokenPipeError, ConnectionResetError):
                pass
            try:
                r = extra.read_response(timeout=3)
                self.fail(f"connection {self.LIMIT + 1} was served: {r}")
            except (Closed, ConnectionResetError):
                pass
            for c in conns[:self.LIMIT]:
                self.assertEqual(c.request(kinesis_request("ListStreams", {})).status, 200)
            # Closing some frees room for new ones.
            for c in conns[:10]:
                c.close()
            time.sleep(0.3)
            for _ in range(5):
                with RawConn(self.server.port) as c:
                    self.assertEqual(c.request(kinesis_request("ListStreams", {})).status, 200)
        finally:
            for c in conns:
                c.close()


    def test_connection_count_does_not_leak(self):
        # Churn through every way a connection can end, then the full limit must still be usable.
        time.sleep(0.3)
        for i in range(120):
            with RawConn(self.server.port) as c:
                kind = i % 6
                if kind == 0:
                    c.request(kinesis_request("ListStreams", {}))
                elif kind == 1:
                    c.request(kinesis_request("ListStreams", {}, keep_alive=False))
                elif kind == 2:
                    c.send(b"GARBAGE\r\n\r\n")
                    c.wait_closed(2)
                elif kind == 3:
                    c.send(b"POST / HTTP/1.1\r\nX: " + b"a" * 70000 + b"\r\n\r\n")
                    c.wait_closed(2)
                elif kind == 4:
                    c.send(b"POST / HTTP/1.1\r\nContent-Length: 50\r\n\r\n{")  # abandoned mid-body
                # kind 5: connect and leave at once
        time.sleep(0.5)
        conns = []
        try:
            for i in range(self.LIMIT):
                c = RawConn(self.server.port)
                conns.append(c)
                try:
                    r = c.request(kinesis_request("ListStreams", {}), timeout=3)
                except (Closed, ConnectionResetError, socket.timeout):
                    self.fail(f"connection {i + 1} of {self.LIMIT} refused: the open-connection count leaked")
                self.assertEqual(r.status, 200)
        finally:
            for c in conns:
                c.close()
            time.sleep(0.3)


class LifecycleTest(unittest.TestCase):
    """Each test runs its own server."""

    def make_server(self, args=(), data_dir=None):
        s = Server(("--state-delay-ms", "0", "--throttle", "off") + tuple(args), data_dir=data_dir)
        self.addCleanup(s.close)
        return s

    def test_graceful_shutdown_finishes_an_in_flight_request(self):
        data_dir = tempfile.mkdtemp(prefix="streamlab-test-")
        self.addCleanup(shutil.rmtree, data_dir, True)
        s = self.make_server(data_dir=data_dir).start()
        k = no_retry_client(s)
        k.create_stream(StreamName="inflight", ShardCount=1)
        wait_active(k, "inflight")
        data = kinesis_request("PutRecord", {"StreamName": "inflight", "PartitionKey": "k",
                                             "Data": base64.b64encode(b"in flight").decode()})
        idle = RawConn(s.port)  # an idle keep-alive connection must not hold up the exit
        self.addCleanup(idle.close)
        self.assertEqual(idle.request(kinesis_request("ListStreams", {})).status, 200)
        with RawConn(s.port) as c:
            c.send(data[:len(data) - 10])  # headers and most of the body
            time.sleep(0.2)
            s.proc.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            self.assertIsNone(s.proc.poll(), "exited with a request in flight")
            self.assertTrue(idle.wait_closed(3), "idle connection not closed on SIGTERM")
            refused = False
            try:
                with RawConn(s.port, timeout=2) as late:
                    late.request(kinesis_request("ListStreams", {}), timeout=2)
            except (ConnectionRefusedError, Closed, ConnectionResetError, socket.timeout):
                refused = True
            self.assertTrue(refused, "a new connection was served after SIGTERM")
            c.send(data[len(data) - 10:])
            r = c.read_response(timeout=10)
            self.assertEqual(r.status, 200, r)
            seq = r.json()["SequenceNumber"]
        self.assertEqual(s.proc.wait(15), 0)
        # The acknowledged record survived.
        s2 = self.make_server(data_dir=data_dir).start()
        k2 = no_retry_client(s2)
        it = k2.get_shard_iterator(StreamName="inflight", ShardId="shardId-000000000000",
                                   ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        recs = k2.get_records(ShardIterator=it)["Records"]
        self.assertEqual([(x["Data"], x["SequenceNumber"]) for x in recs], [(b"in flight", seq)])

    def test_sigterm_with_idle_connections_exits_quickly(self):
        s = self.make_server().start()
        conns = [RawConn(s.port) for _ in range(20)]
        for c in conns[:10]:
            self.assertEqual(c.request(kinesis_request("ListStreams", {})).status, 200)
        started = time.monotonic()
        s.proc.send_signal(signal.SIGTERM)
        self.assertEqual(s.proc.wait(10), 0)
        self.assertLess(time.monotonic() - started, 3)
        for c in conns:
            c.close()

    def test_startup_time(self):
        data_dir = tempfile.mkdtemp(prefix="streamlab-test-")
        self.addCleanup(shutil.rmtree, data_dir, True)
        s = self.make_server(data_dir=data_dir)
        took = self.time_start(s)
        print(f"\nstart-up to first answered health request (empty data dir): {took * 1000:.0f} ms",
              file=sys.stderr)
        self.assertLess(took, 1.0)
        k = no_retry_client(s)
        for i in range(5):
            k.create_stream(StreamName=f"s{i}", ShardCount=4)
        for i in range(5):
            wait_active(k, f"s{i}")
            k.put_records(StreamName=f"s{i}", Records=[{"Data": b"x" * 100, "PartitionKey": str(j)}
                                                        for j in range(500)])
        self.assertEqual(s.stop(), 0)
        s2 = self.make_server(data_dir=data_dir)
        took = self.time_start(s2)
        print(f"start-up to first answered health request (5 streams, 2,500 records): {took * 1000:.0f} ms",
              file=sys.stderr)
        self.assertLess(took, 1.0)

    def time_start(self, server):
        started = time.monotonic()
        server.start()
        return time.monotonic() - started


if __name__ == "__main__":
    unittest.main()
