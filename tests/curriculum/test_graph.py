"""The module graph as data, the outline's contradictions as encoded, the quiz data and the module texts.

The path validator and the recomputed times are tested in C++ (server/course/graph_test.cc), the learner
CLI through the real binary (test_cli.py). Standard library only: python3 -m unittest -v test_graph (from
tests/curriculum).
"""
import json
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CURRICULUM = os.path.join(ROOT, "curriculum")

with open(os.path.join(CURRICULUM, "graph.json"), encoding="utf-8") as _f:
    GRAPH = json.load(_f)
MODS = {m["id"]: m for m in GRAPH["modules"]}
IDS = [f"M{i}" for i in range(1, 16)]


def path(pid):
    return next(p for p in GRAPH["paths"] if p["id"] == pid)


class GraphShapeTest(unittest.TestCase):
    def test_fifteen_modules_of_45_minutes(self):
        self.assertEqual([m["id"] for m in GRAPH["modules"]], IDS)
        for m in GRAPH["modules"]:
            with self.subTest(m["id"]):
                self.assertEqual(m["minutes"], 45)
                self.assertEqual(sum(s["minutes"] for s in m["structure"]), 45)
                self.assertEqual([s["part"] for s in m["structure"]],
                                 ["concepts", "discussion", "hands-on", "checkpoint"])
                self.assertEqual(len(m["goals"]), 3)
                self.assertRegex(m["dir"], r"^m%02d-[a-z0-9-]+$" % int(m["id"][1:]))
                self.assertTrue(os.path.isfile(os.path.join(CURRICULUM, m["dir"], "README.md")), m["dir"])
                self.assertIn(m["status"], ("available", "planned"))

    def test_titles_and_goals_follow_the_outline(self):
        outline_path = os.path.join(ROOT, "..", "shared", "seed", "000_6efbf5592fb4bfde.txt")
        if not os.path.exists(outline_path):
            self.skipTest("the outline is not next to the repository")
        with open(outline_path, encoding="utf-8") as f:
            outline = f.read()
        for m in GRAPH["modules"]:
            self.assertIn(f"### {m['id']}: {m['title']} (45 min)", outline)
            for goal in m["goals"]:
                self.assertIn(f"- {goal}", outline)

    def test_groups_cover_every_module_once_and_define_required(self):
        seen = []
        for g in GRAPH["groups"]:
            for mid in g["modules"]:
                seen.append(mid)
                self.assertEqual(MODS[mid]["group"], g["id"])
                self.assertEqual(MODS[mid]["prerequisites"]["required"], g["requires"], mid)
        self.assertEqual(sorted(seen, key=lambda x: int(x[1:])), IDS)

    def test_recommended_are_the_detailed_lists_beyond_the_graph(self):
        for m in GRAPH["modules"]:
            pre = m["prerequisites"]
            with self.subTest(m["id"]):
                self.assertEqual(pre["recommended"], [x for x in pre["outline"] if x not in pre["required"]])

    def test_acyclic_and_prerequisites_come_from_earlier_modules(self):
        for m in GRAPH["modules"]:
            for r in m["prerequisites"]["required"] + m["prerequisites"]["recommended"]:
                self.assertLess(int(r[1:]), int(m["id"][1:]), f"{m['id']} -> {r}")

    def test_the_nine_hands_on_modules_are_available_and_the_lambda_ones_planned(self):
        available = [m["id"] for m in GRAPH["modules"] if m["status"] == "available"]
        self.assertEqual(available, ["M1", "M2", "M3", "M5", "M6", "M7", "M8", "M9", "M10"])
        for mid in ("M4", "M11", "M12", "M13", "M14", "M15"):
            self.assertEqual(MODS[mid]["status"], "planned")
            self.assertIn("status_note", MODS[mid])


class ContradictionsTest(unittest.TestCase):
    """The outline's contradictions behave as curriculum/README.md documents."""

    def test_m5_lists_m3_but_only_m1_m2_are_required(self):
        self.assertEqual(MODS["M5"]["prerequisites"]["outline"], ["M1", "M2", "M3"])
        self.assertEqual(MODS["M5"]["prerequisites"]["required"], ["M1", "M2"])
        self.assertEqual(MODS["M5"]["prerequisites"]["recommended"], ["M3"])

    def test_m11_lists_m9_m10_but_only_m6_is_required(self):
        self.assertEqual(MODS["M11"]["prerequisites"]["required"], ["M6"])
        self.assertEqual(MODS["M11"]["prerequisites"]["recommended"], ["M9", "M10"])

    def test_other_detail_graph_differences(self):
        self.assertEqual(MODS["M2"]["prerequisites"], {"required": [], "recommended": ["M1"], "outline": ["M1"]})
        self.assertEqual(MODS["M8"]["prerequisites"], {"required": ["M5"], "recommended": ["M6"], "outline": ["M6"]})
        for mid in ("M14", "M15"):
            self.assertEqual(MODS[mid]["prerequisites"],
                             {"required": ["M7", "M11"], "recommended": ["M13"], "outline": ["M13"]})

    def test_fast_track_is_kept_as_listed_without_m4_m8_m10(self):
        p = path("fast-track")
        self.assertEqual(p["modules"], p["outline"]["modules"])
        self.assertNotIn("M10", p["modules"])
        self.assertEqual(sorted(set(IDS) - set(p["modules"]), key=lambda x: int(x[1:])), ["M4", "M8", "M10"])

    def test_minimum_viable_is_resolved_by_adding_m5_and_m11(self):
        p = path("minimum-viable")
        listed = p["outline"]["modules"]
        self.assertEqual(listed, ["M1", "M2", "M6", "M7", "M12", "M13"])
        self.assertEqual(sorted(set(p["modules"]) - set(listed)), ["M11", "M5"])
        self.assertEqual(len(p["modules"]), 8)
        self.assertEqual(p["outline"]["estimate"], "~6 hours")

    def test_database_integration_is_kept_as_listed(self):
        p = path("database-integration")
        self.assertEqual(p["modules"], p["outline"]["modules"])

    def test_full_coverage_has_all_fifteen(self):
        p = path("full-coverage")
        self.assertEqual(sorted(p["modules"], key=lambda x: int(x[1:])), IDS)

    def test_readme_documents_each_resolution(self):
        with open(os.path.join(CURRICULUM, "README.md"), encoding="utf-8") as f:
            text = f.read()
        for needle in ("Fast Track", "Minimum Viable Understanding", "Database Integration Focus", "Full Coverage",
                       "9 h", "6 h", "4 h 30 min", "5 h 15 min", "11 h 15 min", "required", "recommended"):
            self.assertIn(needle, text)
        for p in GRAPH["paths"]:
            self.assertIn(" -> ".join(p["modules"]), text, p["id"])


class QuizDataTest(unittest.TestCase):
    def test_every_available_module_has_a_valid_quiz(self):
        for m in GRAPH["modules"]:
            qpath = os.path.join(CURRICULUM, m["dir"], "quiz.json")
            if m["status"] != "available" and not os.path.exists(qpath):
                continue
            with self.subTest(m["id"]):
                self.assertTrue(os.path.exists(qpath), f"{m['dir']}/quiz.json missing")
                with open(qpath, encoding="utf-8") as f:
                    quiz = json.load(f)
                self.assertEqual(quiz["module"], m["id"])
                self.assertEqual(len(quiz["questions"]), 3)
                qids = [q["id"] for q in quiz["questions"]]
                self.assertEqual(len(set(qids)), 3)
                for q in quiz["questions"]:
                    self.assertGreater(len(q["prompt"].strip()), 20)
                    self.assertGreaterEqual(len(q["choices"]), 3)
                    cids = [c["id"] for c in q["choices"]]
                    self.assertEqual(len(set(cids)), len(cids))
                    self.assertTrue(all(c["text"].strip() for c in q["choices"]))
                    self.assertEqual(sum(1 for c in q["choices"] if c.get("correct") is True), 1, q["id"])
                    self.assertTrue(all(c.get("correct", False) in (True, False) for c in q["choices"]))
                    self.assertGreater(len(q.get("explanation", "").strip()), 40, q["id"])

    def test_correct_answers_are_not_always_in_the_same_position(self):
        positions = set()
        for m in GRAPH["modules"]:
            qpath = os.path.join(CURRICULUM, m["dir"], "quiz.json")
            if os.path.exists(qpath):
                with open(qpath, encoding="utf-8") as f:
                    for q in json.load(f)["questions"]:
                        positions.add(next(i for i, c in enumerate(q["choices"]) if c.get("correct")))
        self.assertGreater(len(positions), 1)


class ModuleTextTest(unittest.TestCase):
    SECTIONS = ("## Goals", "## Concepts", "## Discussion", "## Hands-on", "## Clean up", "Running on real AWS")

    def test_available_modules_have_every_part(self):
        for m in GRAPH["modules"]:
            if m["status"] != "available":
                continue
            d = os.path.join(CURRICULUM, m["dir"])
            with self.subTest(m["id"]):
                with open(os.path.join(d, "README.md"), encoding="utf-8") as f:
                    text = f.read()
                for s in self.SECTIONS:
                    self.assertIn(s, text)
                self.assertIn("```sh", text)
                self.assertIn("Instructor notes", text)
                self.assertTrue(os.path.exists(os.path.join(d, "check.py")))
                self.assertIn(f"streamlab check {m['id']} --endpoint-url \"$ENDPOINT\"", text)
                self.assertIn(f"streamlab quiz {m['id']} --endpoint-url \"$ENDPOINT\"", text)


if __name__ == "__main__":
    unittest.main()
