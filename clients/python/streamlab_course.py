#!/usr/bin/env python3
"""The course on the command line: modules, paths, checkpoints (quizzes) and hands-on checks.

  modules               the module graph, with your status in each module
  module M7             one module: goals, prerequisites, where to start
  path [NAME|M1,M2,..]  the named completion paths; one of them; or check your own order
  quiz M7               the module's three-question checkpoint, asked here; the score is recorded
  check M7              verifies the module's hands-on result through AWS APIs (pass --endpoint-url for
                        streamlab; without it the check runs against real AWS); the result is recorded
  progress              what you have completed

Progress is kept in a local file: $STREAMLAB_PROGRESS_FILE, else $XDG_DATA_HOME/streamlab/progress.json,
else ~/.local/share/streamlab/progress.json. A module counts as done when its check passed and at least
two of its three checkpoint questions were answered correctly.

The `streamlab` binary's subcommands `streamlab modules`, `streamlab module M7`, ... run this program
with the same arguments.
"""
import argparse
import json
import math
import os
import socket
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
CURRICULUM = os.environ.get("STREAMLAB_CURRICULUM") or os.path.normpath(os.path.join(HERE, "..", "..", "curriculum"))
PASS_MARK = 2  # of 3 checkpoint questions


# The graph --------------------------------------------------------------------------------

def load_graph(path=None):
    with open(path or os.path.join(CURRICULUM, "graph.json"), encoding="utf-8") as f:
        return json.load(f)


def modules_by_id(graph):
    return {m["id"]: m for m in graph["modules"]}


def normalize_id(graph, text):
    """'M7', 'm7', '7', 'm07-partitions-and-ordering' -> 'M7' (or None)."""
    t = text.strip()
    mods = modules_by_id(graph)
    if t.upper() in mods:
        return t.upper()
    if t.isdigit() and f"M{int(t)}" in mods:
        return f"M{int(t)}"
    for m in graph["modules"]:
        if t.lower().rstrip("/") in (m["dir"], os.path.join("curriculum", m["dir"])):
            return m["id"]
    if t[:1] in "mM" and t[1:].isdigit() and f"M{int(t[1:])}" in mods:
        return f"M{int(t[1:])}"
    return None


def validate_path(graph, ids):
    """(errors, warnings) for taking the modules in this order. Required prerequisites must come earlier
    (else an error); recommended ones that are missing or later give a warning."""
    mods = modules_by_id(graph)
    errors, warnings, seen = [], [], set()
    for i, mid in enumerate(ids):
        if mid not in mods:
            errors.append(f"{mid}: there is no such module (M1..M{len(mods)})")
            continue
        if mid in seen:
            errors.append(f"{mid} appears more than once")
            continue
        later = set(ids[i + 1:])
        pre = mods[mid]["prerequisites"]
        for kind, bucket in (("required", errors), ("recommended", warnings)):
            for r in pre[kind]:
                if r in seen:
                    continue
                where = "which comes later in the path" if r in later else "which is not in the path"
                verb = "requires" if kind == "required" else "recommends taking"
                bucket.append(f"{mid} ({mods[mid]['title']}) {verb} {r} ({mods[r]['title']}) first, {where}")
        seen.add(mid)
    return errors, warnings


def path_minutes(graph, ids):
    mods = modules_by_id(graph)
    return sum(mods[m]["minutes"] for m in ids if m in mods)


def fmt_minutes(minutes):
    h, m = divmod(int(minutes), 60)
    if not h:
        return f"{m} min"
    return f"{h} h" + (f" {m} min" if m else "")


def fmt_days(graph, minutes):
    lo, hi = graph["pace"]["hours_per_day"]
    a, b = minutes / 60 / hi, minutes / 60 / lo
    return f"{a:.1f}-{b:.1f} days at {lo}-{hi} h a day"


def find_path(graph, name):
    key = name.strip().lower().replace("_", "-")
    for p in graph["paths"]:
        if key in (p["id"], p["name"].lower(), p["name"].lower().replace(" ", "-")):
            return p
    return None


def parse_custom(graph, text):
    parts = [x for x in text.replace("->", ",").replace("→", ",").replace(" ", ",").split(",") if x]
    return [normalize_id(graph, x) or x for x in parts]


# Progress ---------------------------------------------------------------------------------

def progress_path():
    if os.environ.get("STREAMLAB_PROGRESS_FILE"):
        return os.environ["STREAMLAB_PROGRESS_FILE"]
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "streamlab", "progress.json")


def load_progress():
    try:
        with open(progress_path(), encoding="utf-8") as f:
            data = json.load(f)
        if isinstance(data, dict) and isinstance(data.get("modules"), dict):
            return data
    except (OSError, ValueError):
        pass
    return {"version": 1, "modules": {}}


def save_progress(data):
    path = progress_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def module_state(graph, progress, mid):
    """(done, short status text)."""
    m = modules_by_id(graph)[mid]
    p = progress["modules"].get(mid, {})
    quiz, check = p.get("quiz"), p.get("check")
    quiz_ok = bool(quiz) and quiz.get("best", 0) >= PASS_MARK
    check_ok = bool(check) and check.get("passed")
    if quiz_ok and check_ok:
        return True, f"done (quiz {quiz['best']}/3, check passed)"
    if m["status"] == "planned":
        return False, "planned: " + m.get("status_note", "not written yet").split(";")[0]
    bits = []
    if quiz:
        bits.append(f"quiz {quiz['best']}/3")
    if check:
        bits.append("check passed" if check_ok else "check not passed yet")
    if bits:
        return False, "in progress (" + ", ".join(bits) + ")"
    missing = [r for r in m["prerequisites"]["required"] if not module_state(graph, progress, r)[0]]
    return False, ("ready" if not missing else "start " + ", ".join(missing) + " first")


# Commands -------------------------------------------------------------------------------

def cmd_modules(graph, args):
    progress = load_progress()
    mods = modules_by_id(graph)
    print(f"{graph['title']}: {len(mods)} modules of {graph['minutes_per_module']} min "
          f"({fmt_minutes(path_minutes(graph, list(mods)))} in all)\n")
    for g in graph["groups"]:
        req = ", ".join(g["requires"]) or "no prerequisites"
        head = f"{g['title']} (requires {req})" if g["title"] else f"Under {', '.join(g['requires'])}"
        if g["title"] and not g["requires"]:
            head = f"{g['title']} (no prerequisites)"
        print(head)
        for mid in g["modules"]:
            m = mods[mid]
            _, status = module_state(graph, progress, mid)
            rec = m["prerequisites"]["recommended"]
            extra = f"  [recommended first: {', '.join(rec)}]" if rec else ""
            print(f"  {mid:<4} {m['title']:<28} {status}{extra}")
    print(f"\nProgress file: {progress_path()}")
    print("Next: `streamlab_course.py module M1` to start, `streamlab_course.py path` for the completion paths.")
    return 0


def cmd_module(graph, args):
    mid = normalize_id(graph, args.module)
    if not mid:
        print(f"no module {args.module!r}: use M1..M{len(graph['modules'])}", file=sys.stderr)
        return 2
    progress = load_progress()
    mods = modules_by_id(graph)
    m = mods[mid]
    parts = ", ".join(f"{s['part']} {s['minutes']}" for s in m["structure"])
    print(f"{mid}  {m['title']}  ({m['minutes']} min: {parts})")
    print("Goals:")
    for goal in m["goals"]:
        print(f"  - {goal}")

    def names(ids):
        return ", ".join(f"{r} {mods[r]['title']} ({'done' if module_state(graph, progress, r)[0] else 'not done'})"
                         for r in ids) or "none"

    print(f"Required before it: {names(m['prerequisites']['required'])}")
    if m["prerequisites"]["recommended"]:
        print(f"Recommended before it: {names(m['prerequisites']['recommended'])}")
    print(f"Status: {module_state(graph, progress, mid)[1]}")
    readme = os.path.join(CURRICULUM, m["dir"], "README.md")
    if m["status"] == "planned":
        print(f"\nThis module's hands-on is not available yet: {m.get('status_note', '')}.")
        print(f"Outline: {m['outline_exercise']}")
        print(f"Read: {os.path.relpath(readme)}")
        return 0
    missing = [r for r in m["prerequisites"]["required"] if not module_state(graph, progress, r)[0]]
    if missing:
        print(f"\nYou can read it now, but it builds on {', '.join(missing)}: "
              f"start with `streamlab_course.py module {missing[0]}`.")
    print(f"\nStart here: {os.path.relpath(readme)}")
    print("  1. read the concepts and talk through the discussion prompts")
    print("  2. do the hands-on steps (a streamlab server must be running: scripts/serve.sh)")
    print(f"  3. streamlab_course.py check {mid} --endpoint-url http://localhost:4566")
    print(f"  4. streamlab_course.py quiz {mid}")
    return 0


def describe_path(graph, ids, progress):
    mods = modules_by_id(graph)
    for i, mid in enumerate(ids, 1):
        title = mods[mid]["title"] if mid in mods else "?"
        status = module_state(graph, progress, mid)[1] if mid in mods else "unknown module"
        print(f"  {i:>2}. {mid:<4} {title:<28} {status}")


def cmd_path(graph, args):
    progress = load_progress()
    if not args.path:
        print(f"Named paths (time = {graph['minutes_per_module']} min x the modules actually in the path):\n")
        for p in graph["paths"]:
            errors, warnings = validate_path(graph, p["modules"])
            minutes = path_minutes(graph, p["modules"])
            verdict = "valid" if not errors else "INVALID"
            if warnings:
                verdict += f", {len(warnings)} warning{'s' if len(warnings) > 1 else ''}"
            changed = " (resolved from the outline)" if (p["outline"]["modules"] not in (None, p["modules"])) else ""
            print(f"  {p['id']:<22} {p['name']:<30} {len(p['modules']):>2} modules  {fmt_minutes(minutes):<10} "
                  f"{verdict}{changed}")
        print("\nOne path in detail: streamlab_course.py path fast-track")
        print("Your own order:      streamlab_course.py path M1,M2,M5,M6")
        return 0
    p = find_path(graph, args.path)
    if p:
        ids = p["modules"]
        minutes = path_minutes(graph, ids)
        print(f"{p['name']} ({p['id']}): {len(ids)} modules, {fmt_minutes(minutes)} ({fmt_days(graph, minutes)})")
        print(f"  {p['description']}")
        print(f"  Outline: {p['outline']['text']}")
        if p["outline"]["modules"] not in (None, ids):
            listed = p["outline"]["modules"]
            print(f"  As listed there: {' -> '.join(listed)} ({len(listed)} modules, "
                  f"{fmt_minutes(path_minutes(graph, listed))})")
        print(f"  Resolution: {p['resolution']}")
        if p.get("any_valid_order"):
            print("  Any order that respects the required prerequisites is fine; this one respects all of them.")
        print()
    else:
        ids = parse_custom(graph, args.path)
        if len(ids) == 1 and not normalize_id(graph, args.path):
            names = ", ".join(x["id"] for x in graph["paths"])
            print(f"no path named {args.path!r} (named paths: {names}); "
                  f"or give modules in order, e.g. M1,M2,M5", file=sys.stderr)
            return 2
        minutes = path_minutes(graph, ids)
        print(f"Your path: {' -> '.join(ids)}: {len(ids)} modules, {fmt_minutes(minutes)}\n")
    describe_path(graph, ids, progress)
    errors, warnings = validate_path(graph, ids)
    print()
    for e in errors:
        print(f"  error:   {e}")
    for w in warnings:
        print(f"  warning: {w}")
    print("  valid: every required prerequisite comes first" if not errors else
          "  not valid: a module comes before something it requires")
    done = sum(1 for mid in ids if mid in modules_by_id(graph) and module_state(graph, progress, mid)[0])
    print(f"  your progress on it: {done}/{len(ids)} modules done")
    return 0 if not errors else 1


def ask(prompt):
    try:
        return input(prompt)
    except EOFError:
        return ""


def cmd_quiz(graph, args):
    mid = normalize_id(graph, args.module)
    if not mid:
        print(f"no module {args.module!r}", file=sys.stderr)
        return 2
    m = modules_by_id(graph)[mid]
    path = os.path.join(CURRICULUM, m["dir"], "quiz.json")
    if not os.path.exists(path):
        print(f"{mid} has no checkpoint yet ({m.get('status_note', 'not written yet')}).")
        return 2
    with open(path, encoding="utf-8") as f:
        quiz = json.load(f)
    given = [a.strip().lower() for a in args.answers.split(",")] if args.answers else None
    print(f"{mid} {m['title']}: checkpoint, {len(quiz['questions'])} questions\n")
    score = 0
    for i, q in enumerate(quiz["questions"]):
        print(f"{i + 1}. {q['prompt']}")
        ids = [c["id"] for c in q["choices"]]
        for c in q["choices"]:
            print(f"   {c['id']}) {c['text']}")
        if given is not None:
            answer = given[i] if i < len(given) else ""
            print(f"   your answer: {answer}")
        else:
            answer = ask(f"   your answer ({'/'.join(ids)}): ").strip().lower()
            while answer not in ids and sys.stdin.isatty():
                answer = ask(f"   please answer one of {', '.join(ids)}: ").strip().lower()
        correct = next(c["id"] for c in q["choices"] if c.get("correct"))
        if answer == correct:
            score += 1
            print("   correct.")
        else:
            print(f"   not quite: the answer is {correct}.")
        print(f"   {q['explanation']}\n")
    progress = load_progress()
    entry = progress["modules"].setdefault(mid, {})
    best = max(score, entry.get("quiz", {}).get("best", 0))
    entry["quiz"] = {"score": score, "of": len(quiz["questions"]), "best": best, "at": now_iso()}
    save_progress(progress)
    verdict = "passed" if score >= PASS_MARK else f"not passed yet ({PASS_MARK} needed)"
    print(f"score: {score}/{len(quiz['questions'])}, {verdict}; recorded in {progress_path()}")
    return 0


def endpoint_reachable(endpoint):
    u = urllib.parse.urlparse(endpoint)
    port = u.port or (443 if u.scheme == "https" else 80)
    try:
        with socket.create_connection((u.hostname, port), timeout=3):
            return True
    except OSError:
        return False


def cmd_check(graph, args):
    mid = normalize_id(graph, args.module)
    if not mid:
        print(f"no module {args.module!r}", file=sys.stderr)
        return 2
    m = modules_by_id(graph)[mid]
    check = os.path.join(CURRICULUM, m["dir"], "check.py")
    if not os.path.exists(check):
        print(f"{mid} has no hands-on check yet ({m.get('status_note', 'not written yet')}).")
        return 2
    endpoint = args.endpoint_url or os.environ.get("STREAMLAB_ENDPOINT") or os.environ.get("AWS_ENDPOINT_URL")
    if endpoint and not endpoint_reachable(endpoint):
        print(f"streamlab is not running at {endpoint}: start it with scripts/serve.sh (it serves on "
              f"http://localhost:4566), or pass the right --endpoint-url.", file=sys.stderr)
        return 2
    where = endpoint or "real AWS (no --endpoint-url, STREAMLAB_ENDPOINT or AWS_ENDPOINT_URL given)"
    print(f"checking {mid} {m['title']} against {where}")
    cmd = [sys.executable, check]
    if endpoint:
        cmd += ["--endpoint-url", endpoint]
    if args.region:
        cmd += ["--region", args.region]
    rc = subprocess.call(cmd)
    if rc == 2:
        return 2  # could not run (server gone, no credentials): nothing to record
    progress = load_progress()
    entry = progress["modules"].setdefault(mid, {})
    passed = rc == 0 or bool(entry.get("check", {}).get("passed"))
    entry["check"] = {"passed": passed, "last": "passed" if rc == 0 else "failed", "at": now_iso(),
                      "endpoint": endpoint or "aws"}
    save_progress(progress)
    if rc == 0:
        print(f"{mid} hands-on: passed (recorded in {progress_path()})")
    else:
        print(f"{mid} hands-on: not yet; fix what is listed above and run the check again")
    return rc


def cmd_progress(graph, args):
    progress = load_progress()
    mods = modules_by_id(graph)
    done = [mid for mid in mods if module_state(graph, progress, mid)[0]]
    print(f"Progress ({progress_path()}): {len(done)}/{len(mods)} modules done, "
          f"{fmt_minutes(path_minutes(graph, done))} of {fmt_minutes(path_minutes(graph, list(mods)))}\n")
    for mid, m in mods.items():
        p = progress["modules"].get(mid, {})
        quiz = p.get("quiz")
        check = p.get("check")
        q = f"quiz {quiz['best']}/3" if quiz else "quiz -"
        c = ("check passed" if check.get("passed") else "check failed") if check else "check -"
        mark = "x" if mid in done else " "
        print(f"  [{mark}] {mid:<4} {m['title']:<28} {q:<9} {c}")
    print()
    for p in graph["paths"]:
        n = sum(1 for mid in p["modules"] if mid in done)
        print(f"  {p['name']:<30} {n}/{len(p['modules'])}")
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(prog="streamlab_course.py", description=__doc__.split("\n")[0],
                                 epilog=__doc__.split("\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("modules", help="the module graph with your status")
    sub.add_parser("module", help="one module: goals, prerequisites, where to start").add_argument("module")
    sub.add_parser("path", help="named completion paths, or validate your own order").add_argument(
        "path", nargs="?", help="a path name (fast-track, minimum-viable, ...) or modules in order: M1,M2,M5")
    q = sub.add_parser("quiz", help="the module's checkpoint questions")
    q.add_argument("module")
    q.add_argument("--answers", help="answer without prompting, e.g. b,a,c")
    c = sub.add_parser("check", help="verify the module's hands-on result through AWS APIs")
    c.add_argument("module")
    c.add_argument("--endpoint-url", metavar="URL",
                   help="e.g. http://localhost:4566 (default: $STREAMLAB_ENDPOINT, else $AWS_ENDPOINT_URL, else real AWS)")
    c.add_argument("--region")
    sub.add_parser("progress", help="what you have completed")
    args = ap.parse_args(argv)
    try:
        graph = load_graph()
    except OSError as e:
        print(f"cannot read the module graph: {e} (set STREAMLAB_CURRICULUM to the curriculum folder)", file=sys.stderr)
        return 2
    handler = {"modules": cmd_modules, "module": cmd_module, "path": cmd_path, "quiz": cmd_quiz,
               "check": cmd_check, "progress": cmd_progress}[args.command]
    try:
        return handler(graph, args)
    except KeyboardInterrupt:
        print("\nstopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
