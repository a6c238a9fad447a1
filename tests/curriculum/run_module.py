#!/usr/bin/env python3
"""Runs one module's hands-on exactly as its README shows it, against a fresh streamlab, then its check.

  run_module.py curriculum/m07-partitions-and-ordering [--keep-server]

1. Starts the real binary on a free 127.0.0.1 port with default flags (tests/integration/harness.py).
2. Takes every ```sh block of the module's README, in order, and runs each with bash in the repository
   root, like one terminal: variables and the working directory carry from one block to the next. The
   environment has ENDPOINT (the server), dummy AWS credentials, AWS_PAGER="", `aws` = /usr/bin/aws (CLI v2),
   `python3` = /usr/bin/python3 (Debian's boto3) and `streamlab` = $STREAMLAB_BIN (the learner CLI's
   `streamlab check` / `streamlab quiz`) first on PATH, and no STREAMLAB_ENDPOINT or
   AWS_ENDPOINT_URL, so a command without --endpoint-url fails instead of passing by accident.
3. When it reaches the "Clean up" section it runs the module's check.py against the same server, then runs
   the clean-up blocks too.
Fails (exit 1) with the failing step's command and output. Blocks must not use streamlab's own /_streamlab/
endpoints, and every aws / clients/python / streamlab check|quiz|progress command must carry
--endpoint-url "$ENDPOINT".
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

import harness  # noqa: E402

AWS_CLI = "/usr/bin/aws"
PYTHON = "/usr/bin/python3"
BLOCK_TIMEOUT = 180

WRAPPER = r'''
__state="$1"; __cwd="$2"; __block="$3"
if [ -f "$__state" ]; then source "$__state"; fi
cd "$(cat "$__cwd")"
__save() {
  declare -p | grep -Ev '^declare -[a-zA-Z]*r' \
    | grep -Ev '^declare -[-a-zA-Z]* (BASH[A-Z_]*|FUNCNAME|PIPESTATUS|GROUPS|DIRSTACK|_|PPID|UID|EUID|SHELLOPTS|BASHOPTS|SHLVL|RANDOM|SRANDOM|LINENO|SECONDS|HISTCMD|EPOCHREALTIME|EPOCHSECONDS|OPTIND|OPTERR|IFS|PS4|PWD|OLDPWD|__[A-Za-z_]*)(=|$)' \
    > "$__state.new"; mv "$__state.new" "$__state"; pwd > "$__cwd"
}
trap __save EXIT
set -eo pipefail
source "$__block"
'''


class Block:
    def __init__(self, index, heading, text, line, cleanup):
        self.index, self.heading, self.text, self.line, self.cleanup = index, heading, text, line, cleanup


def extract_blocks(readme_text):
    """The ```sh blocks, in order, each with its heading and whether it is in the clean-up section."""
    blocks, heading, fence, buf, start = [], "", None, [], 0
    cleanup_level = None
    for n, line in enumerate(readme_text.splitlines(), 1):
        stripped = line.strip()
        if fence is None:
            m = re.match(r"^(#{1,6})\s+(.*)$", line)
            if m:
                level, heading = len(m.group(1)), m.group(2).strip()
                if re.search(r"clean[\s-]?up", heading, re.I):
                    cleanup_level = level if cleanup_level is None else min(cleanup_level, level)
                elif cleanup_level is not None and level <= cleanup_level:
                    cleanup_level = None
                continue
            m = re.match(r"^(`{3,}|~{3,})\s*([\w+-]*)", stripped)
            if m:
                fence, info, buf, start = m.group(1), m.group(2), [], n
            continue
        if stripped.startswith(fence) and stripped.strip("`~") == "":
            if info == "sh":
                blocks.append(Block(len(blocks) + 1, heading, "\n".join(buf) + "\n", start, cleanup_level is not None))
            fence = None
            continue
        buf.append(line)
    if fence is not None:
        raise SystemExit(f"unterminated code fence opened at line {start}")
    return blocks


def lint(block):
    """Problems with a block that would make it a bad lesson or a false pass."""
    problems = []
    if "_streamlab" in block.text:
        problems.append("uses streamlab's own /_streamlab/ endpoints (not an AWS API)")
    logical = re.sub(r"\\\n", " ", block.text)
    for line in logical.splitlines():
        code = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
        uses_aws = re.search(r"(^|[;&|(]|\$\(|\bthen|\bdo)\s*aws\s", code)
        uses_client = re.search(r"clients/python/\w+\.py", code)
        uses_course = re.search(r"(^|[;&|(]|\$\(|\bthen|\bdo)\s*streamlab\s+(check|quiz|progress)\b", code)
        if (uses_aws or uses_client or uses_course) and '--endpoint-url "$ENDPOINT"' not in code:
            problems.append(f'command without --endpoint-url "$ENDPOINT": {line.strip()}')
    return problems


def run_block(block, env, state, cwd_file, workdir):
    path = os.path.join(workdir, f"block{block.index}.sh")
    with open(path, "w") as f:
        f.write(block.text)
    wrapper = os.path.join(workdir, "wrapper.sh")
    t0 = time.monotonic()
    proc = subprocess.Popen(["/bin/bash", wrapper, state, cwd_file, path], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace")
    out = []
    try:
        deadline = time.monotonic() + BLOCK_TIMEOUT
        for line in proc.stdout:
            out.append(line)
            sys.stdout.write("    " + line)
            sys.stdout.flush()
            if time.monotonic() > deadline:
                break
        proc.wait(timeout=max(1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        out.append(f"\n(step killed after {BLOCK_TIMEOUT} s)\n")
        return 124, "".join(out), time.monotonic() - t0
    return proc.returncode, "".join(out), time.monotonic() - t0


def fail(what, block, output, rc):
    print("\n" + "=" * 78)
    print(f"FAILED: {what} (exit status {rc})")
    if block is not None:
        print(f"step {block.index}, README line {block.line}, under \"{block.heading}\":")
        print("".join("  $ " + l + "\n" for l in block.text.rstrip("\n").splitlines()))
    print("output:")
    print(output.rstrip() or "(none)")
    print("=" * 78)
    return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("module_dir")
    ap.add_argument("--keep-server", action="store_true", help="leave the server running at the end (debugging)")
    args = ap.parse_args()
    module_dir = os.path.abspath(args.module_dir)
    with open(os.path.join(module_dir, "README.md"), encoding="utf-8") as f:
        blocks = extract_blocks(f.read())
    check = os.path.join(module_dir, "check.py")
    if not blocks:
        print(f"{module_dir}/README.md has no ```sh blocks")
        return 1
    problems = [(b, p) for b in blocks for p in lint(b)]
    if problems:
        for b, p in problems:
            print(f"README line {b.line}: {p}")
        return 1

    workdir = tempfile.mkdtemp(prefix="streamlab-course-")
    bindir = os.path.join(workdir, "bin")
    os.makedirs(bindir)
    os.symlink(AWS_CLI, os.path.join(bindir, "aws"))
    os.symlink(PYTHON, os.path.join(bindir, "python3"))
    os.symlink(os.path.abspath(harness.BIN), os.path.join(bindir, "streamlab"))
    with open(os.path.join(workdir, "wrapper.sh"), "w") as f:
        f.write(WRAPPER)
    state, cwd_file = os.path.join(workdir, "state.sh"), os.path.join(workdir, "cwd")
    with open(cwd_file, "w") as f:
        f.write(ROOT + "\n")

    server = harness.Server(())  # the defaults a learner gets from scripts/serve.sh, on a free port
    server.start()
    env = {k: v for k, v in os.environ.items()
           if k not in ("STREAMLAB_ENDPOINT", "AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_REGION")}
    env.update(harness.CREDENTIALS)
    env.update({
        "ENDPOINT": server.endpoint, "AWS_PAGER": "", "AWS_CONFIG_FILE": os.path.join(workdir, "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(workdir, "aws-credentials"),
        "PATH": bindir + os.pathsep + env.get("PATH", "/usr/bin:/bin"),
        "STREAMLAB_PROGRESS_FILE": os.path.join(workdir, "progress.json"),
        "TMPDIR": workdir, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1",
    })
    t_all = time.monotonic()
    rc = 0
    try:
        print(f"module {os.path.basename(module_dir)}: {len(blocks)} steps against {server.endpoint}")
        checked = False
        for b in blocks:
            if b.cleanup and not checked:
                rc = run_check(check, server, env)
                checked = True
                if rc:
                    return rc
            print(f"--- step {b.index} ({b.heading}), README line {b.line}")
            code, out, secs = run_block(b, env, state, cwd_file, workdir)
            print(f"    ({secs:.1f} s, exit {code})")
            if code != 0:
                return fail("a README step failed", b, out, code)
        if not checked:
            rc = run_check(check, server, env)
        if rc == 0:
            print(f"module {os.path.basename(module_dir)}: every step and the check passed "
                  f"in {time.monotonic() - t_all:.1f} s")
        return rc
    finally:
        if args.keep_server:
            print(f"server left running at {server.endpoint} (pid {server.proc.pid})")
        else:
            server.close()
            shutil.rmtree(workdir, ignore_errors=True)


def run_check(check, server, env):
    if not os.path.exists(check):
        print(f"no check.py in {os.path.dirname(check)}")
        return 1
    print(f"--- check.py --endpoint-url {server.endpoint}")
    p = subprocess.run([PYTHON, check, "--endpoint-url", server.endpoint], env=env, cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=BLOCK_TIMEOUT)
    sys.stdout.write("".join("    " + l + "\n" for l in p.stdout.splitlines()))
    if p.returncode != 0:
        return fail("check.py did not pass after the README's steps", None, p.stdout, p.returncode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
