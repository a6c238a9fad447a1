"""Shared plumbing for the course's programs: where to connect, boto3 clients, clean exits.

Only the standard library and boto3 are used. The endpoint is, in order:
  --endpoint-url, else $STREAMLAB_ENDPOINT, else $AWS_ENDPOINT_URL, else real AWS.
Debian's boto3 (1.26) ignores AWS_ENDPOINT_URL by itself, so it is read here and passed explicitly.

When an endpoint is given and no AWS credentials are configured, the dummy credentials
test/test are used (streamlab accepts any); against real AWS your normal credentials apply.
"""
import argparse
import json
import os
import signal
import sys
import time

DEFAULT_REGION = "us-east-1"
ENDPOINT_HELP = ("service endpoint, e.g. http://localhost:4566 for streamlab "
                 "(default: $STREAMLAB_ENDPOINT, else $AWS_ENDPOINT_URL, else real AWS)")


_last_endpoint = [None]  # the endpoint of the most recent Clients, for error messages


class Stop(Exception):
    """Raised by the SIGTERM handler so programs unwind like on Ctrl-C."""


class EndpointDown(Exception):
    """Nothing listens at the endpoint (checked once, before the first call, so the message comes at once)."""


def reachable(endpoint, timeout=3.0):
    import socket
    import urllib.parse

    u = urllib.parse.urlparse(endpoint)
    try:
        port = u.port or (443 if u.scheme == "https" else 80)
        with socket.create_connection((u.hostname, port), timeout=timeout):
            return True
    except (OSError, ValueError):
        return False


def resolve_endpoint(value=None):
    """The endpoint to use, or None for real AWS."""
    for v in (value, os.environ.get("STREAMLAB_ENDPOINT"), os.environ.get("AWS_ENDPOINT_URL")):
        if v:
            return v.rstrip("/")
    return None


def add_connection_args(parser):
    parser.add_argument("--endpoint-url", metavar="URL", help=ENDPOINT_HELP)
    parser.add_argument("--region", help="AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION or your AWS "
                                         "config, else us-east-1)")
    return parser


def parser(description, epilog=None):
    p = argparse.ArgumentParser(description=description, epilog=epilog,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    return add_connection_args(p)


class Clients:
    """boto3 clients for one endpoint/region. `retries=1` means no automatic retries (see the throttles)."""

    def __init__(self, endpoint_url=None, region=None):
        import boto3

        self.endpoint = resolve_endpoint(endpoint_url)
        _last_endpoint[0] = self.endpoint
        self.session = boto3.session.Session()
        self.region = (region or os.environ.get("AWS_REGION") or self.session.region_name or DEFAULT_REGION)
        self.dummy_credentials = self.endpoint is not None and self.session.get_credentials() is None
        self._cache = {}
        if self.endpoint and not reachable(self.endpoint):
            raise EndpointDown(self.endpoint)

    @classmethod
    def from_args(cls, args):
        return cls(getattr(args, "endpoint_url", None), getattr(args, "region", None))

    def where(self):
        return self.endpoint or f"AWS ({self.region})"

    def client(self, service, retries=None, read_timeout=70):
        key = (service, retries, read_timeout)
        if key not in self._cache:
            from botocore.config import Config

            r = {"mode": "standard", "total_max_attempts": retries} if retries else {"mode": "standard"}
            kwargs = dict(region_name=self.region, config=Config(retries=r, connect_timeout=5,
                                                                 read_timeout=read_timeout))
            if self.endpoint:
                kwargs["endpoint_url"] = self.endpoint
            if self.dummy_credentials:
                kwargs.update(aws_access_key_id="test", aws_secret_access_key="test")
            self._cache[key] = self.session.client(service, **kwargs)
        return self._cache[key]


def error_code(exc):
    return getattr(exc, "response", {}).get("Error", {}).get("Code", "")


def is_throttle(exc):
    return error_code(exc) in ("ProvisionedThroughputExceededException", "ThrottlingException",
                               "LimitExceededException", "RequestLimitExceeded")


def explain_error(exc, endpoint=None):
    """A one-paragraph message for the errors a learner is likely to meet, or None."""
    from botocore import exceptions as bx

    if isinstance(exc, EndpointDown):
        return (f"cannot reach {exc.args[0]}: is streamlab running? Start it with scripts/serve.sh "
                f"(or pass the right --endpoint-url).")
    if isinstance(exc, (bx.EndpointConnectionError, bx.ConnectTimeoutError)) or (
            isinstance(exc, bx.ConnectionClosedError)):
        if endpoint:
            return (f"cannot reach {endpoint}: is streamlab running? Start it with scripts/serve.sh "
                    f"(or pass the right --endpoint-url).")
        return f"cannot reach AWS: {exc}"
    if isinstance(exc, bx.NoCredentialsError):
        return ("no AWS credentials found. For streamlab pass --endpoint-url (any credentials work); for real "
                "AWS configure them with `aws configure`.")
    if isinstance(exc, bx.NoRegionError):
        return "no AWS region configured: pass --region or set AWS_DEFAULT_REGION."
    if isinstance(exc, bx.ParamValidationError):
        return str(exc).replace("\n", " ").strip()
    if isinstance(exc, bx.ClientError):
        err = exc.response.get("Error", {})
        return f"{err.get('Code', 'Error')}: {err.get('Message', '')}".rstrip(": ")
    return None


def run(main):
    """Runs main() with clean exits: Ctrl-C/SIGTERM -> 130, AWS and connection errors -> a message, not a trace."""
    def on_term(signum, frame):
        raise Stop()

    signal.signal(signal.SIGTERM, on_term)
    try:
        code = main()
    except (KeyboardInterrupt, Stop):
        print("\nstopped.", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        code = 0
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
    except Exception as exc:  # noqa: BLE001 - we turn known AWS errors into one line
        msg = explain_error(exc, _last_endpoint[0] or resolve_endpoint())
        if msg is None:
            raise
        print(f"{os.path.basename(sys.argv[0])}: {msg}", file=sys.stderr)
        code = 2 if "cannot reach" in msg or "credentials" in msg or "region" in msg else 1
    sys.exit(code or 0)


# Kinesis helpers shared by the programs and the checks --------------------------------------

def list_all_shards(kinesis, stream):
    """Every shard of the stream (open and closed), following ListShards pagination."""
    shards, token = [], None
    while True:
        resp = kinesis.list_shards(NextToken=token) if token else kinesis.list_shards(StreamName=stream)
        shards += resp["Shards"]
        token = resp.get("NextToken")
        if not token:
            return shards


def lineage_order(shards):
    """Shards sorted so that parents come before their children (a topological order)."""
    by_id = {s["ShardId"]: s for s in shards}
    done, out = set(), []

    def visit(s):
        if s["ShardId"] in done:
            return
        done.add(s["ShardId"])
        for p in (s.get("ParentShardId"), s.get("AdjacentParentShardId")):
            if p and p in by_id:
                visit(by_id[p])
        out.append(s)

    for s in sorted(shards, key=lambda s: s["ShardId"]):
        visit(s)
    return out


def call_paced(fn, pause=0.25, attempts=40, **kwargs):
    """Calls fn(**kwargs), sleeping and retrying while the shard's read or write budget is exceeded."""
    for i in range(attempts):
        try:
            return fn(**kwargs)
        except Exception as exc:  # noqa: BLE001
            if not is_throttle(exc) or i == attempts - 1:
                raise
            time.sleep(pause)


def read_shard(kinesis, stream, shard_id, iterator_type="TRIM_HORIZON", **position):
    """All records currently in one shard, from TRIM_HORIZON (or the given position) to its end or tip."""
    it = call_paced(kinesis.get_shard_iterator, StreamName=stream, ShardId=shard_id,
                    ShardIteratorType=iterator_type, **position)["ShardIterator"]
    out = []
    while it:
        resp = call_paced(kinesis.get_records, ShardIterator=it, Limit=10000)
        out += resp["Records"]
        it = resp.get("NextShardIterator")
        if not resp["Records"] and resp.get("MillisBehindLatest", 0) == 0:
            break
        time.sleep(0.21)  # at most 5 GetRecords per second per shard
    return out


def read_stream(kinesis, stream):
    """[(shard, records)] for every shard, parents before children, each from TRIM_HORIZON."""
    return [(s, read_shard(kinesis, stream, s["ShardId"])) for s in lineage_order(list_all_shards(kinesis, stream))]


def decode(data):
    """A record's Data as JSON when it is JSON, else as text."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return repr(data)
    try:
        return json.loads(text)
    except ValueError:
        return text


def wait_stream_active(kinesis, stream, timeout=120):
    deadline = time.time() + timeout
    while True:
        status = kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamStatus"]
        if status == "ACTIVE":
            return
        if time.time() > deadline:
            raise TimeoutError(f"stream {stream} is still {status} after {timeout} s")
        time.sleep(0.5)
