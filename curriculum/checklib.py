"""Shared by every module's check.py: arguments, AWS clients and precise pass/fail lines.

A check looks only through AWS APIs (boto3), so it works against streamlab (--endpoint-url) and, without
the flag, against real AWS. Exit status: 0 all passed, 1 something is missing, 2 could not run.
"""
import argparse
import os
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))

import labcommon  # noqa: E402


class Abort(Exception):
    """A missing foundation (a stream, a table): later checks would only repeat the same news."""


class Check:
    def __init__(self, module, title):
        p = argparse.ArgumentParser(description=f"Checks the hands-on result of {module} ({title}).")
        labcommon.add_connection_args(p)
        self.args = p.parse_args()
        self.module, self.title = module, title
        self.clients = labcommon.Clients.from_args(self.args)
        self.passed = self.failed = 0

    def client(self, service, **kw):
        return self.clients.client(service, **kw)

    def ok(self, text):
        self.passed += 1
        print(f"  ok       {text}", flush=True)

    def fail(self, text, hint=None, abort=False):
        self.failed += 1
        print(f"  MISSING  {text}", flush=True)
        if hint:
            print(f"           -> {hint}", flush=True)
        if abort:
            raise Abort()

    def expect(self, cond, ok_text, fail_text, hint=None, abort=False):
        if cond:
            self.ok(ok_text)
        else:
            self.fail(fail_text, hint, abort)
        return bool(cond)

    def run(self, body):
        print(f"{self.module} {self.title}: checking against {self.clients.where()}", flush=True)
        try:
            body(self)
        except Abort:
            pass
        except Exception as exc:  # noqa: BLE001
            msg = labcommon.explain_error(exc, self.clients.endpoint)
            if msg is None:
                raise
            if "cannot reach" in msg or "credentials" in msg or "region" in msg:
                print(f"  cannot check: {msg}", flush=True)
                sys.exit(2)
            self.fail(f"an AWS call failed: {msg}")
        total = self.passed + self.failed
        if self.failed:
            print(f"{self.module}: {self.failed} of {total} checks not met yet", flush=True)
            sys.exit(1)
        print(f"{self.module}: all {total} checks passed", flush=True)
        sys.exit(0)

    # Helpers ------------------------------------------------------------------------------
    def stream_summary(self, name, hint):
        """DescribeStreamSummary of an existing stream, or a failed check (and stop)."""
        k = self.client("kinesis")
        try:
            s = k.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        except Exception as exc:  # noqa: BLE001
            if labcommon.error_code(exc) == "ResourceNotFoundException":
                self.fail(f"stream {name} does not exist", hint, abort=True)
            raise
        self.expect(s["StreamStatus"] == "ACTIVE", f"stream {name} exists and is ACTIVE",
                    f"stream {name} is {s['StreamStatus']}, not ACTIVE", "wait a few seconds and check again")
        return s

    def table(self, name, hint):
        db = self.client("dynamodb")
        try:
            return db.describe_table(TableName=name)["Table"]
        except Exception as exc:  # noqa: BLE001
            if labcommon.error_code(exc) == "ResourceNotFoundException":
                self.fail(f"table {name} does not exist", hint, abort=True)
            raise

    def queue_url(self, name, hint):
        sqs = self.client("sqs")
        try:
            return sqs.get_queue_url(QueueName=name)["QueueUrl"]
        except Exception as exc:  # noqa: BLE001
            if labcommon.error_code(exc) in ("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"):
                self.fail(f"queue {name} does not exist", hint, abort=True)
            raise

    def read_stream(self, name):
        """[(shard, records)], parents first, every record from TRIM_HORIZON, decoded JSON in r['event']."""
        out = labcommon.read_stream(self.client("kinesis", retries=1), name)
        for _s, recs in out:
            for r in recs:
                r["event"] = labcommon.decode(r["Data"])
        return out
