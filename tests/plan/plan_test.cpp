#include "plan/plan.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "plan/invariants.h"
#include "test_support.h"

namespace rebalance {
namespace {

using rebalance::testing::intake_from;
using rebalance::testing::knowledge_base;

struct Planned {
  assess::Assessment a;
  plan::Constraints c;
  plan::Program p;
};

Planned plan_for(const std::string& json, plan::Overrides ov = {}) {
  const auto in = intake_from(json);
  Planned out;
  out.a = assess::assess(knowledge_base(), in);
  if (!ov.start) ov.start = Date::parse("2026-11-30");
  out.c = plan::resolve(testing::knowledge_base(), in, ov, *Date::parse("2026-11-25"));
  out.p = plan::plan(knowledge_base(), out.a, out.c);
  return out;
}

std::string with(const std::string& body) { return R"({"schema": "rebalance.intake/1", )" + body + "}"; }

TEST(Plan, DefaultsAreEightWeeksThreeDaysTwentyMinutesFromNextMonday) {
  const auto in = intake_from(with(R"("client": {"age": 40})"));
  const auto c = plan::resolve(testing::knowledge_base(), in, {}, *Date::parse("2026-11-25"));  // a Wednesday
  EXPECT_EQ(c.weeks, 8);
  EXPECT_EQ(c.days_per_week, 3);
  EXPECT_EQ(c.minutes, 20);
  EXPECT_EQ(c.start.iso(), "2026-11-30");
  EXPECT_EQ(plan::resolve(testing::knowledge_base(), in, {}, *Date::parse("2026-11-30")).start.iso(), "2026-11-30");  // a Monday: today
}

TEST(Plan, FlagsOverridePreferences) {
  const auto in = intake_from(
      with(R"("preferences": {"weeks": 4, "days_per_week": 2, "minutes_per_session": 15, "start_date": "2027-01-04"})"));
  auto c = plan::resolve(testing::knowledge_base(), in, {}, *Date::parse("2026-11-25"));
  EXPECT_EQ(c.weeks, 4);
  EXPECT_EQ(c.days_per_week, 2);
  EXPECT_EQ(c.minutes, 15);
  EXPECT_EQ(c.start.iso(), "2027-01-04");
  plan::Overrides ov;
  ov.weeks = 6;
  ov.minutes = 30;
  ov.start = Date::parse("2027-02-01");
  c = plan::resolve(testing::knowledge_base(), in, ov, *Date::parse("2026-11-25"));
  EXPECT_EQ(c.weeks, 6);
  EXPECT_EQ(c.minutes, 30);
  EXPECT_EQ(c.days_per_week, 2);
  EXPECT_EQ(c.start.iso(), "2027-02-01");
}

TEST(Plan, ThreeDaysFallOnMondayWednesdayFriday) {
  const auto r = plan_for(with(R"("lifestyle": {"activities": ["desk_work"]})"));
  ASSERT_GE(r.p.sessions.size(), 3u);
  EXPECT_EQ(r.p.sessions[0].date.iso(), "2026-11-30");
  EXPECT_EQ(r.p.sessions[1].date.iso(), "2026-12-02");
  EXPECT_EQ(r.p.sessions[2].date.iso(), "2026-12-04");
  EXPECT_EQ(r.p.sessions[3].date.iso(), "2026-12-07");
}

TEST(Plan, ChosenWeekdaysAreUsed) {
  const auto r = plan_for(with(R"("preferences": {"days": ["tue", "sat"]}, "lifestyle": {"activities": ["running"]})"));
  EXPECT_EQ(r.c.days_per_week, 2);
  EXPECT_EQ(r.p.sessions[0].date.iso(), "2026-12-01");
  EXPECT_EQ(r.p.sessions[1].date.iso(), "2026-12-05");
  rebalance::testing::expect_program_invariants(knowledge_base(), r.a, r.c, r.p, "weekdays");
}

TEST(Plan, SittingAllDayGetsTheArticlesHipFlexorStretchAndGluteWork) {
  const auto r = plan_for(with(R"("lifestyle": {"sitting_hours_per_day": 10, "activities": ["desk_work"]},
      "rom": [{"test": "thomas_test", "side": "left", "result": "positive"}, {"test": "thomas_test", "side": "right", "result": "positive"}],
      "strength": [{"test": "hip_extension", "side": "left", "value": 3, "unit": "mmt"}, {"test": "hip_extension", "side": "right", "value": 3, "unit": "mmt"}])"));
  bool stretch = false, bridge = false;
  for (const auto& s : r.p.sessions)
    if (s.week == 1)
      for (const auto& item : s.items) {
        if (item.exercise.str() == "hip_flexor_stretch") {
          stretch = true;
          EXPECT_EQ(item.dose.sets, 3);
          EXPECT_EQ(item.dose.hold_seconds, 30);
          EXPECT_TRUE(item.dose.per_side);
          EXPECT_FALSE(item.dose.reps);
        }
        if (item.exercise.str() == "glute_bridge") {
          bridge = true;
          EXPECT_EQ(item.dose.sets, 3);
          EXPECT_EQ(item.dose.reps, 15);
          EXPECT_EQ(item.dose.hold_seconds, 2);
        }
        if (item.exercise.str() == "single_leg_deadlift") {
          // The article's posterior-chain exercise covers weak glutes and hamstrings at once.
          bridge = true;
          EXPECT_EQ(item.dose.sets, 3);
          EXPECT_EQ(item.dose.reps, 10);
          EXPECT_TRUE(item.dose.per_side);
        }
      }
  EXPECT_TRUE(stretch);
  EXPECT_TRUE(bridge);
  rebalance::testing::expect_program_invariants(knowledge_base(), r.a, r.c, r.p, "desk");
}

TEST(Plan, SystemicRedFlagStopsTheWholeProgramAndSaysWhy) {
  const auto r = plan_for(with(R"("lifestyle": {"activities": ["desk_work"]},
      "pain": [{"region": "low_back", "intensity": 6, "red_flags": ["bowel_bladder"]}])"));
  for (const auto& s : r.p.sessions) EXPECT_TRUE(s.items.empty());
  ASSERT_FALSE(r.p.omitted.empty());
  for (const auto& f : r.a.findings) {
    bool said = false;
    for (const auto& o : r.p.omitted)
      if (o.finding && o.finding->muscle == f.muscle && o.reason.find("red flag") != std::string::npos) said = true;
    EXPECT_TRUE(said) << f.muscle.str();
  }
  rebalance::testing::expect_program_invariants(knowledge_base(), r.a, r.c, r.p, "systemic");
}

TEST(Plan, RegionalRedFlagRemovesExercisesLoadingThatRegion) {
  const auto r = plan_for(with(R"("lifestyle": {"sitting_hours_per_day": 10, "activities": ["desk_work"]},
      "posture": {"rounded_shoulders": true},
      "pain": [{"region": "low_back", "intensity": 4, "red_flags": ["numbness"]}])"));
  for (const auto& s : r.p.sessions)
    for (const auto& item : s.items) {
      const auto* e = knowledge_base().exercise(item.exercise);
      EXPECT_EQ(std::find(e->loads.begin(), e->loads.end(), "low_back"), e->loads.end()) << item.exercise.str();
    }
  bool some_items = false;
  for (const auto& s : r.p.sessions) some_items = some_items || !s.items.empty();
  EXPECT_TRUE(some_items) << "the rest of the program goes on";
  rebalance::testing::expect_program_invariants(knowledge_base(), r.a, r.c, r.p, "regional");
}

TEST(Plan, EquipmentLimitsTheChoice) {
  const auto r = plan_for(with(R"("posture": {"rounded_shoulders": true, "forward_head": true},
      "lifestyle": {"activities": ["desk_work", "overhead_sport"]}, "preferences": {"equipment": ["none"]})"));
  for (const auto& s : r.p.sessions)
    for (const auto& item : s.items)
      EXPECT_TRUE(knowledge_base().exercise(item.exercise)->equipment.empty()) << item.exercise.str();
}

TEST(Plan, TimeBudgetIsNeverExceededAndWhatDoesNotFitIsSaid) {
  const auto r =
      plan_for(with(R"("lifestyle": {"sitting_hours_per_day": 10, "activities": ["desk_work", "running", "overhead_sport"]},
      "posture": {"forward_head": true, "rounded_shoulders": true, "anterior_pelvic_tilt": true}, "preferences": {"minutes_per_session": 5, "days_per_week": 1})"));
  rebalance::testing::expect_program_invariants(knowledge_base(), r.a, r.c, r.p, "tight budget");
  bool budget_reason = false;
  for (const auto& o : r.p.omitted) budget_reason = budget_reason || o.reason.find("does not fit") != std::string::npos;
  EXPECT_TRUE(budget_reason);
}

TEST(Plan, DosesProgressOverTheWeeks) {
  const auto r = plan_for(
      with(
          R"("rom": [{"test": "thomas_test", "side": "left", "result": "positive"}, {"test": "thomas_test", "side": "right", "result": "positive"}])"),
      [] {
        plan::Overrides o;
        o.minutes = 40;
        return o;
      }());
  auto volume = [&](int week) {
    double v = 0;
    for (const auto& s : r.p.sessions)
      if (s.week == week)
        for (const auto& item : s.items) v += item.minutes;
    return v;
  };
  EXPECT_GT(volume(3), volume(1));
  EXPECT_GE(volume(5), volume(3));
  ASSERT_FALSE(r.p.reassessments.empty());
  EXPECT_EQ(r.p.reassessments[0].week, 4);
  EXPECT_EQ(r.p.reassessments[0].date, r.p.sessions[4 * 3 - 1].date);
}

TEST(Plan, IsDeterministic) {
  const std::string json = rebalance::testing::read_file(std::string(REBALANCE_EXAMPLES_DIR) + "/office-worker.json");
  const auto a = plan_for(json);
  const auto b = plan_for(json);
  ASSERT_EQ(a.p.sessions.size(), b.p.sessions.size());
  for (size_t i = 0; i < a.p.sessions.size(); ++i) {
    ASSERT_EQ(a.p.sessions[i].items.size(), b.p.sessions[i].items.size());
    for (size_t k = 0; k < a.p.sessions[i].items.size(); ++k)
      EXPECT_EQ(a.p.sessions[i].items[k].exercise, b.p.sessions[i].items[k].exercise);
  }
}

TEST(Plan, ExamplesKeepEveryInvariant) {
  for (const char* dir : {REBALANCE_EXAMPLES_DIR, REBALANCE_SHARED_EXAMPLES_DIR}) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      const auto r = plan_for(rebalance::testing::read_file(entry.path().string()));
      rebalance::testing::expect_program_invariants(knowledge_base(), r.a, r.c, r.p, entry.path().string());
    }
  }
}

}  // namespace
}  // namespace rebalance
