#include "server/course/graph.h"

#include <gtest/gtest.h>

#include "server/course/commands.h"
#include "server/course/progress.h"

namespace streamlab::course {
namespace {

// The real curriculum/graph.json, found the way the CLI finds it (beside the binary, or
// $STREAMLAB_COURSE_DIR): these tests pin how the outline's contradictions are resolved.
const Graph& real_graph() {
  static Graph g = [] {
    std::string dir = find_course_dir("");
    EXPECT_FALSE(dir.empty()) << "curriculum/ not found beside the test binary; set STREAMLAB_COURSE_DIR";
    auto r = load_graph(dir + "/graph.json");
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : Graph{};
  }();
  return g;
}

const NamedPath& named(const std::string& id) {
  const NamedPath* p = real_graph().find_path(id);
  EXPECT_NE(p, nullptr) << id;
  static NamedPath none;
  return p ? *p : none;
}

bool mentions(const std::vector<std::string>& lines, const std::string& a, const std::string& b) {
  for (auto& l : lines)
    if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
  return false;
}

TEST(CourseGraph, FifteenModulesOf45Minutes) {
  const Graph& g = real_graph();
  ASSERT_EQ(g.modules.size(), 15u);
  for (size_t i = 0; i < g.modules.size(); ++i) {
    EXPECT_EQ(g.modules[i].id, "M" + std::to_string(i + 1));
    EXPECT_EQ(g.modules[i].minutes, 45);
  }
  EXPECT_EQ(fmt_minutes(path_minutes(g, g.all_ids())), "11 h 15 min");
}

TEST(CourseGraph, DetailedListsBeyondTheGraphAreRecommendedOnly) {
  const Graph& g = real_graph();
  // M5 lists M3, M11 lists M9 and M10: the graph requires less.
  EXPECT_EQ(g.find("M5")->required, (std::vector<std::string>{"M1", "M2"}));
  EXPECT_EQ(g.find("M5")->recommended, (std::vector<std::string>{"M3"}));
  EXPECT_EQ(g.find("M11")->required, (std::vector<std::string>{"M6"}));
  EXPECT_EQ(g.find("M11")->recommended, (std::vector<std::string>{"M9", "M10"}));
  EXPECT_TRUE(validate_path(g, {"M1", "M2", "M5"}).valid());
  EXPECT_EQ(validate_path(g, {"M1", "M2", "M5"}).warnings.size(), 1u);
}

TEST(CourseGraph, EveryNamedPathIsValidUnderRequiredPrerequisites) {
  for (auto& p : real_graph().paths) {
    Verdict v = validate_path(real_graph(), p.modules);
    EXPECT_TRUE(v.valid()) << p.id << ": " << join(v.errors, "; ");
  }
}

TEST(CourseGraph, FastTrackOmitsM10WithOneWarningAndTakesNineHours) {
  const NamedPath& p = named("fast-track");
  EXPECT_EQ(std::count(p.modules.begin(), p.modules.end(), "M10"), 0);
  Verdict v = validate_path(real_graph(), p.modules);
  EXPECT_TRUE(v.valid());
  ASSERT_EQ(v.warnings.size(), 1u);
  EXPECT_TRUE(mentions(v.warnings, "M11", "M10"));
  EXPECT_EQ(path_minutes(real_graph(), p.modules), 9 * 60);
}

TEST(CourseGraph, MinimumViableAsListedIsInvalidAndResolvedByAddingM5AndM11) {
  const NamedPath& p = named("Minimum Viable Understanding");
  ASSERT_TRUE(p.outline_modules);
  Verdict listed = validate_path(real_graph(), *p.outline_modules);
  ASSERT_EQ(listed.errors.size(), 3u) << join(listed.errors, "; ");
  EXPECT_TRUE(mentions(listed.errors, "M6", "requires M5"));
  EXPECT_TRUE(mentions(listed.errors, "M12", "requires M11"));
  EXPECT_TRUE(mentions(listed.errors, "M13", "requires M11"));
  EXPECT_EQ(path_minutes(real_graph(), *p.outline_modules), 270);  // 4.5 h, not the stated ~6 h
  EXPECT_EQ(p.modules, (std::vector<std::string>{"M1", "M2", "M5", "M6", "M7", "M11", "M12", "M13"}));
  Verdict resolved = validate_path(real_graph(), p.modules);
  EXPECT_TRUE(resolved.valid());
  EXPECT_EQ(resolved.warnings.size(), 3u);
  EXPECT_EQ(fmt_minutes(path_minutes(real_graph(), p.modules)), "6 h");
}

TEST(CourseGraph, DatabaseIntegrationOmitsM3WithAWarningAndTakesFiveHoursFifteen) {
  const NamedPath& p = named("database-integration");
  Verdict v = validate_path(real_graph(), p.modules);
  EXPECT_TRUE(v.valid());
  ASSERT_EQ(v.warnings.size(), 1u);
  EXPECT_TRUE(mentions(v.warnings, "M5", "M3"));
  EXPECT_EQ(fmt_minutes(path_minutes(real_graph(), p.modules)), "5 h 15 min");
}

TEST(CourseGraph, FullCoverageRespectsEveryPrerequisite) {
  const NamedPath& p = named("full-coverage");
  Verdict v = validate_path(real_graph(), p.modules);
  EXPECT_TRUE(v.errors.empty() && v.warnings.empty()) << join(v.errors, "; ") << join(v.warnings, "; ");
  EXPECT_EQ(p.modules.size(), 15u);
  EXPECT_EQ(path_minutes(real_graph(), p.modules), 675);
}

TEST(CourseGraph, OrderMattersAndUnknownOrRepeatedModulesAreErrors) {
  const Graph& g = real_graph();
  Verdict late = validate_path(g, {"M3", "M1", "M2"});
  EXPECT_EQ(late.errors.size(), 2u);
  EXPECT_TRUE(mentions(late.errors, "M3", "which comes later in the path"));
  Verdict missing = validate_path(g, {"M6"});
  EXPECT_TRUE(mentions(missing.errors, "requires M5", "which is not in the path"));
  Verdict odd = validate_path(g, {"M1", "M1", "M99"});
  EXPECT_TRUE(mentions(odd.errors, "M1", "more than once"));
  EXPECT_TRUE(mentions(odd.errors, "M99", "no such module (M1..M15)"));
  // M2 only recommends M1: taking M2 first warns.
  Verdict rec = validate_path(g, {"M2", "M1"});
  EXPECT_TRUE(rec.valid());
  EXPECT_TRUE(mentions(rec.warnings, "M2", "recommends taking M1"));
}

TEST(CourseGraph, ModulesAndPathsGoByManyNames) {
  const Graph& g = real_graph();
  EXPECT_EQ(parse_custom(g, "m1, 2 ->M05,m06-partitioned-logs"), (std::vector<std::string>{"M1", "M2", "M5", "M6"}));
  EXPECT_EQ(parse_custom(g, "M1\xe2\x86\x92M2 M99"), (std::vector<std::string>{"M1", "M2", "M99"}));
  EXPECT_EQ(g.normalize_id("curriculum/m07-partitions-and-ordering/").value_or(""), "M7");
  EXPECT_FALSE(g.normalize_id("M16"));
  EXPECT_FALSE(g.normalize_id("99999999999999999999"));
  EXPECT_EQ(g.find_path("FAST_TRACK"), g.find_path("Fast Track"));
  EXPECT_NE(g.find_path("fast-track"), nullptr);
  EXPECT_EQ(g.find_path("slow-track"), nullptr);
}

TEST(CourseGraph, TimesAreFormattedAsTheReadmeStatesThem) {
  EXPECT_EQ(fmt_minutes(45), "45 min");
  EXPECT_EQ(fmt_minutes(60), "1 h");
  EXPECT_EQ(fmt_minutes(315), "5 h 15 min");
  EXPECT_EQ(fmt_days(real_graph(), 540), "1.8-2.2 days at 4-5 h a day");
}

TEST(CourseGraph, MalformedGraphsAreRefusedWithAReason) {
  EXPECT_FALSE(parse_graph("[]"));
  EXPECT_FALSE(parse_graph("{\"title\": 1}"));
  auto unknown = parse_graph(R"({"title":"t","minutes_per_module":45,"pace":{"hours_per_day":[4,5]},
    "modules":[{"id":"M1","dir":"m01","title":"a","minutes":45,"goals":[],"structure":[],"status":"available",
                "prerequisites":{"required":["M9"],"recommended":[]}}],"groups":[],"paths":[]})");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown module M9"), std::string::npos);
}

TEST(CourseProgress, BestQuizAndPassedOnceAreKept) {
  Progress p;
  p.record_quiz("M1", 3, 3, "t1");
  p.record_quiz("M1", 1, 3, "t2");
  EXPECT_EQ(p.modules["M1"].quiz->score, 1);
  EXPECT_EQ(p.modules["M1"].quiz->best, 3);
  p.record_check("M1", true, "http://x", "t3");
  p.record_check("M1", false, "http://x", "t4");
  EXPECT_TRUE(p.modules["M1"].check->passed);
  EXPECT_EQ(p.modules["M1"].check->last, "failed");
  Progress back = Progress::from_json(p.to_json());
  EXPECT_EQ(back.to_json(), p.to_json());
}

TEST(CourseProgress, ModuleStatusFollowsPrerequisites) {
  const Graph& g = real_graph();
  Progress p;
  EXPECT_EQ(module_state(g, p, "M1").second, "ready");
  EXPECT_EQ(module_state(g, p, "M3").second, "start M1, M2 first");
  EXPECT_EQ(module_state(g, p, "M11").second.rfind("planned: ", 0), 0u);
  p.record_quiz("M1", 1, 3, "t");
  EXPECT_EQ(module_state(g, p, "M1").second, "in progress (quiz 1/3)");
  p.record_quiz("M1", 2, 3, "t");
  p.record_check("M1", true, "aws", "t");
  EXPECT_EQ(module_state(g, p, "M1"), std::make_pair(true, std::string("done (quiz 2/3, check passed)")));
  EXPECT_EQ(module_state(g, p, "M3").second, "start M2 first");
  EXPECT_EQ(Progress::from_json(nlohmann::json::parse(R"({"modules": {"M1": 7, "M2": {"quiz": "x"}}})")).modules.size(), 1u);
}

}  // namespace
}  // namespace streamlab::course
