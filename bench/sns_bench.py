#!/usr/bin/env python3
"""SNS benchmark: Publish requests/s, delivered messages/s and publish -> visible-in-SQS latency, with 1
and 10 SQS subscribers, for streamlab (in memory, and durable with --durability process) beside fauxqs
from npm (an in-memory SNS/SQS emulator) in the same run.

  bench/sns_bench.py [--duration 5] [--warmup 1] [--samples 300] [--only streamlab|fauxqs] [--out DIR]

Throughput: build/bench/loadgen replays one raw Publish request (100-byte message, query protocol, the
default JSON envelope delivered to every subscriber) on 32 keep-alive connections. Publish answers
once the message is stored, and delivery may lag behind (streamlab fans out on its own thread, as AWS
delivers asynchronously), so a second figure follows every Publish run: the queues' depth
(ApproximateNumberOfMessages, summed over the subscribed queues and divided by their number) is read
until it stops growing, and "delivered/s" is the publishes that reached every queue divided by the
time from the first Publish to the last delivery; "backlog" is how many acknowledged publishes were
not yet in the queues when the load generator stopped. Latency: one long-polling receiver thread per
queue and a publisher sending --samples messages at about 200/s; a sample is the time from just
before the Publish request to the moment the receiver holds the message, for every (message, queue)
pair. Receivers are Python threads: a few hundred microseconds of the figure are the client's own.
Each (target, subscriber count) pair gets a fresh server.

Needs the built binary (STREAMLAB_BIN, default build/streamlab), g++ for loadgen, node + npm for fauxqs
(installed on first use into build/bench/npm, the same pinned version bench/run.sh uses).
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("STREAMLAB_BIN") or os.path.join(ROOT, "build", "streamlab")
BENCH_DIR = os.path.join(ROOT, "build", "bench")
LOADGEN = os.path.join(BENCH_DIR, "loadgen")
NPM_DIR = os.path.join(BENCH_DIR, "npm")
FAUXQS_VERSION = "1.9.2"  # as bench/run.sh: the last release that runs on Node 20
AUTH = ("AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/{svc}/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date, Signature=" + "0" * 64)
ACCOUNT, REGION = "000000000000", "us-east-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Conn:
    """One keep-alive connection speaking SNS query and SQS JSON."""

    def __init__(self, port):
        self.port = port
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def _send(self, body, headers):
        self.c.request("POST", "/", body=body, headers=headers)
        r = self.c.getresponse()
        return r.status, r.read()

    def sns(self, action, params):
        body = urllib.parse.urlencode([("Action", action), ("Version", "2010-03-31")] + list(params))
        status, data = self._send(body, {"Content-Type": "application/x-www-form-urlencoded",
                                         "X-Amz-Date": "20240101T000000Z", "Authorization": AUTH.format(svc="sns")})
        if status != 200:
            raise RuntimeError(f"{action}: {status} {data[:300]!r}")
        return data.decode()

    def sqs(self, operation, body):
        status, data = self._send(json.dumps(body), {
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS." + operation,
            "X-Amz-Date": "20240101T000000Z", "Authorization": AUTH.format(svc="sqs")})
        if status != 200:
            raise RuntimeError(f"{operation}: {status} {data[:300]!r}")
        return json.loads(data) if data else {}

    def close(self):
        self.c.close()


class Target:
    def __init__(self, name, cmd, env=None):
        self.name, self.cmd, self.env = name, cmd, env or {}

    def start(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="sns-bench-")
        cmd = [a.replace("@PORT@", str(self.port)).replace("@DIR@", self.dir) for a in self.cmd]
        env = dict(os.environ, FAUXQS_PORT=str(self.port), **self.env)
        self.log = open(os.path.join(self.dir, "server.log"), "wb")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                c = Conn(self.port)
                c.sns("ListTopics", [])
                c.close()
                return self
            except (OSError, RuntimeError, http.client.HTTPException):
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def setup(port, subscribers):
    c = Conn(port)
    xml = c.sns("CreateTopic", [("Name", "bench")])
    topic = re.search(r"<TopicArn>(.*?)</TopicArn>", xml).group(1)
    urls = []
    for i in range(subscribers):
        url = c.sqs("CreateQueue", {"QueueName": f"bench-{i}"})["QueueUrl"]
        arn = c.sqs("GetQueueAttributes", {"QueueUrl": url, "AttributeNames": ["QueueArn"]})["Attributes"]["QueueArn"]
        c.sns("Subscribe", [("TopicArn", topic), ("Protocol", "sqs"), ("Endpoint", arn)])
        urls.append(url)
    c.close()
    return topic, urls


def latency(port, topic, urls, samples, rate=200.0):
    sent = {}
    got = []
    lock = threading.Lock()
    stop = threading.Event()

    def receiver(url):
        c = Conn(port)
        while not stop.is_set():
            msgs = c.sqs("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10, "WaitTimeSeconds": 1})
            now = time.perf_counter()
            for m in msgs.get("Messages", []):
                body = json.loads(m["Body"])
                seq = int(body.get("Message", "0").split(":")[1])
                with lock:
                    got.append(now - sent.get(seq, now))
            if msgs.get("Messages"):
                c.sqs("DeleteMessageBatch", {"QueueUrl": url, "Entries": [
                    {"Id": str(k), "ReceiptHandle": m["ReceiptHandle"]} for k, m in enumerate(msgs["Messages"])]})
        c.close()

    threads = [threading.Thread(target=receiver, args=(u,), daemon=True) for u in urls]
    for t in threads:
        t.start()
    time.sleep(0.5)  # every receiver is parked in its long poll
    pub = Conn(port)
    for i in range(samples):
        with lock:
            sent[i] = time.perf_counter()
        pub.sns("Publish", [("TopicArn", topic), ("Message", f"seq:{i}")])
        time.sleep(1.0 / rate)
    deadline = time.time() + 10
    while time.time() < deadline:
        with lock:
            if len(got) >= samples * len(urls):
                break
        time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join(5)
    pub.close()
    ms = sorted(x * 1000 for x in got)
    if not ms:
        return None
    return {"samples": len(ms), "expected": samples * len(urls), "p50_ms": statistics.median(ms),
            "p99_ms": ms[min(len(ms) - 1, int(len(ms) * 0.99))], "max_ms": ms[-1]}


def depth(conn, urls):
    """Messages waiting in the queues, per queue (the sum divided by their number)."""
    total = 0
    for url in urls:
        attrs = conn.sqs("GetQueueAttributes", {"QueueUrl": url, "AttributeNames": ["ApproximateNumberOfMessages"]})
        total += int(attrs["Attributes"]["ApproximateNumberOfMessages"])
    return total / len(urls)


def throughput(port, topic, urls, duration, warmup, settle=2.0, limit=120.0):
    """Publish acknowledgements/s from loadgen, then the delivered side: publishes/s that reached the
    queues, from the first Publish to the last delivery, and the backlog when the publishing ended."""
    conn = Conn(port)
    before = depth(conn, urls)
    t0 = time.perf_counter()
    result = publish_load(port, topic, duration, warmup)
    t1 = time.perf_counter()
    at_end = depth(conn, urls)
    last, last_change = at_end, t1
    while time.perf_counter() - last_change < settle and time.perf_counter() - t1 < limit:
        time.sleep(0.1)
        now = depth(conn, urls)
        if now != last:
            last, last_change = now, time.perf_counter()
    conn.close()
    if result is not None:
        delivered = last - before
        result["delivered"] = delivered
        result["delivered_per_s"] = delivered / (last_change - t0)
        result["backlog_at_end"] = last - at_end
        result["drain_s"] = last_change - t1
    return result


def publish_load(port, topic, duration, warmup):
    message = "x" * 100
    body = urllib.parse.urlencode([("Action", "Publish"), ("Version", "2010-03-31"), ("TopicArn", topic),
                                   ("Message", message)])
    req = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
           f"X-Amz-Date: 20240101T000000Z\r\nAuthorization: {AUTH.format(svc='sns')}\r\n"
           f"Content-Length: {len(body)}\r\n\r\n{body}")
    with tempfile.NamedTemporaryFile("w", suffix=".http", delete=False) as f:
        f.write(req)
        path = f.name
    try:
        out = subprocess.run([LOADGEN, "--port", str(port), "--request-file", path, "--connections", "32",
                              "--duration", str(duration), "--warmup", str(warmup), "--json"],
                             capture_output=True, text=True, timeout=duration + warmup + 60)
    finally:
        os.unlink(path)
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    return json.loads(line[-1]) if line else None


def ensure_loadgen():
    src = os.path.join(ROOT, "bench", "loadgen.cc")
    if not os.path.exists(LOADGEN) or os.path.getmtime(LOADGEN) < os.path.getmtime(src):
        os.makedirs(BENCH_DIR, exist_ok=True)
        subprocess.run(["g++", "-O2", "-std=c++20", src, "-o", LOADGEN, "-lpthread"], check=True)


def fauxqs_app():
    app = os.path.join(NPM_DIR, "node_modules", "fauxqs", "dist", "app.js")
    if not os.path.exists(app) and shutil.which("npm"):
        os.makedirs(NPM_DIR, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", f"fauxqs@{FAUXQS_VERSION}"], cwd=NPM_DIR,
                       capture_output=True, timeout=300)
    return app if os.path.exists(app) and shutil.which("node") else None


LOAD_BEFORE = ""


def main():
    global LOAD_BEFORE
    LOAD_BEFORE = " ".join(f"{x:.1f}" for x in os.getloadavg())
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=float, default=5)
    ap.add_argument("--warmup", type=float, default=1)
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--only", choices=["streamlab", "fauxqs"])
    ap.add_argument("--out")
    a = ap.parse_args()
    ensure_loadgen()
    targets = []
    if a.only != "fauxqs":
        base = [BIN, "serve", "--port", "@PORT@", "--data-dir", "@DIR@", "--throttle", "off", "--log-level", "warn"]
        targets += [Target("streamlab in-memory", base + ["--in-memory"]),
                    Target("streamlab durable (process)", base + ["--durability", "process"])]
    if a.only != "streamlab":
        app = fauxqs_app()
        if app:
            targets.append(Target("fauxqs", ["node", "--input-type=module", "-e",
                                             f"import {{ startFauxqs }} from '{app}'; startFauxqs({{ logger: false }});"]))
        else:
            print("fauxqs is not available: skipping its column", file=sys.stderr)
    results = {}
    for t in targets:
        for subs in (1, 10):
            t.start()
            try:
                topic, urls = setup(t.port, subs)
                lat = latency(t.port, topic, urls, a.samples)
                thr = throughput(t.port, topic, urls, a.duration, a.warmup)
                raw = None
                if subs == 1:
                    # The same with RawMessageDelivery: no envelope, hence no signature to compute.
                    c = Conn(t.port)
                    raw_topic = re.search(r"<TopicArn>(.*?)</TopicArn>",
                                          c.sns("CreateTopic", [("Name", "bench-raw")])).group(1)
                    url = c.sqs("CreateQueue", {"QueueName": "bench-raw"})["QueueUrl"]
                    arn = c.sqs("GetQueueAttributes", {"QueueUrl": url, "AttributeNames": ["QueueArn"]})[
                        "Attributes"]["QueueArn"]
                    c.sns("Subscribe", [("TopicArn", raw_topic), ("Protocol", "sqs"), ("Endpoint", arn),
                                        ("Attributes.entry.1.key", "RawMessageDelivery"),
                                        ("Attributes.entry.1.value", "true")])
                    c.close()
                    raw = throughput(t.port, raw_topic, [url], a.duration, a.warmup)
            finally:
                t.stop()
            results[(t.name, subs)] = {"latency": lat, "throughput": thr, "raw": raw}
            print(f"{t.name}, {subs} subscriber(s): {json.dumps(results[(t.name, subs)])}", file=sys.stderr)

    names = [t.name for t in targets]
    compare = "streamlab durable (process)" in names and "fauxqs" in names

    def cell(name, subs, kind, key):
        r = (results.get((name, subs)) or {}).get(kind)
        return r.get(key) if r else None

    def fmt(v, spec="{:,.0f}"):
        return "—" if v is None else spec.format(v)

    rows = []
    for subs in (1, 10):
        label = "1 SQS subscriber" if subs == 1 else "10 SQS subscribers"
        rows.append((f"Publish req/s (acknowledged), {label}, 32 conns",
                     lambda n, s=subs: cell(n, s, "throughput", "ok_rps"), "{:,.0f}", True))
        rows.append((f"delivered to SQS, publishes/s, {label}", lambda n, s=subs: cell(n, s, "throughput",
                                                                                      "delivered_per_s"),
                     "{:,.0f}", True))
        rows.append((f"backlog when publishing stopped (publishes) / drain s, {label}",
                     lambda n, s=subs: (cell(n, s, "throughput", "backlog_at_end"),
                                        cell(n, s, "throughput", "drain_s")), "count-pair", False))
        rows.append((f"Publish p50 / p99 ms, {label}", lambda n, s=subs: (cell(n, s, "throughput", "p50_ms"),
                                                                        cell(n, s, "throughput", "p99_ms")),
                     "pair", False))
        if subs == 1:
            rows.append(("Publish req/s, 1 SQS subscriber with RawMessageDelivery, 32 conns",
                         lambda n: cell(n, 1, "raw", "ok_rps"), "{:,.0f}", True))
            rows.append(("delivered to SQS, publishes/s, RawMessageDelivery",
                         lambda n: cell(n, 1, "raw", "delivered_per_s"), "{:,.0f}", True))
        rows.append((f"publish → visible in SQS p50 / p99 ms, {label}",
                     lambda n, s=subs: (cell(n, s, "latency", "p50_ms"), cell(n, s, "latency", "p99_ms")),
                     "pair", False))
    lines = ["| measurement | " + " | ".join(names) + (" | durable / fauxqs |" if compare else " |"),
             "|---" * (len(names) + 1 + compare) + "|"]
    for label, get, spec, higher in rows:
        vals = [get(n) for n in names]
        if spec == "pair":
            cells = [f"{fmt(v[0], '{:.2f}')} / {fmt(v[1], '{:.2f}')}" for v in vals]
        elif spec == "count-pair":
            cells = [f"{fmt(v[0])} / {fmt(v[1], '{:.1f}')}" for v in vals]
        else:
            cells = [fmt(v, spec) for v in vals]
        if compare and spec == "count-pair":
            cells.append("—")
        elif compare:
            d, f = get("streamlab durable (process)"), get("fauxqs")
            if spec == "pair":
                d, f = d[1], f[1]
            cells.append(f"{d / f:.2f}×" if d and f else "—")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    errors = []
    for n in names:
        e = 0
        for s in (1, 10):
            e += (cell(n, s, "throughput", "errors") or 0) + (cell(n, s, "raw", "errors") or 0)
            lat = (results.get((n, s)) or {}).get("latency")
            if lat and lat["samples"] < lat["expected"]:
                e += lat["expected"] - lat["samples"]
        errors.append(str(e))
    lines.append("| errors (non-2xx, transport, latency samples missing) | " + " | ".join(errors) +
                 (" | — |" if compare else " |"))
    table = "\n".join(lines)
    print(table)
    print(f"\nRuns: Publish for {a.duration} s after {a.warmup} s warm-up with loadgen (HTTP/1.1 keep-alive, one "
          f"100-byte message, JSON envelope to every subscriber); delivered/s from the queues' depth, first Publish "
          f"to last delivery; latency from {a.samples} publishes at ~200/s with one long-polling Python receiver per "
          f"queue; fauxqs {FAUXQS_VERSION}; load average before the runs {LOAD_BEFORE}.")
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        with open(os.path.join(a.out, "sns-table.md"), "w") as f:
            f.write(table + "\n")
        with open(os.path.join(a.out, "sns-results.json"), "w") as f:
            json.dump({f"{k[0]}|{k[1]}": v for k, v in results.items()}, f, indent=1)


if __name__ == "__main__":
    main()
