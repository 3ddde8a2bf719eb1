// Assessment + Constraints -> Program: a week-by-week corrective program
// (contract section 5). Pure and deterministic.
#pragma once

#include <functional>
#include <map>
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
// knowledge base's defaults (data/planning.json: 8 weeks, 3 days, 20
// minutes), starting the next Monday on or after `today`.
// `preferences.days` applies when it has `days_per_week` entries.
Constraints resolve(const kb::KnowledgeBase& kb, const intake::Intake& in, const Overrides& overrides, Date today);

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
// doses; at most the knowledge base's maximum exercises per session. Safety
// and dosing (data/planning.json): a systemic red flag gives no sessions at
// all; week-1 exercises are at most the start difficulty (lower for a client
// who must start easy); each finding of the frequency rule's severity is
// trained on its minimum days a week, or `omitted` says why not.
Program plan(const kb::KnowledgeBase& kb, const assess::Assessment& assessment, const Constraints& constraints);

// One progression step from `dose` of `exercise`, by the knowledge base's
// rules: the first field (reps, hold, sets) below its maximum goes up by its
// step; when all are at their maximum, or first when `variant_first`, the
// harder variant at its standard dose, if `may_use` allows it. Nothing when
// fully progressed.
struct Step {
  const kb::Exercise* exercise = nullptr;
  kb::Dose dose;
  std::string field;  // empty for a harder variant
  double from = 0, to = 0;
};
std::optional<Step> next_step(const kb::KnowledgeBase& kb, const kb::Exercise& exercise, const kb::Dose& dose,
                              const std::function<bool(const kb::Exercise&)>& may_use, bool variant_first = false);

// Minutes an item takes: the exercise's duration model for its dose, plus any
// extra sets on one side.
double item_minutes(const kb::Exercise& exercise, const Item& item);

// Why exercises may not be prescribed to this client: exercise id -> reason
// (a systemic red flag; a red flag or severe pain in a region it loads; pain
// at or above one of its contraindications; a screening exclusion (tags,
// positions, exercises, the region a screening parameter names); a tag a
// sport profile excludes; missing equipment).
std::map<std::string, std::string> excluded_exercises(const kb::KnowledgeBase& kb, const assess::Assessment& assessment);

// A practitioner's change to a planned program: applied after planning, in
// order, to every session from its `from` day on (past weeks never change).
struct Edit {
  enum class Op { kSwap, kDose, kRemove, kAdd, kReassess };
  Op op = Op::kDose;
  ExerciseId exercise;             // the exercise edited (swap: replaced; add: added); none for reassess
  std::optional<ExerciseId> with;  // swap: the replacement
  std::optional<int> sets, reps;   // dose: what changes
  std::optional<double> hold_seconds;
  std::optional<Date> from;  // sessions before this day keep their prescription; none: every week
  std::optional<Date> only_on;  // the one session on this day (with `from`, both must hold)
  std::optional<int> day;       // every week's session of this number (1 = the week's first)
  // dose: the sets of one side only (an exercise done one side at a time);
  // the other side keeps its sets. Requires `sets`, and no reps or hold.
  std::optional<Side> side;
  // reassess: the re-assessment after `week` moves to `date` (say, off a
  // public holiday): on or after that week's last session and at most 14
  // days after it.
  std::optional<int> week;
  std::optional<Date> date;
};

struct EditResult {
  std::optional<Program> program;
  std::vector<Problem> problems;  // paths under `$.edits[i]`
};

// Applies edits to a planned program. An exercise names the item in every
// week (from the edit's `from` day), including the harder variants it
// progressed to. swap: the
// replacement has the same phase, covers one of the item's targets and is
// not excluded for this client; it starts at its standard dose. dose: sets
// 1-10, reps 1-100 (exercises counted in reps), hold 1-600 s (held
// exercises); it replaces the progression of that exercise. remove: targets
// no other item covers that week are listed in `omitted`. add: at its
// standard dose in every session, targeting the findings it covers, in phase
// order. `only_on` limits an edit to the session of that day and `day` to
// every week's session of that number (which must hold the exercise, or
// for add, exist and not hold it yet); `side` makes a dose edit set one
// side's sets (left and right then show apart: "4 sets left, 3 right").
// Every problem is reported, each under `$.edits[i]`; a result whose
// sessions exceed the minute budget or the knowledge base's hard maximum of
// exercises per session is refused. Deterministic.
EditResult apply_edits(const kb::KnowledgeBase& kb, const assess::Assessment& assessment, Program program,
                       const std::vector<Edit>& edits);

}  // namespace rebalance::plan
