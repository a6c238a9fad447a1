"""Starts the real streamlab binary on a free port and hands out real AWS clients for it.

Used by every integration test. Only the standard library and boto3 are needed.
  STREAMLAB_BIN       the binary (default: ../../build/streamlab)
  STREAMLAB_AWS_CLI   the AWS CLI to drive ('' to skip CLI tests; default /usr/bin/aws)
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("STREAMLAB_BIN") or os.path.join(HERE, "..", "..", "build", "streamlab")
AWS_CLI = os.environ.get("STREAMLAB_AWS_CLI", "/usr/bin/aws")
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One streamlab process. `args` are extra `serve` flags."""

    def __init__(self, args=(), data_dir=None, in_memory=False):
        self.own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="streamlab-test-")
        self.args = list(args)
        self.in_memory = in_memory
        self.proc = None
        self.port = None
        self.log_path = os.path.join(tempfile.gettempdir(), f"streamlab-test-{os.getpid()}-{id(self)}.log")

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, port=None):
        self.port = port or free_port()
        cmd = [BIN, "serve", "--port", str(self.port), "--data-dir", self.data_dir, "--log-level", "warn"]
        if self.in_memory:
            cmd.append("--in-memory")
        cmd += self.args
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlab exited with {self.proc.returncode}: {self.read_log()}")
            try:
                with urllib.request.urlopen(self.endpoint + "/_streamlab/health", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("streamlab did not become healthy: " + self.read_log())

    def read_log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")[-4000:]
        except OSError:
            return ""

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                return self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise
        return self.proc.returncode if self.proc else None

    def close(self):
        try:
            self.stop()
        finally:
            if self.own_dir:
                shutil.rmtree(self.data_dir, ignore_errors=True)

    # Clients -----------------------------------------------------------------------------
    def client(self, service, **kwargs):
        import boto3
        from botocore.config import Config

        # total_max_attempts, not max_attempts: the latter still allows one retry in legacy mode.
        cfg = Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=60)
        return boto3.client(service, endpoint_url=self.endpoint, region_name=kwargs.pop("region", "us-east-1"),
                            aws_access_key_id=kwargs.pop("key", "test"), aws_secret_access_key="test",
                            config=cfg, **kwargs)

    def cli(self, *args, check=True):
        """Runs the AWS CLI against this server; returns parsed JSON output (or None)."""
        env = dict(os.environ, **CREDENTIALS, AWS_MAX_ATTEMPTS="1", AWS_PAGER="")
        cmd = [AWS_CLI, "--endpoint-url", self.endpoint, "--output", "json", *args]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        if check and p.returncode != 0:
            raise AssertionError(f"{' '.join(args)} failed ({p.returncode}): {p.stderr}")
        if p.returncode != 0:
            return p
        return json.loads(p.stdout) if p.stdout.strip() else None

    def lab(self, path, method="GET", body=None):
        req = urllib.request.Request(self.endpoint + path, method=method, data=body)
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())


class ServerTest(unittest.TestCase):
    """A test case with one server for the whole class (fresh data dir)."""

    server_args = ("--state-delay-ms", "0")
    in_memory = False

    @classmethod
    def setUpClass(cls):
        cls.server = Server(cls.server_args, in_memory=cls.in_memory).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.server.lab("/_streamlab/reset", method="POST", body=b"")


def cli_available():
    return bool(AWS_CLI) and shutil.which(AWS_CLI) is not None
