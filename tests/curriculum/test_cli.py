"""The learner CLI inside the streamlab binary (`streamlab modules|module|path|quiz|check|progress`), driven
as a learner drives it, against real servers: progress kept per account by the server (and surviving a
kill -9), in a local file when the endpoint is not streamlab, and one plain line when nothing listens.

  STREAMLAB_BIN=build/streamlab python3 -m unittest -v test_cli   (from tests/curriculum)
"""
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

import harness  # noqa: E402

with open(os.path.join(ROOT, "curriculum", "graph.json"), encoding="utf-8") as _f:
    GRAPH = json.load(_f)


def right_answers(module_dir):
    with open(os.path.join(ROOT, "curriculum", module_dir, "quiz.json"), encoding="utf-8") as f:
        quiz = json.load(f)
    return [next(c["id"] for c in q["choices"] if c.get("correct")) for q in quiz["questions"]]


class CliCase(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.progress_file = os.path.join(self.tmp.name, "sub", "progress.json")

    def tearDown(self):
        self.tmp.cleanup()

    def run_cli(self, *args, key="test", stdin=None, env_extra=None):
        env = {k: v for k, v in os.environ.items()
               if k not in ("STREAMLAB_ENDPOINT", "AWS_ENDPOINT_URL", "AWS_PROFILE", "STREAMLAB_COURSE_DIR")}
        env.update(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
                   STREAMLAB_PROGRESS_FILE=self.progress_file, STREAMLAB_PYTHON=sys.executable,
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(self.tmp.name, "none"),
                   AWS_CONFIG_FILE=os.path.join(self.tmp.name, "none"))
        env.update(env_extra or {})
        # The binary runs from another directory: it must find curriculum/ by itself.
        return subprocess.run([harness.BIN, *args], input=stdin, capture_output=True, text=True, env=env,
                              timeout=120, cwd=self.tmp.name)

    def assert_one_line_error(self, p, text, code=2):
        self.assertEqual(p.returncode, code, p.stdout + p.stderr)
        self.assertIn(text, p.stderr)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)


class GraphCommandsTest(CliCase):
    def test_modules_lists_all_fifteen_with_status(self):
        p = self.run_cli("modules")
        self.assertEqual(p.returncode, 0, p.stderr)
        for m in GRAPH["modules"]:
            self.assertRegex(p.stdout, rf"\n  {m['id']} +{m['title']}")
        self.assertIn("M1   What Are Streams?            ready", p.stdout)
        self.assertIn("start M1, M2 first", p.stdout)
        self.assertIn("planned: needs AWS Lambda", p.stdout)
        self.assertIn("Progress kept in: " + self.progress_file, p.stdout)

    def test_module_shows_where_to_start(self):
        p = self.run_cli("module", "m7")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("M7  Partitions & Ordering  (45 min: concepts 10, discussion 10, hands-on 20, checkpoint 5)",
                      p.stdout)
        self.assertIn("Required before it: M6 Partitioned Logs Intro (not done)", p.stdout)
        self.assertIn("curriculum/m07-partitions-and-ordering/README.md", p.stdout)
        self.assertIn("start with `streamlab module M6`", p.stdout)
        self.assertIn("streamlab check M7 --endpoint-url http://localhost:4566", p.stdout)
        self.assert_one_line_error(self.run_cli("module", "M42"), "no module 'M42': use M1..M15")

    def test_named_paths_are_valid_with_recomputed_times(self):
        p = self.run_cli("path")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"fast-track +Fast Track +12 modules  9 h +valid, 1 warning\n")
        self.assertRegex(p.stdout, r"minimum-viable +Minimum Viable Understanding +8 modules  6 h +valid, 3 warnings "
                                   r"\(resolved from the outline\)")
        self.assertRegex(p.stdout, r"database-integration +Database Integration Focus +7 modules  5 h 15 min +valid, "
                                   r"1 warning\n")
        self.assertRegex(p.stdout, r"full-coverage +Full Coverage +15 modules  11 h 15 min valid\n")
        p = self.run_cli("path", "Minimum Viable Understanding")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("8 modules, 6 h (1.2-1.5 days at 4-5 h a day)", p.stdout)
        self.assertIn("As listed there: M1 -> M2 -> M6 -> M7 -> M12 -> M13 (6 modules, 4 h 30 min)", p.stdout)
        self.assertIn("warning: M5 (Message Brokers) recommends taking M3 (Backpressure & Durability) first", p.stdout)
        self.assertIn("valid: every required prerequisite comes first", p.stdout)

    def test_custom_order_is_validated(self):
        p = self.run_cli("path", "M1,M2,M6")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("error:   M6 (Partitioned Logs Intro) requires M5 (Message Brokers) first, which is not in the path",
                      p.stdout)
        self.assertIn("not valid", p.stdout)
        p = self.run_cli("path", "1 -> 2 -> m05")
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertIn("Your path: M1 -> M2 -> M5: 3 modules, 2 h 15 min", p.stdout)
        self.assert_one_line_error(self.run_cli("path", "no-such-path"), "no path named 'no-such-path'")

    def test_curriculum_not_found_is_one_line(self):
        p = self.run_cli("modules", env_extra={"STREAMLAB_COURSE_DIR": os.path.join(self.tmp.name, "nowhere")})
        self.assert_one_line_error(p, "cannot find the curriculum folder")


class ServerProgressTest(CliCase):
    def progress(self, key):
        p = self.run_cli("progress", "--endpoint-url", self.server.endpoint, key=key)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def test_quiz_answered_through_stdin_is_kept_per_account(self):
        answers = right_answers("m01-what-are-streams")
        p = self.run_cli("quiz", "M1", "--endpoint-url", self.server.endpoint, key="111111111111",
                         stdin="\n".join(answers) + "\n")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.count("   correct."), 3, p.stdout)
        self.assertIn(f"score: 3/3, passed; recorded in the streamlab server at {self.server.endpoint}, "
                      "account 111111111111", p.stdout)
        wrong = ["x" if a != "x" else "y" for a in right_answers("m02-producers-and-consumers")]
        p = self.run_cli("quiz", "2", "--endpoint-url", self.server.endpoint, key="222222222222",
                         stdin="\n".join(wrong) + "\n")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("not quite: the answer is", p.stdout)
        self.assertIn("score: 0/3, not passed yet (2 needed)", p.stdout)
        first, second = self.progress("111111111111"), self.progress("222222222222")
        self.assertRegex(first, r"\[ \] M1 +What Are Streams\? +quiz 3/3 +check -")
        self.assertRegex(first, r"\[ \] M2 +Producers & Consumers +quiz - ")
        self.assertRegex(second, r"\[ \] M1 +What Are Streams\? +quiz - ")
        self.assertRegex(second, r"\[ \] M2 +Producers & Consumers +quiz 0/3")
        self.assertFalse(os.path.exists(self.progress_file), "kept on the server, not in the local file")
        state = self.server.lab("/_streamlab/state")["progress"]
        self.assertEqual(state["111111111111"]["modules"]["M1"]["quiz"]["best"], 3)
        self.assertEqual(state["222222222222"]["modules"]["M2"]["quiz"]["score"], 0)

    def test_check_runs_the_module_check_and_records_it(self):
        key = "444444444444"
        p = self.run_cli("check", "M1", "--endpoint-url", self.server.endpoint, key=key)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(f"checking M1 What Are Streams? against {self.server.endpoint}", p.stdout)
        self.assertIn("MISSING", p.stdout)  # nothing was done in this account yet
        self.assertIn("M1 hands-on: not yet", p.stdout)
        self.assertRegex(self.progress(key), r"M1 +What Are Streams\? +quiz - +check failed")
        p = self.run_cli("quiz", "M1", "--answers", ",".join(right_answers("m01-what-are-streams")),
                         "--endpoint-url", self.server.endpoint, key=key)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("in progress (quiz 3/3, check not passed yet)",
                      self.run_cli("modules", "--endpoint-url", self.server.endpoint, key=key).stdout)

    def test_unsigned_progress_requests_are_refused(self):
        with self.assertRaises(urllib.error.HTTPError) as e:
            self.server.lab("/_streamlab/progress")
        self.assertEqual(e.exception.code, 403)

    def test_progress_survives_kill_9(self):
        server = harness.Server().start()
        try:
            p = self.run_cli("quiz", "M5", "--answers", ",".join(right_answers("m05-message-brokers")),
                             "--endpoint-url", server.endpoint, key="555555555555")
            self.assertEqual(p.returncode, 0, p.stderr)
            server.kill9()
            server.start(port=server.port)
            p = self.run_cli("progress", "--endpoint-url", server.endpoint, key="555555555555")
            self.assertRegex(p.stdout, r"M5 +Message Brokers +quiz 3/3")
        finally:
            server.close()


class NotStreamlabTest(CliCase):
    def test_nothing_listening_is_one_line_and_records_nothing(self):
        for args in (("check", "M1"), ("quiz", "M1", "--answers", "a,a,a"), ("progress",)):
            p = self.run_cli(*args, "--endpoint-url", "http://127.0.0.1:9")
            self.assert_one_line_error(p, "streamlab is not running at http://127.0.0.1:9")
            self.assertNotIn("Traceback", p.stdout + p.stderr)
        p = self.run_cli("progress", env_extra={"STREAMLAB_ENDPOINT": "http://127.0.0.1:9"})
        self.assert_one_line_error(p, "streamlab is not running at http://127.0.0.1:9")
        self.assertFalse(os.path.exists(self.progress_file))

    def test_an_endpoint_that_is_not_streamlab_keeps_progress_in_the_local_file(self):
        class NotFound(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args):
                pass

        httpd = http.server.HTTPServer(("127.0.0.1", 0), NotFound)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            url = f"http://127.0.0.1:{httpd.server_address[1]}"
            p = self.run_cli("quiz", "M3", "--answers", ",".join(right_answers("m03-backpressure-and-durability")),
                             "--endpoint-url", url)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn(f"recorded in {self.progress_file}", p.stdout)
        finally:
            httpd.shutdown()
        with open(self.progress_file, encoding="utf-8") as f:
            self.assertEqual(json.load(f)["modules"]["M3"]["quiz"]["best"], 3)
        p = self.run_cli("progress")  # no endpoint: the local file
        self.assertRegex(p.stdout, r"M3 +Backpressure & Durability +quiz 3/3")

    def test_planned_module_has_no_check_or_quiz(self):
        p = self.run_cli("check", "M12")
        self.assertEqual(p.returncode, 2)
        self.assertIn("M12 has no hands-on check yet", p.stdout)
        p = self.run_cli("quiz", "M12")
        self.assertEqual(p.returncode, 2)
        self.assertIn("M12 has no checkpoint yet", p.stdout)


if __name__ == "__main__":
    unittest.main()
