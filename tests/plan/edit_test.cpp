#include <gtest/gtest.h>

#include <algorithm>

#include "plan/invariants.h"
#include "plan/plan.h"
#include "test_support.h"

namespace rebalance {
namespace {

using rebalance::testing::intake_from;
using rebalance::testing::knowledge_base;

// Sitting all day and a positive Thomas test, with a mat and a band (no wall,
// which rules out the couch stretch): the article's hip flexor stretch, glute
// bridge and push-ups, 30 minutes a session.
struct Fixture {
  assess::Assessment a;
  plan::Constraints c;
  plan::Program p;
};

Fixture office_worker() {
  const auto in = intake_from(R"({"schema": "rebalance.intake/1",
      "lifestyle": {"sitting_hours_per_day": 9, "activities": ["desk_work"]},
      "preferences": {"minutes_per_session": 30, "equipment": ["mat", "band"]},
      "rom": [{"test": "thomas_test", "side": "left", "result": "positive"}]})");
  Fixture f;
  f.a = assess::assess(knowledge_base(), in);
  plan::Overrides ov;
  ov.start = Date::parse("2026-11-30");
  f.c = plan::resolve(knowledge_base(), in, ov, *ov.start);
  f.p = plan::plan(knowledge_base(), f.a, f.c);
  return f;
}

plan::Edit edit(plan::Edit::Op op, const char* exercise, const char* with = nullptr) {
  plan::Edit e;
  e.op = op;
  e.exercise = ExerciseId(exercise);
  if (with != nullptr) e.with = ExerciseId(with);
  return e;
}

std::vector<std::string> problems(const plan::EditResult& r) {
  std::vector<std::string> out;
  for (const auto& p : r.problems) out.push_back(p.path + ": expected " + p.expected + ", found " + p.found);
  return out;
}

bool uses(const plan::Program& p, const char* id) {
  return std::any_of(p.sessions.begin(), p.sessions.end(), [&](const plan::Session& s) {
    return std::any_of(s.items.begin(), s.items.end(), [&](const plan::Item& i) { return i.exercise.str() == id; });
  });
}

TEST(ProgramEdits, TheFixtureUsesTheExpectedExercises) {
  const auto f = office_worker();
  ASSERT_TRUE(uses(f.p, "hip_flexor_stretch"));
  ASSERT_TRUE(uses(f.p, "glute_bridge"));
}

TEST(ProgramEdits, SwapReplacesTheExerciseInEveryWeekAtItsStandardDose) {
  const auto f = office_worker();
  const auto r =
      plan::apply_edits(knowledge_base(), f.a, f.p, {edit(plan::Edit::Op::kSwap, "hip_flexor_stretch", "standing_quad_stretch")});
  ASSERT_TRUE(r.program) << ::testing::PrintToString(problems(r));
  EXPECT_FALSE(uses(*r.program, "hip_flexor_stretch"));
  const auto* quad = knowledge_base().exercise(ExerciseId("standing_quad_stretch"));
  for (const auto& s : r.program->sessions)
    for (const auto& i : s.items)
      if (i.exercise.str() == "standing_quad_stretch") {
        EXPECT_EQ(i.dose.sets, quad->dose.sets);
        EXPECT_EQ(i.dose.hold_seconds, quad->dose.hold_seconds);
        EXPECT_FALSE(i.targets.empty()) << "the item keeps what it was for";
      }
  testing::expect_program_invariants(knowledge_base(), f.a, f.c, *r.program, "swapped");
}

TEST(ProgramEdits, SwapRefusesAnExerciseThatDoesNotCoverTheTargetOrIsExcluded) {
  const auto f = office_worker();
  const auto r = plan::apply_edits(knowledge_base(), f.a, f.p,
                                   {edit(plan::Edit::Op::kSwap, "hip_flexor_stretch", "butterfly_stretch"),
                                    edit(plan::Edit::Op::kSwap, "hip_flexor_stretch", "couch_stretch"),
                                    edit(plan::Edit::Op::kSwap, "glute_bridge", "standing_quad_stretch"),
                                    edit(plan::Edit::Op::kSwap, "no_such_exercise", "glute_bridge")});
  EXPECT_FALSE(r.program);
  const auto lines = problems(r);
  ASSERT_EQ(lines.size(), 4u) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[0], "$.edits[0].with: expected an exercise covering a target of hip_flexor_stretch, found butterfly_stretch");
  EXPECT_EQ(
      lines[1],
      "$.edits[1].with: expected an exercise this client may do, found couch_stretch (needs equipment not available: wall)");
  EXPECT_EQ(lines[2], "$.edits[2].with: expected a strengthen exercise, found standing_quad_stretch (stretch)");
  EXPECT_EQ(lines[3], "$.edits[3].exercise: expected a known exercise id, found no_such_exercise");
}

TEST(ProgramEdits, DoseReplacesTheProgressionInEveryWeek) {
  const auto f = office_worker();
  auto e = edit(plan::Edit::Op::kDose, "glute_bridge");
  e.sets = 4;
  e.reps = 10;
  const auto r = plan::apply_edits(knowledge_base(), f.a, f.p, {e});
  ASSERT_TRUE(r.program) << ::testing::PrintToString(problems(r));
  int seen = 0;
  for (const auto& s : r.program->sessions)
    for (const auto& i : s.items)
      if (i.week1_exercise.str() == "glute_bridge") {
        ++seen;
        EXPECT_EQ(i.exercise.str(), "glute_bridge") << "week " << s.week << " no longer progresses to a variant";
        EXPECT_EQ(i.dose.sets, 4);
        EXPECT_EQ(i.dose.reps, 10);
      }
  EXPECT_EQ(seen, 24);
}

TEST(ProgramEdits, AnEditCanChangeOneSessionOnly) {
  const auto f = office_worker();
  // The glute bridge's session in week 2.
  std::optional<Date> day;
  for (const auto& s : f.p.sessions)
    if (s.week == 2 && !day)
      for (const auto& i : s.items)
        if (i.week1_exercise.str() == "glute_bridge") day = s.date;
  ASSERT_TRUE(day);
  auto e = edit(plan::Edit::Op::kDose, "glute_bridge");
  e.sets = 5;
  e.only_on = day;
  const auto r = plan::apply_edits(knowledge_base(), f.a, f.p, {e});
  ASSERT_TRUE(r.program) << ::testing::PrintToString(problems(r));
  int changed = 0, kept = 0;
  for (size_t k = 0; k < r.program->sessions.size(); ++k)
    for (size_t j = 0; j < r.program->sessions[k].items.size(); ++j) {
      const auto& i = r.program->sessions[k].items[j];
      if (i.week1_exercise.str() != "glute_bridge") continue;
      if (r.program->sessions[k].date == *day) {
        ++changed;
        EXPECT_EQ(i.dose.sets, 5);
      } else {
        ++kept;
        EXPECT_EQ(i.dose.sets, f.p.sessions[k].items[j].dose.sets) << "week " << r.program->sessions[k].week;
      }
    }
  EXPECT_EQ(changed, 1);
  EXPECT_EQ(kept, 23);

  // A day without that exercise, or without a session, says where and what.
  e.only_on = Date::parse("2026-12-01");  // a Tuesday: no session
  const auto bad = plan::apply_edits(knowledge_base(), f.a, f.p, {e});
  EXPECT_FALSE(bad.program);
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_EQ(bad.problems[0].path, "$.edits[0].only_on");
  EXPECT_EQ(bad.problems[0].found, "2026-12-01");
}

TEST(ProgramEdits, AnEditCanChangeEveryWeeksSessionOfOneNumber) {
  const auto f = office_worker();
  // Add the bird dog to every week's second session only; it may go there
  // even if another day has it.
  auto add = edit(plan::Edit::Op::kAdd, "bird_dog");
  add.day = 2;
  const auto r = plan::apply_edits(knowledge_base(), f.a, f.p, {add});
  ASSERT_TRUE(r.program) << ::testing::PrintToString(problems(r));
  for (const auto& s : r.program->sessions) {
    const bool has = std::any_of(s.items.begin(), s.items.end(), [](const plan::Item& i) { return i.exercise.str() == "bird_dog"; });
    EXPECT_EQ(has, s.day == 2) << "week " << s.week << " day " << s.day;
  }
  auto twice = add;
  const auto again = plan::apply_edits(knowledge_base(), f.a, f.p, {add, twice});
  EXPECT_FALSE(again.program) << "not twice in the same sessions";
  auto none = add;
  none.day = 6;  // three sessions a week
  const auto bad = plan::apply_edits(knowledge_base(), f.a, f.p, {none});
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_EQ(bad.problems[0].path, "$.edits[0].day");
}

TEST(ProgramEdits, AReassessmentMovesWithinTwoWeeksOfItsWeeksLastSession) {
  const auto f = office_worker();
  ASSERT_FALSE(f.p.reassessments.empty());
  const auto r0 = f.p.reassessments.front();
  plan::Edit move;
  move.op = plan::Edit::Op::kReassess;
  move.week = r0.week;
  move.date = Date::from_days(r0.date.days() + 3);
  const auto r = plan::apply_edits(knowledge_base(), f.a, f.p, {move});
  ASSERT_TRUE(r.program) << ::testing::PrintToString(problems(r));
  EXPECT_EQ(r.program->reassessments.front().date.days(), r0.date.days() + 3);
  EXPECT_EQ(r.program->sessions.size(), f.p.sessions.size()) << "the sessions stay as they were";

  auto late = move;
  late.date = Date::from_days(r0.date.days() + 30);
  auto early = move;
  early.date = f.p.start;
  auto none = move;
  none.week = 3;
  const auto bad = plan::apply_edits(knowledge_base(), f.a, f.p, {late, early, none});
  ASSERT_EQ(bad.problems.size(), 3u) << ::testing::PrintToString(problems(bad));
  EXPECT_EQ(bad.problems[0].path, "$.edits[0].date");
  EXPECT_EQ(bad.problems[1].path, "$.edits[1].date");
  EXPECT_EQ(bad.problems[2].path, "$.edits[2].week");
}

TEST(ProgramEdits, ADoseEditCanSetOneSidesSets) {
  const auto f = office_worker();
  auto e = edit(plan::Edit::Op::kDose, "hip_flexor_stretch");
  ASSERT_TRUE(knowledge_base().exercise(ExerciseId("hip_flexor_stretch"))->dose.per_side);
  e.sets = 4;
  e.side = Side::kLeft;
  auto right = edit(plan::Edit::Op::kDose, "hip_flexor_stretch");
  right.sets = 2;
  right.side = Side::kRight;
  const auto r = plan::apply_edits(knowledge_base(), f.a, f.p, {e, right});
  ASSERT_TRUE(r.program) << ::testing::PrintToString(problems(r));
  int seen = 0;
  for (const auto& s : r.program->sessions)
    for (const auto& i : s.items)
      if (i.week1_exercise.str() == "hip_flexor_stretch") {
        ++seen;
        EXPECT_EQ(i.dose.sets + i.extra_sets_left.value_or(0), 4) << "left";
        EXPECT_EQ(i.dose.sets + i.extra_sets_right.value_or(0), 2) << "right";
        EXPECT_FALSE(i.extra_sets_right) << "the smaller side is the base";
      }
  EXPECT_GT(seen, 0);

  // Only sets, only left or right, only for an exercise done one side at a time.
  auto bridge = edit(plan::Edit::Op::kDose, "glute_bridge");
  bridge.sets = 4;
  bridge.side = Side::kLeft;
  auto reps = edit(plan::Edit::Op::kDose, "hip_flexor_stretch");
  reps.hold_seconds = 45;
  reps.side = Side::kLeft;
  auto swap = edit(plan::Edit::Op::kRemove, "hip_flexor_stretch");
  swap.side = Side::kRight;
  const auto bad = plan::apply_edits(knowledge_base(), f.a, f.p, {bridge, reps, swap});
  EXPECT_FALSE(bad.program);
  EXPECT_EQ(problems(bad), (std::vector<std::string>{
                               "$.edits[0].side: expected an exercise done one side at a time, found glute_bridge",
                               "$.edits[1].side: expected sets alone for one side, found reps or hold, or no sets",
                               "$.edits[2].side: expected a side only for a dose change, found right"}));
}

TEST(ProgramEdits, ANewHoldIsTheHoldTheTempoNames) {
  // The client reads the tempo line beside the dose: it must not still say the old hold.
  const auto f = office_worker();
  auto e = edit(plan::Edit::Op::kDose, "glute_bridge");
  e.hold_seconds = 5;
  const auto r = plan::apply_edits(knowledge_base(), f.a, f.p, {e});
  ASSERT_TRUE(r.program) << ::testing::PrintToString(problems(r));
  int seen = 0;
  for (const auto& s : r.program->sessions)
    for (const auto& i : s.items)
      if (i.exercise.str() == "glute_bridge") {
        ++seen;
        EXPECT_EQ(i.dose.hold_seconds, 5);
        EXPECT_EQ(i.dose.tempo, "1 s up, 5 s hold, 2 s down");
      }
  EXPECT_GT(seen, 0);
}

TEST(Dose, SetHoldRewritesOnlyANumberedHold) {
  kb::Dose d;
  d.tempo = "2 s out, 1 s hold, 2 s back";
  kb::set_hold(d, 2.5);
  EXPECT_EQ(d.tempo, "2 s out, 2.5 s hold, 2 s back");
  EXPECT_EQ(d.hold_seconds, 2.5);
  d.tempo = "slow in, hold, slow out";
  kb::set_hold(d, 40);
  EXPECT_EQ(d.tempo, "slow in, hold, slow out");
  d.tempo = "";
  kb::set_hold(d, 10);
  EXPECT_EQ(d.tempo, "");
}

TEST(ProgramEdits, DoseOutsideItsRangeOrBudgetIsRefused) {
  const auto f = office_worker();
  auto bad = edit(plan::Edit::Op::kDose, "hip_flexor_stretch");
  bad.sets = 11;
  bad.reps = 5;  // a held stretch has no reps
  auto long_hold = edit(plan::Edit::Op::kDose, "hip_flexor_stretch");
  long_hold.hold_seconds = 600;
  const auto r = plan::apply_edits(knowledge_base(), f.a, f.p, {bad});
  EXPECT_EQ(problems(r), (std::vector<std::string>{"$.edits[0].sets: expected a whole number of sets 1-10, found 11",
                                                   "$.edits[0].reps: expected no reps for a held exercise, found 5"}));
  const auto over = plan::apply_edits(knowledge_base(), f.a, f.p, {long_hold});
  ASSERT_EQ(over.problems.size(), 1u);
  EXPECT_EQ(over.problems[0].path, "$.edits");
  EXPECT_EQ(over.problems[0].expected, "sessions within 30 minutes");
  EXPECT_NE(over.problems[0].found.find("week 1 day 1 at"), std::string::npos) << over.problems[0].found;
}

TEST(ProgramEdits, RemovingTheOnlyExerciseForAFindingListsItAsOmitted) {
  const auto f = office_worker();
  const auto r = plan::apply_edits(knowledge_base(), f.a, f.p, {edit(plan::Edit::Op::kRemove, "hip_flexor_stretch")});
  ASSERT_TRUE(r.program);
  EXPECT_FALSE(uses(*r.program, "hip_flexor_stretch"));
  auto omitted = [&](const char* muscle) {
    return std::any_of(r.program->omitted.begin(), r.program->omitted.end(), [&](const plan::Omission& o) {
      return o.finding && o.finding->muscle.str() == muscle &&
             o.reason == "its exercise (hip_flexor_stretch) was removed by the practitioner";
    });
  };
  EXPECT_TRUE(omitted("iliopsoas"));
  EXPECT_TRUE(omitted("rectus_femoris"));
  // The squat still serves the glutes: removing the bridge orphans nothing.
  const auto bridge = plan::apply_edits(knowledge_base(), f.a, f.p, {edit(plan::Edit::Op::kRemove, "glute_bridge")});
  ASSERT_TRUE(bridge.program);
  EXPECT_EQ(bridge.program->omitted.size(), f.p.omitted.size());
}

TEST(ProgramEdits, AddPutsTheExerciseInEverySessionInPhaseOrder) {
  const auto f = office_worker();
  const auto r = plan::apply_edits(knowledge_base(), f.a, f.p, {edit(plan::Edit::Op::kAdd, "clamshell")});
  ASSERT_TRUE(r.program) << ::testing::PrintToString(problems(r));
  for (const auto& s : r.program->sessions) {
    const auto it =
        std::find_if(s.items.begin(), s.items.end(), [](const plan::Item& i) { return i.exercise.str() == "clamshell"; });
    ASSERT_NE(it, s.items.end());
    EXPECT_TRUE(std::is_sorted(s.items.begin(), s.items.end(),
                               [](const plan::Item& x, const plan::Item& y) { return x.phase < y.phase; }));
    EXPECT_LE(s.estimated_minutes, 30.0);
  }
  const auto twice = plan::apply_edits(knowledge_base(), f.a, f.p, {edit(plan::Edit::Op::kAdd, "glute_bridge")});
  EXPECT_EQ(
      problems(twice),
      (std::vector<std::string>{"$.edits[0].exercise: expected an exercise not already in the program, found glute_bridge"}));
  const auto excluded = plan::apply_edits(knowledge_base(), f.a, f.p, {edit(plan::Edit::Op::kAdd, "couch_stretch")});
  EXPECT_FALSE(excluded.program) << "no wall";
}

TEST(ProgramEdits, AnEditChangesOnlyTheSessionsFromItsDayOn) {
  const auto f = office_worker();
  auto e = edit(plan::Edit::Op::kDose, "glute_bridge");
  e.sets = 2;
  e.from = Date::parse("2026-12-14");  // Monday of week 3
  const auto r = plan::apply_edits(knowledge_base(), f.a, f.p, {e});
  ASSERT_TRUE(r.program);
  for (size_t i = 0; i < f.p.sessions.size(); ++i)
    for (size_t j = 0; j < f.p.sessions[i].items.size(); ++j) {
      const auto& before = f.p.sessions[i].items[j];
      const auto& after = r.program->sessions[i].items[j];
      if (before.week1_exercise.str() != "glute_bridge") continue;
      if (f.p.sessions[i].date < *e.from)
        EXPECT_EQ(after.dose.sets, before.dose.sets) << "week " << f.p.sessions[i].week << " is past: unchanged";
      else
        EXPECT_EQ(after.dose.sets, 2) << "week " << f.p.sessions[i].week;
    }
}

}  // namespace
}  // namespace rebalance
