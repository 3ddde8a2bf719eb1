// Simulated 12-week histories: what the logs make of adherence and of the
// weeks ahead (data/progression.json, from_logs).
#include "track/adapt.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_support.h"
#include "track/adherence.h"

namespace rebalance {
namespace {

using rebalance::testing::intake_from;
using rebalance::testing::knowledge_base;

// Sitting all day and positive Thomas tests: hip flexor stretch, glute bridge
// and squats, Monday/Wednesday/Friday for 12 weeks from Monday 2026-01-05,
// 30 minutes a session.
struct History {
  assess::Assessment a;
  plan::Program p;
  std::vector<track::SessionLog> logs;

  History() {
    const auto in = intake_from(R"({"schema": "rebalance.intake/1",
        "lifestyle": {"sitting_hours_per_day": 9, "activities": ["desk_work"]},
        "preferences": {"minutes_per_session": 30, "weeks": 12, "equipment": ["mat", "band"]},
        "rom": [{"test": "thomas_test", "side": "left", "result": "positive"}]})");
    a = assess::assess(knowledge_base(), in);
    plan::Overrides ov;
    ov.start = Date::parse("2026-01-05");
    p = plan::plan(knowledge_base(), a, plan::resolve(knowledge_base(), in, ov, *ov.start));
  }

  const plan::Session& session(int week, int day) const {
    return *std::find_if(p.sessions.begin(), p.sessions.end(), [&](const auto& s) { return s.week == week && s.day == day; });
  }

  // Logs a session as prescribed: every set and rep, at this effort and pain.
  void log(int week, int day, int effort, int pain) {
    const auto& s = session(week, day);
    track::SessionLog l;
    l.week = week;
    l.day = day;
    l.date = s.date;
    l.effort = effort;
    l.pain = pain;
    for (const auto& item : s.items) {
      track::LogItem done;
      done.exercise = item.exercise;
      done.sets_done = item.dose.sets;
      if (item.dose.reps)
        done.reps_done.assign(static_cast<size_t>(item.dose.sets), *item.dose.reps);
      else
        done.hold_seconds_done = item.dose.hold_seconds;
      l.items.push_back(done);
    }
    logs.push_back(l);
  }
  void log_weeks(int from, int to, int effort = 4, int pain = 0) {
    for (int w = from; w <= to; ++w)
      for (int d = 1; d <= 3; ++d) log(w, d, effort, pain);
  }

  std::vector<track::PlannedSession> planned() const {
    std::vector<track::PlannedSession> out;
    for (const auto& s : p.sessions) {
      track::PlannedSession ps{s.week, s.day, s.date, {}};
      for (const auto& i : s.items) ps.exercises.push_back(i.exercise);
      out.push_back(ps);
    }
    return out;
  }
};

const plan::Item* item_of(const plan::Program& p, int week, int day, const std::string& base) {
  for (const auto& s : p.sessions)
    if (s.week == week && s.day == day)
      for (const auto& i : s.items)
        if (i.week1_exercise.str() == base) return &i;
  return nullptr;
}

std::vector<std::string> kinds(const track::Adaptation& a) {
  std::vector<std::string> out;
  for (const auto& c : a.changes)
    out.push_back(std::string(track::to_string(c.kind)) + (c.exercise ? ":" + c.exercise->str() : ""));
  return out;
}

void expect_past_unchanged_and_within_budget(const History& h, const track::Adaptation& a, Date as_of) {
  ASSERT_EQ(a.program.sessions.size(), h.p.sessions.size());
  for (size_t i = 0; i < h.p.sessions.size(); ++i) {
    const auto& before = h.p.sessions[i];
    const auto& after = a.program.sessions[i];
    EXPECT_EQ(after.date, before.date);
    EXPECT_LE(after.estimated_minutes, h.p.minutes_per_session) << "week " << after.week << " day " << after.day;
    if (before.date < as_of) {
      ASSERT_EQ(after.items.size(), before.items.size());
      for (size_t j = 0; j < before.items.size(); ++j) {
        EXPECT_EQ(after.items[j].exercise, before.items[j].exercise) << "past weeks never change";
        EXPECT_EQ(after.items[j].dose.sets, before.items[j].dose.sets);
        EXPECT_EQ(after.items[j].dose.reps, before.items[j].dose.reps);
      }
    }
  }
}

TEST(SimulatedHistory, AdherentAndImprovingProgressesAStepAheadOfPlan) {
  History h;
  h.log_weeks(1, 3);                              // every session, effort 4, pain 0
  const Date as_of = *Date::parse("2026-01-26");  // Monday of week 4
  const auto adherence = track::adherence(h.planned(), h.logs, as_of);
  EXPECT_EQ(adherence.due_sessions, 9);
  EXPECT_DOUBLE_EQ(*adherence.consistency_percent, 100.0);
  EXPECT_EQ(adherence.current_streak, 9);
  EXPECT_TRUE(adherence.missed.empty());

  const auto a = track::adapt(knowledge_base(), h.a, h.p, h.logs, as_of);
  EXPECT_EQ(a.first_changed_week, 4);
  EXPECT_EQ(kinds(a), (std::vector<std::string>{"progressed:glute_bridge", "progressed:hip_flexor_stretch",
                                                "progressed:split_squat", "progressed:squat"}));
  EXPECT_TRUE(a.flags.empty());
  // Week 4 planned a 45 s hold and 17 reps; the logs earned the next step.
  EXPECT_EQ(item_of(h.p, 4, 1, "hip_flexor_stretch")->dose.hold_seconds, 45);
  EXPECT_EQ(item_of(a.program, 4, 1, "hip_flexor_stretch")->dose.hold_seconds, 60);
  EXPECT_EQ(item_of(a.program, 4, 1, "glute_bridge")->dose.reps, 19);
  EXPECT_NE(a.changes[0].reason.find("done completely in the last 2 sessions at effort at most 6/10 and pain at most 2/10"),
            std::string::npos)
      << a.changes[0].reason;
  expect_past_unchanged_and_within_budget(h, a, as_of);
}

TEST(SimulatedHistory, DroppingOffAfterWeekThreeRepeatsRatherThanJumpsAhead) {
  History h;
  h.log_weeks(1, 3);
  const Date as_of = *Date::parse("2026-02-09");  // Monday of week 6
  const auto adherence = track::adherence(h.planned(), h.logs, as_of);
  EXPECT_EQ(adherence.due_sessions, 15);
  EXPECT_EQ(adherence.completed_sessions, 9);
  EXPECT_DOUBLE_EQ(*adherence.consistency_percent, 60.0);
  EXPECT_EQ(adherence.missed.size(), 6u);
  EXPECT_EQ(adherence.current_streak, 0);
  EXPECT_EQ(adherence.longest_streak, 9);

  const auto a = track::adapt(knowledge_base(), h.a, h.p, h.logs, as_of);
  EXPECT_EQ(kinds(a), (std::vector<std::string>{"repeated_week"})) << "nothing was earned: no step ahead";
  EXPECT_EQ(item_of(a.program, 6, 1, "hip_flexor_stretch")->dose.hold_seconds,
            item_of(h.p, 5, 1, "hip_flexor_stretch")->dose.hold_seconds);
  EXPECT_EQ(item_of(a.program, 7, 1, "glute_bridge")->dose.reps, item_of(h.p, 6, 1, "glute_bridge")->dose.reps);
  EXPECT_NE(a.changes[0].reason.find("no session of week 5 was logged"), std::string::npos);
  expect_past_unchanged_and_within_budget(h, a, as_of);
}

TEST(SimulatedHistory, APainFlareInWeekFiveEasesTheExercisesAndFlagsTheClient) {
  History h;
  h.log_weeks(1, 4);
  h.log(5, 1, 5, 6);                              // Monday of week 5: pain 6/10
  const Date as_of = *Date::parse("2026-02-04");  // Wednesday of week 5
  const auto a = track::adapt(knowledge_base(), h.a, h.p, h.logs, as_of);
  EXPECT_EQ(kinds(a), (std::vector<std::string>{"regressed:glute_bridge", "regressed:hip_flexor_stretch", "regressed:squat"}));
  // One flag for the painful session, naming the three exercises it eased.
  ASSERT_EQ(a.flags.size(), 1u);
  EXPECT_EQ(a.flags[0].exercises.size(), 3u);
  EXPECT_NE(a.flags[0].reason.find("pain 6/10 (at least 5/10): "), std::string::npos) << a.flags[0].reason;
  // The date is the session's, for the reader to write; the source is shown on demand.
  EXPECT_EQ(a.flags[0].date.iso(), "2026-02-02");
  EXPECT_EQ(a.flags[0].reason.find("2026"), std::string::npos) << a.flags[0].reason;
  EXPECT_EQ(a.flags[0].source, knowledge_base().progression.from_logs.regress_source);
  EXPECT_FALSE(a.flags[0].source.empty());
  for (const auto& c : a.changes) {
    EXPECT_EQ(c.reason.find(c.source), std::string::npos) << "the citation is not in the sentence: " << c.reason;
    ASSERT_TRUE(c.date);
    EXPECT_EQ(c.date->iso(), "2026-02-02");
  }
  for (const char* name : {"Glute bridge", "Kneeling hip flexor stretch", "Bodyweight squat"})
    EXPECT_NE(a.flags[0].reason.find(name), std::string::npos) << a.flags[0].reason;
  // The kneeling stretch gives way to its standing regression at the standard dose.
  const auto* stretch = item_of(a.program, 5, 2, "hip_flexor_stretch");
  EXPECT_EQ(stretch->exercise.str(), "standing_hip_flexor_stretch");
  EXPECT_EQ(stretch->dose.hold_seconds, 30);
  // The bridge has no easier variant: one set fewer; where the plan had
  // progressed to the single-leg bridge, it eases back to the bridge.
  EXPECT_EQ(item_of(a.program, 5, 2, "glute_bridge")->dose.sets, item_of(h.p, 5, 2, "glute_bridge")->dose.sets - 1);
  EXPECT_EQ(item_of(h.p, 12, 1, "glute_bridge")->exercise.str(), "single_leg_glute_bridge");
  EXPECT_EQ(item_of(a.program, 12, 1, "glute_bridge")->exercise.str(), "glute_bridge");
  expect_past_unchanged_and_within_budget(h, a, as_of);
}

TEST(SimulatedHistory, AMissedWeekIsRepeatedAndTheLastWeekDropped) {
  History h;
  h.log_weeks(1, 2);  // nothing in week 3
  const Date as_of = *Date::parse("2026-01-26");
  const auto a = track::adapt(knowledge_base(), h.a, h.p, h.logs, as_of);
  EXPECT_EQ(kinds(a), (std::vector<std::string>{"repeated_week"}));
  for (int w = 4; w <= 12; ++w)
    for (int d = 1; d <= 3; ++d) {
      const auto& got = *std::find_if(a.program.sessions.begin(), a.program.sessions.end(),
                                      [&](const auto& s) { return s.week == w && s.day == d; });
      const auto& want = h.session(w - 1, d);
      ASSERT_EQ(got.items.size(), want.items.size()) << "week " << w;
      for (size_t i = 0; i < got.items.size(); ++i) {
        EXPECT_EQ(got.items[i].exercise, want.items[i].exercise) << "week " << w << " repeats week " << w - 1;
        EXPECT_EQ(got.items[i].dose.reps, want.items[i].dose.reps);
        EXPECT_EQ(got.items[i].dose.hold_seconds, want.items[i].dose.hold_seconds);
      }
    }
  expect_past_unchanged_and_within_budget(h, a, as_of);
}

TEST(SimulatedHistory, PainRisingOverThreeSessionsBacksOff) {
  History h;
  h.log(1, 1, 4, 1);
  h.log(1, 2, 4, 2);
  h.log(1, 3, 4, 3);
  const auto a = track::adapt(knowledge_base(), h.a, h.p, h.logs, *Date::parse("2026-01-12"));
  ASSERT_EQ(a.flags.size(), 1u) << "one flag for the session where the pain had risen";
  EXPECT_EQ(a.flags[0].exercises.size(), 2u) << "the stretch and the bridge, done in all three; the split squat only once";
  EXPECT_NE(a.flags[0].reason.find("pain rising over 3 sessions (1, 2, 3)"), std::string::npos) << a.flags[0].reason;
}

TEST(SimulatedHistory, AnIncompleteSessionKeepsLastWeeksPrescription) {
  History h;
  h.log_weeks(1, 2);
  // Week 2, Friday: the bridge fell short on the last set.
  h.logs.back().items[1].reps_done = {15, 15, 9};
  const Date as_of = *Date::parse("2026-01-19");  // week 3 steps up in the plan
  const auto a = track::adapt(knowledge_base(), h.a, h.p, h.logs, as_of);
  EXPECT_EQ(item_of(h.p, 3, 1, "glute_bridge")->dose.reps, 17);
  EXPECT_EQ(item_of(a.program, 3, 1, "glute_bridge")->dose.reps, 15) << "held at week 2's 15 reps";
  EXPECT_EQ(item_of(a.program, 4, 1, "glute_bridge")->dose.reps, 17) << "later weeks as planned";
  const auto kinds_seen = kinds(a);
  EXPECT_NE(std::find(kinds_seen.begin(), kinds_seen.end(), "held:glute_bridge"), kinds_seen.end());
  EXPECT_NE(std::find(kinds_seen.begin(), kinds_seen.end(), "progressed:hip_flexor_stretch"), kinds_seen.end());
  expect_past_unchanged_and_within_budget(h, a, as_of);
}

TEST(SimulatedHistory, NothingAheadNothingChanges) {
  History h;
  h.log_weeks(1, 12);
  const auto a = track::adapt(knowledge_base(), h.a, h.p, h.logs, *Date::parse("2026-06-01"));
  EXPECT_EQ(a.first_changed_week, 0);
  EXPECT_TRUE(a.changes.empty());
}

}  // namespace
}  // namespace rebalance
