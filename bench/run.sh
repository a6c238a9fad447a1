#!/usr/bin/env bash
# bench/run.sh: reproducible benchmark driver for streamlab (and kinesalite for
# comparison). See bench/README.md for what each figure means.
#
#   bench/run.sh [--duration S] [--warmup S] [--quick] [--only kinesis|streamlab|kinesalite|sqs|sns|dynamodb]
#                [--prefill N] [--out DIR]
#
# Everything it starts it stops again (trap EXIT). Exit status: 0 when every
# target started and every run produced a result; 1 when a server failed to
# start (or a run produced nothing); 2 on bad usage or a missing tool.
set -euo pipefail
export LC_ALL=C

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build/bench"
LOADGEN="$BUILD/loadgen"
STREAMLAB_BIN="${STREAMLAB_BIN:-$ROOT/build/streamlab}"
NPM_DIR="$BUILD/npm"
KINESALITE_JS="$NPM_DIR/node_modules/.bin/kinesalite"
DYNALITE_JS="$NPM_DIR/node_modules/dynalite/cli.js"
PYTHON="${PYTHON:-/usr/bin/python3}"
[[ -x "$PYTHON" ]] || PYTHON="$(command -v python3 || true)"

DURATION=10
WARMUP=2
PREFILL=200000
ONLY=all
OUT=""
START_TIMEOUT_S=30
SHARDS=4

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --quick) DURATION=2; WARMUP=0.5; PREFILL=20000; shift ;;
    --only) ONLY="$2"; shift 2 ;;
    --prefill) PREFILL="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
# kinesis: the Kinesis table alone (streamlab's three columns and kinesalite, in one run).
case "$ONLY" in all|kinesis|streamlab|kinesalite|sqs|sns|dynamodb) ;; *) echo "run.sh: --only takes kinesis, streamlab, kinesalite, sqs, sns or dynamodb" >&2; exit 2 ;; esac
[[ "$DURATION" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "run.sh: bad --duration" >&2; exit 2; }
[[ "$WARMUP" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "run.sh: bad --warmup" >&2; exit 2; }
[[ "$PREFILL" =~ ^[0-9]+$ ]] || { echo "run.sh: bad --prefill" >&2; exit 2; }
for tool in curl g++; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 2; }
done
[[ -n "$PYTHON" ]] || { echo "run.sh: python3 is required (for the table)" >&2; exit 2; }

if [[ -z "$OUT" ]]; then OUT="$BUILD/results/$(date +%Y%m%d-%H%M%S)"; fi
mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: >"$RESULTS"
TMP_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/streamlab-bench.XXXXXX")"

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# ------------------------------------------------------------------ cleanup
PIDS=()
cleanup() {
  local pid i
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
  rm -rf "$TMP_ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

stop_server() {  # pid
  local pid="$1" i keep=()
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${PIDS[@]}"; do [[ "$p" == "$pid" ]] || keep+=("$p"); done
  PIDS=("${keep[@]+"${keep[@]}"}")
}

# ------------------------------------------------------------------ helpers
AUTH='AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000'

free_port() {
  "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

kinesis() {  # port operation body  -> prints body, returns 0 on HTTP 200
  local out code
  out="$(curl -sS --max-time 10 -w '\n%{http_code}' -X POST "http://127.0.0.1:$1/" \
    -H 'Content-Type: application/x-amz-json-1.1' -H "X-Amz-Target: Kinesis_20131202.$2" \
    -H 'X-Amz-Date: 20240101T000000Z' -H "Authorization: $AUTH" --data-binary "$3" 2>&1)" || true
  code="${out##*$'\n'}"
  printf '%s\n' "${out%$'\n'*}"
  [[ "$code" == 200 ]]
}

# A fork-free 1 ms sleep: read with a timeout on a pipe nobody writes to.
exec {SLEEP_FD}<> <(:)
sleep_1ms() { read -r -t 0.001 -u "$SLEEP_FD" _ || true; }

# One ListStreams over bash's /dev/tcp (no fork); success on an HTTP 200.
probe_once() {  # port
  local fd line
  { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'POST / HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Kinesis_20131202.ListStreams\r\nX-Amz-Date: 20240101T000000Z\r\nAuthorization: %s\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}' \
    "$1" "$AUTH" >&"$fd" 2>/dev/null || { exec {fd}>&-; return 1; }
  line=""
  IFS= read -r -t 2 -u "$fd" line 2>/dev/null || true
  exec {fd}>&-
  [[ "$line" == HTTP/1.?" 200"* ]]
}

now_us() { local t="$EPOCHREALTIME"; echo "${t/./}"; }

proc_kb() {  # pid field -> kB (or null)
  local v
  v="$(awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null || true)"
  echo "${v:-null}"
}

cpu_ticks() {  # pid -> user + system CPU time in clock ticks (0 if gone)
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# Appends {"target":..,"run":..,"key":value} to the results file.
record() {  # target run json-fragment
  printf '{"target":"%s","run":"%s",%s}\n' "$1" "$2" "$3" >>"$RESULTS"
}

wait_active() {  # port stream
  local i out
  for ((i = 0; i < 200; i++)); do
    out="$(kinesis "$1" DescribeStreamSummary "{\"StreamName\":\"$2\"}" || true)"
    [[ "$out" == *'"StreamStatus":"ACTIVE"'* ]] && return 0
    sleep 0.05
  done
  log "stream $2 did not become ACTIVE: $out"
  return 1
}

create_stream() {  # port stream
  local out
  if ! out="$(kinesis "$1" CreateStream "{\"StreamName\":\"$2\",\"ShardCount\":$SHARDS}")"; then
    log "CreateStream $2 failed: $out"
    return 1
  fi
  wait_active "$1" "$2"
}

FAILED=0

# Runs loadgen and records its JSON line under (target, run).
loadgen_run() {  # target run port args...
  local target="$1" run="$2" port="$3" line rc=0
  shift 3
  local limit
  limit="$("$PYTHON" -c "import math,sys; print(int(math.ceil(float(sys.argv[1]) + float(sys.argv[2]) + 60)))" "$DURATION" "$WARMUP")"
  log "$target: $run"
  line="$(timeout "$limit" "$LOADGEN" --port "$port" --json "$@" 2>>"$OUT/$target.loadgen.err")" || rc=$?
  if [[ "$line" != \{* ]]; then
    log "$target: $run produced no result (exit $rc); see $OUT/$target.loadgen.err"
    FAILED=1
    record "$target" "$run" '"missing":true'
    return 0
  fi
  printf '%s\n' "$line" >>"$OUT/$target.raw.jsonl"
  record "$target" "$run" "\"result\":$line"
  if ((rc != 0)); then
    log "$target: $run: no request succeeded (loadgen exit $rc); samples in $OUT/results.jsonl"
    FAILED=1
  elif [[ "$line" != *'"errors":0,'* ]]; then
    log "$target: $run: some requests failed; see error_samples in $OUT/results.jsonl"
  fi
}

# HTTP/2 PutRecord with h2load (Debian's nghttp2-client), the transport of the JS SDK's Kinesis
# client, recorded beside loadgen's HTTP/1.1 figure. h2load sends one fixed body, so one h2load per
# shard runs at once (connections split between them), each with a partition key hashing to its shard.
H2LOAD="$(command -v h2load || true)"
h2load_run() {  # target run port stream connections [extra h2load flags, e.g. --h1]
  local target="$1" run="$2" port="$3" stream="$4" conns="$5" line i limit pids=() dir
  local extra=("${@:6}")
  if [[ -z "$H2LOAD" ]]; then
    log "$target: h2load not found (apt-get install nghttp2-client): skipping $run"
    record "$target" "$run" '"missing":true'
    return 0
  fi
  dir="$TMP_ROOT/$target.$run"
  mkdir -p "$dir"
  "$PYTHON" - "$stream" "$SHARDS" "$dir" <<'PY'
import base64, hashlib, json, os, sys
stream, shards, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
found, n = {}, 0
while len(found) < shards:  # shards split the 128-bit MD5 space evenly
    key = "pk-%016d" % n
    found.setdefault(int(hashlib.md5(key.encode()).hexdigest(), 16) * shards >> 128, key)
    n += 1
for shard, key in found.items():
    with open(os.path.join(out, "body-%d.json" % shard), "w") as f:
        json.dump({"StreamName": stream, "PartitionKey": key, "Data": base64.b64encode(os.urandom(100)).decode()}, f)
PY
  limit="$("$PYTHON" -c "import math,sys; print(int(math.ceil(float(sys.argv[1]) + float(sys.argv[2]) + 60)))" "$DURATION" "$WARMUP")"
  log "$target: $run"
  for ((i = 0; i < SHARDS; i++)); do
    timeout "$limit" "$H2LOAD" "${extra[@]}" -D "$("$PYTHON" -c 'import sys; print(int(float(sys.argv[1]) * 1000))' "$DURATION")ms" \
      --warm-up-time "$("$PYTHON" -c 'import sys; print(max(1, int(float(sys.argv[1]) * 1000)))' "$WARMUP")ms" \
      -c $(((conns + SHARDS - 1 - i) / SHARDS)) -m 1 -t 1 -H 'content-type: application/x-amz-json-1.1' \
      -H 'x-amz-target: Kinesis_20131202.PutRecord' -H 'x-amz-date: 20240101T000000Z' -H "authorization: $AUTH" \
      -d "$dir/body-$i.json" "http://127.0.0.1:$port/" >"$dir/out-$i.txt" 2>&1 &
    pids+=($!)
  done
  # The server's CPU over the measured window (after the warm-up), per request: what each
  # transport costs the server, whichever client sets the pace. $pid is bench_target's server.
  local c0 c1
  sleep "$WARMUP"
  c0="$(cpu_ticks "$pid")"
  for i in "${pids[@]}"; do wait "$i" || true; done
  c1="$(cpu_ticks "$pid")"
  cat "$dir"/out-*.txt >>"$OUT/$target.h2load.log"
  # Each output has "finished in 2.50s, 27187.00 req/s, ..." and "requests: ... N done, S succeeded,
  # F failed, E errored, T timeout"; req/s is over the measured window.
  line="$("$PYTHON" - "$conns" "$(((c1 - c0) * 1000000 / $(getconf CLK_TCK)))" "$dir"/out-*.txt <<'PY'
import json, re, sys
ok_rps = rps = 0.0
ok = done = errors = 0
server_cpu_us = int(sys.argv[2])
for path in sys.argv[3:]:
    text = open(path).read()
    fin = re.search(r"finished in [0-9.]+m?s, ([0-9.]+) req/s", text)
    req = re.search(r"(\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", text)
    if not fin or not req:
        sys.exit(0)
    d, s, f, e, t = (int(x) for x in req.groups())
    rps += float(fin.group(1))
    ok_rps += float(fin.group(1)) * s / d if d else 0.0
    ok, done, errors = ok + s, done + d, errors + f + e + t
print(json.dumps({"client": "h2load", "connections": int(sys.argv[1]), "requests": done, "ok": ok,
                  "rps": rps, "ok_rps": ok_rps, "errors": errors,
                  "server_cpu_us_per_req": server_cpu_us / done if done else None}))
PY
)"
  if [[ "$line" != \{* ]]; then
    log "$target: $run produced no result; see $OUT/$target.h2load.log"
    FAILED=1
    record "$target" "$run" '"missing":true'
    return 0
  fi
  record "$target" "$run" "\"result\":$line"
}

# ------------------------------------------------------------------ build loadgen
mkdir -p "$BUILD"
if [[ ! -x "$LOADGEN" || "$ROOT/bench/loadgen.cc" -nt "$LOADGEN" ]]; then
  log "building $LOADGEN"
  g++ -O2 -std=c++20 "$ROOT/bench/loadgen.cc" -o "$LOADGEN"
fi

# ------------------------------------------------------------------ one target
# bench_target NAME KIND -- server command (with @PORT@ and @DIR@ placeholders)
bench_target() {
  local name="$1" kind="$2"
  shift 3
  local port dir pid t0 t1 i started=0 cmd=() a
  port="$(free_port)"
  dir="$TMP_ROOT/$name"
  mkdir -p "$dir"
  for a in "$@"; do a="${a//@PORT@/$port}"; cmd+=("${a//@DIR@/$dir/data}"); done
  log "$name: starting: ${cmd[*]}"

  t0="$(now_us)"
  "${cmd[@]}" >"$OUT/$name.server.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  local deadline=$((t0 + START_TIMEOUT_S * 1000000))
  while :; do
    if probe_once "$port"; then t1="$(now_us)"; started=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    (($(now_us) < deadline)) || break
    sleep_1ms
  done
  if ((!started)); then
    log "$name: server failed to start (see $OUT/$name.server.log):"
    tail -n 20 "$OUT/$name.server.log" >&2 || true
    stop_server "$pid"
    record "$name" "start" '"failed":true'
    FAILED=1
    return 0
  fi
  local startup_us=$((t1 - t0))
  sleep 0.5
  record "$name" "start" "\"startup_ms\":$((startup_us / 1000)).$(printf '%03d' $((startup_us % 1000))),\"idle_rss_kb\":$(proc_kb "$pid" VmRSS)"
  log "$name: answered after $((startup_us / 1000)) ms"

  local common=(--duration "$DURATION" --warmup "$WARMUP")
  if create_stream "$port" bench; then
    loadgen_run "$name" put-record-32 "$port" --scenario put-record --stream bench --connections 32 "${common[@]}"
    # HTTP/2 and, with the same client, HTTP/1.1: h2load costs more CPU per request than loadgen,
    # and on two shared cores the client sets the pace, so only the h2load pair compares versions.
    if [[ "$kind" == streamlab* ]]; then
      h2load_run "$name" put-record-h2-32 "$port" bench 32
      h2load_run "$name" put-record-h2load-h1-32 "$port" bench 32 --h1
    fi
    loadgen_run "$name" put-record-128 "$port" --scenario put-record --stream bench --connections 128 "${common[@]}"
    loadgen_run "$name" put-records-32 "$port" --scenario put-records --stream bench --connections 32 "${common[@]}"
  else
    FAILED=1
  fi
  if create_stream "$port" bench-read; then
    local reqs=$(((PREFILL + 499) / 500))
    log "$name: prefilling bench-read with ~$PREFILL records"
    local line rc=0
    line="$(timeout 600 "$LOADGEN" --port "$port" --json --scenario put-records --stream bench-read \
      --connections 8 --warmup 0 --duration 540 --requests "$reqs" 2>>"$OUT/$name.loadgen.err")" || rc=$?
    if [[ "$line" == \{* ]]; then
      record "$name" prefill "\"result\":$line"
    else
      log "$name: prefill failed (exit $rc)"
      FAILED=1
    fi
    loadgen_run "$name" get-records "$port" --scenario get-records --stream bench-read --connections "$SHARDS" \
      --limit 10000 "${common[@]}"
  else
    FAILED=1
  fi
  if [[ "$kind" == streamlab-health ]]; then
    loadgen_run "$name" health-32 "$port" --scenario health --connections 32 "${common[@]}"
    loadgen_run "$name" health-128 "$port" --scenario health --connections 128 "${common[@]}"
  fi
  if kill -0 "$pid" 2>/dev/null; then
    record "$name" "end" "\"hwm_kb\":$(proc_kb "$pid" VmHWM),\"rss_kb\":$(proc_kb "$pid" VmRSS),\"data_kb\":$(du -sk "$dir" 2>/dev/null | cut -f1 || echo null)"
  else
    log "$name: server died during the runs (see $OUT/$name.server.log)"
    record "$name" "end" '"died":true'
    FAILED=1
  fi
  stop_server "$pid"
  rm -rf "$dir"
}

# ------------------------------------------------------------------ targets
COLUMNS_RUN=()
if [[ "$ONLY" == all || "$ONLY" == kinesis || "$ONLY" == streamlab ]]; then
  if [[ ! -x "$STREAMLAB_BIN" ]]; then
    log "streamlab binary not found at $STREAMLAB_BIN (build it first, or set STREAMLAB_BIN)"
    for n in sl-memory sl-process sl-fsync; do record "$n" start '"failed":true'; done
    COLUMNS_RUN+=(sl-memory sl-process sl-fsync)
    FAILED=1
  else
    bench_target sl-memory streamlab-health -- "$STREAMLAB_BIN" serve --port @PORT@ --data-dir @DIR@ --in-memory --throttle off
    bench_target sl-process streamlab -- "$STREAMLAB_BIN" serve --port @PORT@ --data-dir @DIR@ --durability process --throttle off
    bench_target sl-fsync streamlab -- "$STREAMLAB_BIN" serve --port @PORT@ --data-dir @DIR@ --durability fsync --throttle off
    COLUMNS_RUN+=(sl-memory sl-process sl-fsync)
  fi
fi
if [[ "$ONLY" == all || "$ONLY" == kinesis || "$ONLY" == kinesalite ]]; then
  if [[ ! -f "$KINESALITE_JS" ]] && command -v npm >/dev/null; then
    log "installing kinesalite@3 into $NPM_DIR"
    mkdir -p "$NPM_DIR"
    (cd "$NPM_DIR" && timeout 300 npm install --no-audit --no-fund kinesalite@3 >"$OUT/npm-install.log" 2>&1) ||
      log "npm install kinesalite failed (see $OUT/npm-install.log)"
  fi
  if [[ -f "$KINESALITE_JS" ]] && command -v node >/dev/null; then
    # node runs the script itself (the .bin entry is a symlink to cli.js), so
    # the PID we track is the server process.
    bench_target kinesalite kinesalite -- node "$KINESALITE_JS" --port @PORT@ --createStreamMs 0 \
      --deleteStreamMs 0 --updateStreamMs 0 --shardLimit 1000
    COLUMNS_RUN+=(kinesalite)
  else
    log "kinesalite is not available: skipping its column"
    record kinesalite start '"unavailable":true'
    COLUMNS_RUN+=(kinesalite)
  fi
fi

# ------------------------------------------------------------------ SQS
# streamlab (in-memory and durable) and fauxqs (an npm SQS emulator, in memory, JSON protocol
# only) side by side; query-protocol rows are streamlab's alone. Tables in $OUT/sqs-table.md.
SQS_AUTH='AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000'
FAUXQS_VERSION=1.9.2  # the last release that runs on Node 20 (2.x needs node:sqlite, Node >= 22.5)

sqs_call() {  # port operation json-body -> prints body, returns 0 on HTTP 200
  local out code
  out="$(curl -sS --max-time 10 -w '\n%{http_code}' -X POST "http://127.0.0.1:$1/" \
    -H 'Content-Type: application/x-amz-json-1.0' -H "X-Amz-Target: AmazonSQS.$2" \
    -H 'X-Amz-Date: 20240101T000000Z' -H "Authorization: $SQS_AUTH" --data-binary "$3" 2>&1)" || true
  code="${out##*$'\n'}"
  printf '%s\n' "${out%$'\n'*}"
  [[ "$code" == 200 ]]
}

sqs_target() {  # NAME KIND(streamlab|fauxqs) -- server command (with @PORT@ and @DIR@)
  local name="$1" kind="$2"
  shift 3
  local port dir pid i a q line rc cmd=()
  port="$(free_port)"
  dir="$TMP_ROOT/$name"
  mkdir -p "$dir"
  for a in "$@"; do a="${a//@PORT@/$port}"; cmd+=("${a//@DIR@/$dir/data}"); done
  log "$name: starting: ${cmd[*]}"
  FAUXQS_PORT="$port" "${cmd[@]}" >"$OUT/$name.server.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  for ((i = 0; i < START_TIMEOUT_S * 20; i++)); do
    sqs_call "$port" ListQueues '{}' >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if ! sqs_call "$port" ListQueues '{}' >/dev/null 2>&1; then
    log "$name: server failed to start (see $OUT/$name.server.log)"
    record "$name" start '"failed":true'
    FAILED=1
    stop_server "$pid"
    return 0
  fi
  record "$name" start '"ok":true'
  for q in send send-query batch roundtrip roundtrip-query wake; do
    sqs_call "$port" CreateQueue "{\"QueueName\":\"bench-$q\"}" >/dev/null || { log "$name: CreateQueue failed"; FAILED=1; }
  done
  local common=(--duration "$DURATION" --warmup "$WARMUP")
  loadgen_run "$name" sqs-send-32 "$port" --scenario sqs-send --queue bench-send --connections 32 "${common[@]}"
  loadgen_run "$name" sqs-send-batch-32 "$port" --scenario sqs-send-batch --queue bench-batch --connections 32 \
    "${common[@]}"
  loadgen_run "$name" sqs-roundtrip "$port" --scenario sqs-roundtrip --queue bench-roundtrip --connections 8 \
    --consumers 8 "${common[@]}"
  log "$name: sqs-wake"
  rc=0
  line="$(timeout 120 "$LOADGEN" --port "$port" --json --scenario sqs-wake --queue bench-wake --requests 200 \
    2>>"$OUT/$name.loadgen.err")" || rc=$?
  if [[ "$line" == \{* ]]; then record "$name" sqs-wake "\"result\":$line"; else
    log "$name: sqs-wake produced no result (exit $rc)"; FAILED=1; fi
  if [[ "$kind" == streamlab ]]; then
    loadgen_run "$name" sqs-send-query-32 "$port" --scenario sqs-send --protocol query --queue bench-send-query \
      --connections 32 "${common[@]}"
    loadgen_run "$name" sqs-roundtrip-query "$port" --scenario sqs-roundtrip --protocol query \
      --queue bench-roundtrip-query --connections 8 --consumers 8 "${common[@]}"
    loadgen_run "$name" health-32 "$port" --scenario health --connections 32 "${common[@]}"
  fi
  if kill -0 "$pid" 2>/dev/null; then
    record "$name" "end" "\"hwm_kb\":$(proc_kb "$pid" VmHWM)"
  else
    log "$name: server died during the runs (see $OUT/$name.server.log)"
    record "$name" "end" '"died":true'
    FAILED=1
  fi
  stop_server "$pid"
  rm -rf "$dir"
}

SQS_COLUMNS=()
if [[ "$ONLY" == all || "$ONLY" == sqs ]]; then
  if [[ -x "$STREAMLAB_BIN" ]]; then
    sqs_target sqs-sl-memory streamlab -- "$STREAMLAB_BIN" serve --port @PORT@ --data-dir @DIR@ --in-memory --throttle off
    sqs_target sqs-sl-process streamlab -- "$STREAMLAB_BIN" serve --port @PORT@ --data-dir @DIR@ --durability process \
      --throttle off
  else
    log "streamlab binary not found at $STREAMLAB_BIN: no SQS streamlab columns"
    record sqs-sl-memory start '"failed":true'
    record sqs-sl-process start '"failed":true'
    FAILED=1
  fi
  SQS_COLUMNS+=(sqs-sl-memory sqs-sl-process)
  FAUXQS_APP="$NPM_DIR/node_modules/fauxqs/dist/app.js"
  if [[ ! -f "$FAUXQS_APP" ]] && command -v npm >/dev/null; then
    log "installing fauxqs@$FAUXQS_VERSION into $NPM_DIR"
    mkdir -p "$NPM_DIR"
    (cd "$NPM_DIR" && timeout 300 npm install --no-audit --no-fund "fauxqs@$FAUXQS_VERSION" >"$OUT/npm-install-fauxqs.log" 2>&1) ||
      log "npm install fauxqs failed (see $OUT/npm-install-fauxqs.log)"
  fi
  if [[ -f "$FAUXQS_APP" ]] && command -v node >/dev/null; then
    # Its CLI forces per-request logging on; start it as a library with the logger off.
    sqs_target fauxqs fauxqs -- node --input-type=module \
      -e "import { startFauxqs } from '$FAUXQS_APP'; startFauxqs({ logger: false });"
  else
    log "fauxqs is not available: skipping its column"
    record fauxqs start '"unavailable":true'
  fi
  SQS_COLUMNS+=(fauxqs)
fi

# ------------------------------------------------------------------ SNS
# bench/sns_bench.py owns the SNS runs (it sets up topics, queues and receivers per server): Publish
# acknowledged/s, delivered/s and backlog, publish -> visible latency, streamlab beside fauxqs (the
# same pinned version as above, in $NPM_DIR). Table in $OUT/sns-table.md.
if [[ "$ONLY" == all || "$ONLY" == sns ]]; then
  if [[ -x "$STREAMLAB_BIN" ]]; then
    log "SNS: bench/sns_bench.py"
    if STREAMLAB_BIN="$STREAMLAB_BIN" "$PYTHON" "$ROOT/bench/sns_bench.py" --duration "$DURATION" --warmup "$WARMUP" \
      --out "$OUT" >"$OUT/sns.log" 2>"$OUT/sns.err"; then
      record sns table '"ok":true'
    else
      log "SNS: sns_bench.py failed (see $OUT/sns.err)"
      record sns table '"failed":true'
      FAILED=1
    fi
  else
    log "streamlab binary not found at $STREAMLAB_BIN: no SNS runs"
    record sns start '"failed":true'
    FAILED=1
  fi
fi

# ------------------------------------------------------------------ DynamoDB: streamlab vs dynalite
# PutItem and GetItem on a hash+range table of DDB_KEYS items, Query of 100-item partitions,
# PutItem on a table with a NEW_AND_OLD_IMAGES stream, and the server's /_streamlab/health ceiling.
DDB_AUTH='AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000'
DDB_KEYS=$((PREFILL / 10))
((DDB_KEYS >= 2000)) || DDB_KEYS=2000
DDB_COLUMNS=()

ddb() {  # port operation body -> prints body, returns 0 on HTTP 200
  local out code
  out="$(curl -sS --max-time 10 -w '\n%{http_code}' -X POST "http://127.0.0.1:$1/" \
    -H 'Content-Type: application/x-amz-json-1.0' -H "X-Amz-Target: DynamoDB_20120810.$2" \
    -H 'X-Amz-Date: 20240101T000000Z' -H "Authorization: $DDB_AUTH" --data-binary "$3" 2>&1)" || true
  code="${out##*$'\n'}"
  printf '%s\n' "${out%$'\n'*}"
  [[ "$code" == 200 ]]
}

ddb_create() {  # port table [stream-specification-json]
  local out i spec=""
  [[ -n "${3:-}" ]] && spec=",\"StreamSpecification\":$3"
  if ! out="$(ddb "$1" CreateTable "{\"TableName\":\"$2\",\"BillingMode\":\"PAY_PER_REQUEST\",\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"}],\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}]$spec}")"; then
    log "CreateTable $2 failed: $out"
    return 1
  fi
  for ((i = 0; i < 200; i++)); do
    out="$(ddb "$1" DescribeTable "{\"TableName\":\"$2\"}" || true)"
    [[ "$out" == *'"TableStatus":"ACTIVE"'* ]] && return 0
    sleep 0.05
  done
  log "table $2 did not become ACTIVE: $out"
  return 1
}

ddb_prefill() {  # name port run loadgen-args...
  local name="$1" port="$2" run="$3" line rc=0
  shift 3
  line="$(timeout 600 "$LOADGEN" --port "$port" --json --connections 8 --warmup 0 --duration 540 "$@" \
    2>>"$OUT/$name.loadgen.err")" || rc=$?
  if [[ "$line" == \{* ]]; then record "$name" "$run" "\"result\":$line"; else log "$name: $run failed (exit $rc)"; FAILED=1; fi
}

ddb_bench_target() {  # NAME KIND -- server command (@PORT@, @DIR@)
  local name="$1" kind="$2"
  shift 3
  local port dir pid t0 t1 started=0 cmd=() a
  port="$(free_port)"
  dir="$TMP_ROOT/$name"
  mkdir -p "$dir"
  for a in "$@"; do a="${a//@PORT@/$port}"; cmd+=("${a//@DIR@/$dir/data}"); done
  log "$name: starting: ${cmd[*]}"
  t0="$(now_us)"
  "${cmd[@]}" >"$OUT/$name.server.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  local deadline=$((t0 + START_TIMEOUT_S * 1000000))
  while :; do
    if ddb "$port" ListTables '{}' >/dev/null 2>&1; then t1="$(now_us)"; started=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    (($(now_us) < deadline)) || break
    sleep 0.01
  done
  if ((!started)); then
    log "$name: server failed to start (see $OUT/$name.server.log)"
    stop_server "$pid"
    record "$name" start '"failed":true'
    FAILED=1
    return 0
  fi
  record "$name" start "\"startup_ms\":$(((t1 - t0) / 1000)),\"idle_rss_kb\":$(proc_kb "$pid" VmRSS)"
  local common=(--duration "$DURATION" --warmup "$WARMUP" --connections 32)
  if ddb_create "$port" kvt && ddb_create "$port" qry; then
    ddb_prefill "$name" "$port" prefill-kvt --scenario ddb-put --table kvt --keys "$DDB_KEYS" --requests "$DDB_KEYS"
    ddb_prefill "$name" "$port" prefill-qry --scenario ddb-batch-put --table qry --partitions 100 --requests 400
    loadgen_run "$name" put-item-32 "$port" --scenario ddb-put --table kvt --keys "$DDB_KEYS" "${common[@]}"
    loadgen_run "$name" get-item-32 "$port" --scenario ddb-get --table kvt --keys "$DDB_KEYS" "${common[@]}"
    loadgen_run "$name" query-32 "$port" --scenario ddb-query --table qry --partitions 100 --query-limit 100 "${common[@]}"
  else
    FAILED=1
  fi
  if [[ "$kind" == streamlab ]]; then
    if ddb_create "$port" kvstream '{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}'; then
      loadgen_run "$name" put-item-stream-32 "$port" --scenario ddb-put --table kvstream --keys "$DDB_KEYS" "${common[@]}"
    else
      FAILED=1
    fi
    loadgen_run "$name" health-32 "$port" --scenario health "${common[@]}"
  fi
  record "$name" end "\"hwm_kb\":$(proc_kb "$pid" VmHWM)"
  stop_server "$pid"
  rm -rf "$dir"
}

if [[ "$ONLY" == all || "$ONLY" == dynamodb ]]; then
  if [[ -x "$STREAMLAB_BIN" ]]; then
    ddb_bench_target ddb-streamlab streamlab -- "$STREAMLAB_BIN" serve --port @PORT@ --data-dir @DIR@ --in-memory \
      --throttle off --state-delay-ms 0
    DDB_COLUMNS+=(ddb-streamlab)
    # The default on-disk mode: every acknowledged write is in the WAL (survives kill -9).
    ddb_bench_target ddb-streamlab-process streamlab -- "$STREAMLAB_BIN" serve --port @PORT@ --data-dir @DIR@ \
      --durability process --throttle off --state-delay-ms 0
    DDB_COLUMNS+=(ddb-streamlab-process)
  fi
  if [[ ! -f "$DYNALITE_JS" ]] && command -v npm >/dev/null; then
    log "installing dynalite@3 into $NPM_DIR"
    mkdir -p "$NPM_DIR"
    (cd "$NPM_DIR" && timeout 300 npm install --no-audit --no-fund dynalite@3 >>"$OUT/npm-install.log" 2>&1) ||
      log "npm install dynalite failed (see $OUT/npm-install.log)"
  fi
  if [[ -f "$DYNALITE_JS" ]] && command -v node >/dev/null; then
    # dynalite keeps its tables in memory (memdown) unless given --path.
    ddb_bench_target dynalite dynalite -- node "$DYNALITE_JS" --port @PORT@ --createTableMs 0 --deleteTableMs 0 \
      --updateTableMs 0
  else
    log "dynalite is not available: skipping its column"
    record dynalite start '"unavailable":true'
  fi
  DDB_COLUMNS+=(dynalite)
  # Amazon's DynamoDB Local needs a JVM and Amazon's jar (DYNAMODB_LOCAL_JAR); run it when both are here.
  if command -v java >/dev/null && [[ -n "${DYNAMODB_LOCAL_JAR:-}" && -f "$DYNAMODB_LOCAL_JAR" ]]; then
    ddb_bench_target ddb-local dynamodb-local -- java -jar "$DYNAMODB_LOCAL_JAR" -inMemory -port @PORT@
    DDB_COLUMNS+=(ddb-local)
  fi
  "$PYTHON" - "$RESULTS" "$DURATION" "$WARMUP" "$DDB_KEYS" "${DDB_COLUMNS[@]}" >"$OUT/dynamodb.md" <<'PY'
import json, sys
path, duration, warmup, keys = sys.argv[1:5]
cols = sys.argv[5:]
data = {}
for line in open(path):
    if line.strip():
        r = json.loads(line)
        data.setdefault(r["target"], {})[r["run"]] = r
names = {"ddb-streamlab": "streamlab in-memory", "ddb-streamlab-process": "streamlab on disk (process durability)",
         "dynalite": "dynalite (in memory)", "ddb-local": "DynamoDB Local"}
def run(t, name, field):
    r = data.get(t, {}).get(name)
    return r["result"].get(field) if r and "result" in r else None
def fmt(v, f="{:,.0f}"):
    return "—" if v is None else f.format(v)
rows = [("PutItem req/s, 32 conns", "put-item-32", "ok_rps", "≥ 4×"), ("PutItem p99 ms", "put-item-32", "p99_ms", ""),
        ("GetItem req/s, 32 conns", "get-item-32", "ok_rps", "≥ 4×"), ("GetItem p99 ms", "get-item-32", "p99_ms", ""),
        ("Query items/s (100-item pages), 32 conns", "query-32", "records_per_s", "≥ 5×"),
        ("Query p99 ms", "query-32", "p99_ms", "")]
header = ["measurement"] + [names.get(c, c) for c in cols] + ["streamlab / dynalite", "target"]
print("| " + " | ".join(header) + " |")
print("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
for label, name, field, target in rows:
    ms = field.endswith("ms")
    cells = [label] + [fmt(run(c, name, field), "{:.2f}" if ms else "{:,.0f}") for c in cols]
    a, b = run("ddb-streamlab", name, field), run("dynalite", name, field)
    cells += ["—" if ms or a is None or not b else "%.2f×" % (a / b), target]
    print("| " + " | ".join(cells) + " |")
# Rows measured on streamlab alone: each streamlab column against its own health ceiling.
def own(label, cell, target):
    cells = [label] + [cell(c) if c.startswith("ddb-streamlab") else "" for c in cols] + ["", target]
    print("| " + " | ".join(cells) + " |")
def ratio(c, name, over):
    v, h = run(c, name, "ok_rps"), run(c, over, "ok_rps")
    return fmt(v / h if v and h else None, "{:.2f}")
own("health ceiling req/s (GET /_streamlab/health), 32 conns", lambda c: fmt(run(c, "health-32", "ok_rps")), "")
own("PutItem / health ceiling", lambda c: ratio(c, "put-item-32", "health-32"), "≥ 0.5")
own("GetItem / health ceiling", lambda c: ratio(c, "get-item-32", "health-32"), "≥ 0.5")
own("PutItem req/s with a NEW_AND_OLD_IMAGES stream (/ without)",
    lambda c: "%s (%s)" % (fmt(run(c, "put-item-stream-32", "ok_rps")), ratio(c, "put-item-stream-32", "put-item-32")),
    "≥ 0.8")
print()
print("Runs: %s s measured after %s s warm-up, 32 connections, one load generator thread on the same machine; "
      "hash+range tables; PutItem/GetItem over %s keys of ~100-byte items; Query reads 100-item partitions; "
      "the health ceiling is GET /_streamlab/health on the same server; streamlab / dynalite compares the "
      "in-memory modes." % (duration, warmup, keys))
PY
fi

# ------------------------------------------------------------------ table
"$PYTHON" - "$RESULTS" "$DURATION" "$WARMUP" "$PREFILL" "$SHARDS" "${COLUMNS_RUN[@]}" >"$OUT/table.md" <<'PY'
import json, sys
path, duration, warmup, prefill, shards = sys.argv[1:6]
cols = sys.argv[6:]
data = {}
for line in open(path):
    line = line.strip()
    if not line:
        continue
    r = json.loads(line)
    data.setdefault(r["target"], {})[r["run"]] = r

names = {"sl-memory": "streamlab in-memory", "sl-process": "streamlab process", "sl-fsync": "streamlab fsync",
         "kinesalite": "kinesalite"}

def state(t):
    s = data.get(t, {}).get("start", {})
    if s.get("failed"): return "failed to start"
    if s.get("unavailable"): return "n/a"
    if not s: return "n/a"
    return None

def run(t, name, field):
    r = data.get(t, {}).get(name)
    if not r or "result" not in r: return None
    return r["result"].get(field)

def start(t, field):
    return data.get(t, {}).get("start", {}).get(field)

def end(t, field):
    return data.get(t, {}).get("end", {}).get(field)

def mib(kb): return None if kb is None else kb / 1024.0

rows = [
    ("start-up to first answered request (ms)", lambda t: start(t, "startup_ms"), "{:.1f}"),
    ("idle RSS after start (MiB)", lambda t: mib(start(t, "idle_rss_kb")), "{:.1f}"),
    ("PutRecord req/s, 32 conns", lambda t: run(t, "put-record-32", "ok_rps"), "{:,.0f}"),
    ("PutRecord p50 / p99 ms, 32 conns", lambda t: (run(t, "put-record-32", "p50_ms"), run(t, "put-record-32", "p99_ms")), "pair"),
    ("PutRecord req/s over HTTP/2 (h2load), 32 conns", lambda t: run(t, "put-record-h2-32", "ok_rps"), "{:,.0f}",
     False),
    ("PutRecord req/s over HTTP/1.1 (h2load --h1), 32 conns", lambda t: run(t, "put-record-h2load-h1-32", "ok_rps"),
     "{:,.0f}", False),
    ("PutRecord HTTP/2 / HTTP/1.1 req/s, both h2load, 32 conns (client-bound)", lambda t: h2_ratio(t), "{:.2f}", False),
    ("server CPU us per PutRecord, HTTP/2 / HTTP/1.1 (h2load runs)", lambda t: (run(t, "put-record-h2-32", "server_cpu_us_per_req"),
     run(t, "put-record-h2load-h1-32", "server_cpu_us_per_req")), "pair", False),
    ("PutRecord HTTP/2 / HTTP/1.1 server capacity (CPU per request, target >= 0.8)", lambda t: h2_capacity(t), "{:.2f}", False),
    ("PutRecord req/s, 128 conns", lambda t: run(t, "put-record-128", "ok_rps"), "{:,.0f}"),
    ("PutRecord p50 / p99 ms, 128 conns", lambda t: (run(t, "put-record-128", "p50_ms"), run(t, "put-record-128", "p99_ms")), "pair"),
    ("PutRecords records/s (500 x 100 B), 32 conns", lambda t: run(t, "put-records-32", "records_per_s"), "{:,.0f}"),
    ("PutRecords p50 / p99 ms, 32 conns", lambda t: (run(t, "put-records-32", "p50_ms"), run(t, "put-records-32", "p99_ms")), "pair"),
    ("GetRecords records/s (Limit 10000, %s conns)" % shards, lambda t: run(t, "get-records", "records_per_s"), "{:,.0f}"),
    ("GetRecords p50 / p99 ms", lambda t: (run(t, "get-records", "p50_ms"), run(t, "get-records", "p99_ms")), "pair"),
    ("prefill records/s (PutRecords, 8 conns)", lambda t: run(t, "prefill", "records_per_s"), "{:,.0f}"),
    ("errors, all runs (non-2xx + transport)", lambda t: total_errors(t), "{:,.0f}"),
    ("failed records (FailedRecordCount), all runs", lambda t: total_field(t, "failed_records"), "{:,.0f}"),
    ("peak RSS after the runs, VmHWM (MiB)", lambda t: mib(end(t, "hwm_kb")), "{:.1f}"),
    ("data dir after the runs (MiB)", lambda t: mib(end(t, "data_kb")), "{:.1f}", False),
]

def total_field(t, f):
    runs = [r for k, r in data.get(t, {}).items() if "result" in r]
    return sum(r["result"].get(f, 0) for r in runs) if runs else None

def total_errors(t):
    return total_field(t, "errors")

def h2_ratio(t):
    h2, h1 = run(t, "put-record-h2-32", "ok_rps"), run(t, "put-record-h2load-h1-32", "ok_rps")
    return h2 / h1 if h2 is not None and h1 else None

def h2_capacity(t):  # requests per server CPU-second, HTTP/2 over HTTP/1.1
    h2, h1 = run(t, "put-record-h2-32", "server_cpu_us_per_req"), run(t, "put-record-h2load-h1-32", "server_cpu_us_per_req")
    return h1 / h2 if h2 and h1 else None

def fmt(v, f):
    if v is None: return "—"
    if f == "pair":
        a, b = v
        if a is None or b is None: return "—"
        return "%s / %s" % (num(a), num(b))
    return f.format(v)

def num(x):
    return "%.2f" % x if x < 10 else "%.1f" % x if x < 100 else "%.0f" % x

def val(v):
    if v is None: return None
    if isinstance(v, tuple): return v[1]  # ratio of pairs: use p99
    return v

header = ["measurement"] + [names.get(c, c) for c in cols]
ratio = "sl-memory" in cols and "kinesalite" in cols
if ratio: header.append("streamlab in-memory / kinesalite")
print("| " + " | ".join(header) + " |")
print("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
for row in rows:
    label, get, f = row[:3]
    with_ratio = len(row) < 4 or row[3]
    cells = [label]
    for c in cols:
        st = state(c)
        cells.append(st if st else fmt(get(c), f))
    if ratio:
        a = val(get("sl-memory")) if not state("sl-memory") else None
        b = val(get("kinesalite")) if not state("kinesalite") else None
        if a is not None and b and with_ratio:
            cells.append(("%.2f×" % (a / b)) + (" (p99)" if f == "pair" else ""))
        else:
            cells.append("—")
    print("| " + " | ".join(cells) + " |")

if "sl-memory" in cols and not state("sl-memory"):
    def health_row(label, get, f):
        cells = [label] + [fmt(get() if c == "sl-memory" else None, f) for c in cols]
        if ratio: cells.append("—")
        print("| " + " | ".join(cells) + " |")
    for n in ("32", "128"):
        h = run("sl-memory", "health-" + n, "ok_rps")
        p = run("sl-memory", "put-record-" + n, "ok_rps")
        health_row("health ceiling req/s (GET /_streamlab/health), %s conns" % n, lambda: h, "{:,.0f}")
        health_row("PutRecord / health, %s conns" % n, lambda: (p / h) if (p is not None and h) else None, "{:.2f}")
print()
print("Runs: %s s measured after %s s warm-up, one load generator thread, server and load generator on the same "
      "machine; stream of %s shards; GetRecords reads a separate stream prefilled with ~%s records." %
      (duration, warmup, shards, prefill))
PY
cat "$OUT/table.md"
if [[ -f "$OUT/dynamodb.md" ]]; then printf '\nDynamoDB\n\n'; cat "$OUT/dynamodb.md"; fi
if [[ -f "$OUT/sns-table.md" ]]; then printf '\nSNS\n\n'; cat "$OUT/sns-table.md"; fi
if ((${#SQS_COLUMNS[@]})); then
  "$PYTHON" - "$RESULTS" "$DURATION" "$WARMUP" "${SQS_COLUMNS[@]}" >"$OUT/sqs-table.md" <<'PY'
import json, sys
path, duration, warmup = sys.argv[1:4]
cols = sys.argv[4:]
data = {}
for line in open(path):
    if line.strip():
        r = json.loads(line)
        data.setdefault(r["target"], {})[r["run"]] = r
names = {"sqs-sl-memory": "streamlab in-memory", "sqs-sl-process": "streamlab durable (process)",
         "fauxqs": "fauxqs (in memory)"}

def state(t):
    s = data.get(t, {}).get("start", {})
    if s.get("failed"): return "failed to start"
    if s.get("unavailable") or not s: return "n/a"
    return None

def run(t, name, field):
    r = data.get(t, {}).get(name)
    return r["result"].get(field) if r and "result" in r else None

def pair(a, b): return lambda t: (run(t, a[0], a[1]), run(t, b[0], b[1]))

def ratio_health(t):
    s, h = run(t, "sqs-send-32", "ok_rps"), run(t, "health-32", "ok_rps")
    return s / h if s is not None and h else None

def errors(t):
    rs = [r["result"] for r in data.get(t, {}).values() if "result" in r]
    return sum(r.get("errors", 0) for r in rs) if rs else None

rows = [
    ("SendMessage req/s (100 B), JSON, 32 conns", lambda t: run(t, "sqs-send-32", "ok_rps"), "{:,.0f}"),
    ("SendMessage p50 / p99 ms, JSON", pair(("sqs-send-32", "p50_ms"), ("sqs-send-32", "p99_ms")), "pair"),
    ("SendMessage req/s, query/XML, 32 conns", lambda t: run(t, "sqs-send-query-32", "ok_rps"), "{:,.0f}"),
    ("SendMessageBatch messages/s (10 x 100 B), JSON, 32 conns",
     lambda t: run(t, "sqs-send-batch-32", "records_per_s"), "{:,.0f}"),
    ("send -> receive -> delete messages/s, 8 workers (batches of 10), JSON",
     lambda t: run(t, "sqs-roundtrip", "records_per_s"), "{:,.0f}"),
    ("the same round trip, query/XML", lambda t: run(t, "sqs-roundtrip-query", "records_per_s"), "{:,.0f}"),
    ("ReceiveMessage p50 / p99 ms, messages waiting (round trip, JSON)",
     pair(("sqs-roundtrip", "receive_p50_ms"), ("sqs-roundtrip", "receive_p99_ms")), "pair"),
    ("long-polled receive answered after the send began, p50 / p99 ms",
     pair(("sqs-wake", "wake_p50_ms"), ("sqs-wake", "wake_p99_ms")), "pair"),
    ("health ceiling req/s (GET /_streamlab/health), 32 conns", lambda t: run(t, "health-32", "ok_rps"), "{:,.0f}"),
    ("SendMessage / health ceiling", ratio_health, "{:.2f}"),
    ("errors, all runs", errors, "{:,.0f}"),
]

def fmt(v, f):
    if v is None: return "—"
    if f == "pair":
        a, b = v
        return "—" if a is None or b is None else "%.2f / %.2f" % (a, b)
    return f.format(v)

header = ["measurement"] + [names.get(c, c) for c in cols]
durable, fx = "sqs-sl-process", "fauxqs"
compare = durable in cols and fx in cols and not state(durable) and not state(fx)
if compare: header.append("durable / fauxqs")
print("| " + " | ".join(header) + " |")
print("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
for label, get, f in rows:
    cells = [label] + [state(c) or fmt(get(c), f) for c in cols]
    if compare:
        a, b = get(durable), get(fx)
        ok = f != "pair" and a is not None and b and "ratio" not in label and "errors" not in label
        cells.append("%.2f×" % (a / b) if ok else "—")
    print("| " + " | ".join(cells) + " |")
print()

def check(label, value, target, good):
    if value is None:
        print("- %s: not measured" % label)
    else:
        print("- %s: %s (target %s) %s" % (label, "%.2f" % value, target, "met" if good(value) else "NOT met"))

print("Targets (issue 4), streamlab durable:")
s, f = run(durable, "sqs-send-32", "ok_rps"), run(fx, "sqs-send-32", "ok_rps")
check("SendMessage / fauxqs", s / f if s and f else None, ">= 2", lambda v: v >= 2)
check("SendMessage / health ceiling", ratio_health(durable), ">= 0.5", lambda v: v >= 0.5)
a, b = run(durable, "sqs-roundtrip", "records_per_s"), run(fx, "sqs-roundtrip", "records_per_s")
check("round trip / fauxqs", a / b if a and b else None, ">= 2", lambda v: v >= 2)
check("ReceiveMessage p99 ms, messages waiting", run(durable, "sqs-roundtrip", "receive_p99_ms"), "<= 5",
      lambda v: v <= 5)
check("long-poll wake p99 ms", run(durable, "sqs-wake", "wake_p99_ms"), "<= 5", lambda v: v <= 5)
print()
print("Runs: %s s measured after %s s warm-up; server and load generator on the same machine; fauxqs %s "
      "started as a library with its request logger off." % (duration, warmup, "1.9.2"))
PY
  cat "$OUT/sqs-table.md"
fi
log "results in $OUT (results.jsonl, table.md, server logs)"
if ((FAILED)); then
  log "some targets failed (see above)"
  exit 1
fi
