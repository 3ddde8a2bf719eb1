// Assessment + Constraints -> Program: a week-by-week corrective program
// (contract section 5). Pure and deterministic.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "assess/assess.h"
#include "core/date.h"
#include "intake/intake.h"
#include "kb/kb.h"

namespace rebalance::plan {

struct Constraints {
  int weeks = 8;
  int days_per_week = 3;
  int minutes = 20;  // per session
  Date start = Date::from_civil(2026, 1, 5);
  std::vector<int> weekdays;  // 0 = Monday; empty: an even spread
};

// Command-line overrides of the intake's preferences.
struct Overrides {
  std::optional<int> weeks, days_per_week, minutes;
  std::optional<Date> start;
};

// Resolves constraints: flag, else the intake's preferences, else the
// defaults (8 weeks, 3 days, 20 minutes, the next Monday on or after `today`).
// `preferences.days` applies when it has `days_per_week` entries.
Constraints resolve(const intake::Intake& in, const Overrides& overrides, Date today);

struct Target {
  MuscleId muscle;
  Side side = Side::kBoth;
  State state = State::kTight;
  bool operator==(const Target&) const = default;
};

struct Item {
  ExerciseId exercise;
  ExerciseId week1_exercise;  // the week-1 choice this item progressed from
  Phase phase = Phase::kStretch;
  kb::Dose dose;
  std::optional<int> extra_sets_left, extra_sets_right;  // sets_by_side when set
  std::vector<Target> targets;
  std::string note;
  double minutes = 0;
};

struct Session {
  int week = 1;
  int day = 1;
  Date date = Date::from_days(0);
  double estimated_minutes = 0;
  std::vector<Item> items;
};

struct Omission {
  std::optional<Target> finding;
  std::optional<ExerciseId> exercise;
  std::string reason;
};

struct Reassessment {
  int week = 4;
  Date date = Date::from_days(0);
};

struct Program {
  std::string kb_version;
  int weeks = 8;
  int days_per_week = 3;
  int minutes_per_session = 20;
  Date start = Date::from_days(0);
  std::vector<Omission> omitted;
  std::vector<Session> sessions;
  std::vector<Reassessment> reassessments;
  std::vector<std::string> progression_notes;  // the rules applied, for people
};

// Deterministic. Guarantees (tested as properties): every session's
// estimated minutes <= constraints.minutes; every finding is targeted by an
// item each week or listed in `omitted` with the reason; functional items on
// 2-3 days a week (every day below 2 days) unless `omitted` says why not;
// items ordered stretch -> strengthen -> functional; week 1 uses standard
// doses; at most the knowledge base's maximum exercises per session.
Program plan(const kb::KnowledgeBase& kb, const assess::Assessment& assessment, const Constraints& constraints);

// Minutes an item takes: the exercise's duration model for its dose, plus any
// extra sets on one side.
double item_minutes(const kb::Exercise& exercise, const Item& item);

}  // namespace rebalance::plan
