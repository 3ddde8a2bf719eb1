#include "track/log.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace rebalance {
namespace {

using rebalance::testing::knowledge_base;

std::vector<std::string> problems_of(const std::string& json) {
  std::vector<std::string> out;
  for (const auto& p : track::parse_log(json, knowledge_base(), "log.json").problems) out.push_back(format_problem(p));
  return out;
}

TEST(SessionLog, TheContractExampleParses) {
  const auto r = track::parse_log(R"({"schema": "rebalance.log/1", "program": "p_123", "week": 1, "day": 2, "date": "2026-12-02",
      "effort": 5, "pain": 1, "note": "left side harder",
      "items": [{"exercise": "glute_bridge", "sets_done": 3, "reps_done": [15, 15, 12], "effort": 6, "pain": 0},
                {"exercise": "hip_flexor_stretch", "sets_done": 3, "hold_seconds_done": 30, "side": "left", "pain": 2}]})",
                                  knowledge_base(), "log.json");
  ASSERT_TRUE(r.log) << (r.problems.empty() ? "" : format_problem(r.problems[0]));
  EXPECT_EQ(r.log->program, "p_123");
  EXPECT_EQ(r.log->date.iso(), "2026-12-02");
  ASSERT_EQ(r.log->items.size(), 2u);
  EXPECT_EQ(r.log->items[0].reps_done, (std::vector<int>{15, 15, 12}));
  EXPECT_EQ(r.log->items[1].side, Side::kLeft);
  EXPECT_EQ(r.log->items[1].pain, 2);
  EXPECT_FALSE(r.log->items[1].effort) << "the session's effort applies";
}

TEST(SessionLog, EveryProblemIsReportedWithItsPath) {
  const auto lines = problems_of(R"({"week": 0, "day": 2, "date": "2026-02-30", "effort": 11, "pain": -1,
      "items": [{"exercise": "no_such", "sets_done": 2, "reps_done": [10, 10, 10]}]})");
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  for (const char* want : {"log.json: $.week", "log.json: $.date", "log.json: $.effort", "log.json: $.pain",
                           "$.items[0].exercise", "$.items[0].reps_done: expected at most one entry per set done"})
    EXPECT_NE(all.find(want), std::string::npos) << want << "\n" << all;
}

TEST(SessionLog, RequiredFieldsAndJsonSyntax) {
  EXPECT_FALSE(problems_of("{}").empty());
  EXPECT_FALSE(problems_of("[").empty());
  EXPECT_FALSE(
      problems_of(R"({"schema": "rebalance.log/2", "week": 1, "day": 1, "date": "2026-12-01", "effort": 1, "pain": 1})").empty());
  EXPECT_TRUE(problems_of(R"({"week": 1, "day": 1, "date": "2026-12-01", "effort": 1, "pain": 1})").empty());
}

}  // namespace
}  // namespace rebalance
