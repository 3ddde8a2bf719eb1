// The knowledge base: muscles, exercises, tests, norms and rules, loaded from
// the JSON files under data/ (format: docs/knowledge-base.md) and validated as
// a whole. Immutable once loaded; every clinical number carries its source.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/types.h"

namespace rebalance::kb {

// Where an implication lands relative to the side where the evidence was seen.
enum class SideRule { kSame, kOpposite, kBoth, kDominant, kNonDominant };

// "This evidence implies that MUSCLE is STATE on SIDE".
struct Implication {
  MuscleId muscle;
  State state = State::kTight;
  SideRule side = SideRule::kSame;
};

struct Muscle {
  MuscleId id;
  std::string name;
  std::string region;  // pain region the muscle sits in
  bool midline = false;
  std::string action;
  std::vector<MuscleId> opposing;
  std::string tendency;  // tighten | weaken | either
  std::string source;
};

struct Group {
  MuscleId id;
  std::string name;
  std::vector<MuscleId> members;
};

// One prescription of an exercise. `reps` empty means a pure hold;
// `hold_seconds` is per rep when reps are given, per set otherwise.
struct Dose {
  int sets = 1;
  std::optional<int> reps;
  double hold_seconds = 0;
  bool per_side = false;
  std::string tempo;
  double rest_seconds = 0;
};

struct DurationModel {
  double setup_seconds = 0;
  double seconds_per_rep = 0;
};

struct Contraindication {
  std::string region;
  int min_intensity = 0;
  std::string reason;
};

struct Exercise {
  ExerciseId id;
  std::string name;
  Phase phase = Phase::kStretch;
  std::vector<MuscleId> primary;
  std::vector<MuscleId> secondary;
  std::vector<std::string> equipment;  // all required; empty = bodyweight
  std::string position;
  int difficulty = 1;
  bool preferred = false;  // the source method's own exercises
  std::optional<ExerciseId> progression;
  std::optional<ExerciseId> regression;
  std::vector<std::string> loads;  // pain regions loaded
  std::vector<Contraindication> contraindications;
  std::vector<std::string> tags;
  std::vector<std::string> instructions;
  std::vector<std::string> cues;
  Dose dose;
  DurationModel duration;
  std::string source;

  // Estimated minutes for `dose` under this exercise's duration model
  // (docs/knowledge-base.md, `duration`).
  double minutes(const Dose& dose) const;
};

// A threshold that may differ by sex; `value` applies when sex is unknown.
struct Threshold {
  double value = 0;
  std::optional<double> female;
  std::optional<double> male;
  double for_sex(Sex sex) const;
};

struct Range {
  std::optional<Threshold> min;
  std::optional<Threshold> max;
  std::string equals;  // for results ("negative")
};

struct MeasurementError {
  std::optional<double> sem;
  std::optional<double> mdc;
  std::string unit;
  std::string source;
};

enum class Comparison { kBelow, kAbove, kEquals };

struct Rule {
  std::string id;
  std::string measure;  // degrees | result | cm | force | torque | mmt | seconds
  Comparison comparison = Comparison::kBelow;
  Threshold threshold;  // for below / above
  std::string equals;   // for equals
  std::vector<Implication> implies;
  std::optional<Severity> severity;
  std::string position;  // empty: any protocol
  std::string source;
};

enum class AsymmetryMethod { kLsi, kDifference, kMdc, kNone };

struct AsymmetryRule {
  AsymmetryMethod method = AsymmetryMethod::kMdc;
  double threshold = 0;  // percent for LSI, units for difference
  std::string unit;
  std::string source;
};

enum class Section { kRom, kStrength, kEndurance };
std::string_view to_string(Section section);

struct Test {
  TestId id;
  Section section = Section::kRom;
  std::string name;
  bool sided = true;
  std::set<std::string> measures;
  std::string default_protocol;
  std::vector<std::string> positions;
  std::string default_position;
  std::vector<std::string> methods;
  std::string default_method;
  std::string how_to, watch, positive;
  std::map<std::string, Range> normal;  // by measure
  std::optional<MeasurementError> error;
  std::string error_note;
  AsymmetryRule asymmetry;
  std::vector<Implication> muscles;  // what the weaker / more limited side implies
  std::vector<Rule> rules;
  std::string source;
};

struct RatioNorm {
  std::optional<double> normal_min;
  std::optional<double> normal_max;
  std::string method_text;
  std::string source;
};

struct Ratio {
  std::string name;
  std::string name_text;
  TestId numerator;
  TestId denominator;
  std::string measure;  // torque | force | seconds
  std::map<std::string, RatioNorm> methods;
  std::string default_method;
  std::vector<Implication> implies_below;
  std::vector<Implication> implies_above;
};

// An overhead-squat compensation, a single-leg-squat sign or an FMS test.
struct Observation {
  std::string id;
  std::string name;
  std::string view;
  bool sided = true;
  int low_score_at_most = 1;  // FMS only
  std::vector<Implication> implies;
  std::string source;
};

struct FmsClearing {
  std::string id;
  std::string test;
  std::string source;
};

struct YBalanceRules {
  double anterior_threshold_cm = 4;
  std::string anterior_source;
  double composite_min_percent = 94;
  std::string composite_source;
  std::optional<MeasurementError> error;
  std::vector<Implication> implies_anterior_deficit;
  std::vector<Implication> implies_low_composite;
};

struct Movement {
  std::vector<Observation> overhead_squat;
  std::vector<Observation> single_leg_squat;
  std::vector<Observation> fms_tests;
  std::vector<FmsClearing> fms_clearing;
  int fms_total_at_most = 14;
  std::string fms_total_source;
  std::string fms_asymmetry_source;
  YBalanceRules y_balance;
};

enum class PostureKind { kBoolean, kNumber, kSide };

struct PostureObservation {
  std::string id;
  PostureKind kind = PostureKind::kBoolean;
  std::string name;
  std::string unit;
  std::optional<double> min, max;  // accepted range (numbers)
  std::optional<double> below, above;
  std::string side_key;
  std::vector<Implication> implies;
  std::optional<Severity> severity;
  std::optional<MeasurementError> error;
  std::string note;
  std::string source;
};

struct Activity {
  std::string id;
  std::string name;
  std::vector<Implication> implies;
  std::string source;
};

struct Sitting {
  double hours_at_least = 6;
  std::vector<Implication> implies;
  std::string source;
};

struct Pattern {
  std::string id;
  std::string name;
  std::vector<MuscleId> tight;
  std::vector<MuscleId> weak;
  std::vector<std::string> signs;
  int min_tight = 1;
  int min_weak = 1;
  std::string description;
  std::string source;
};

struct RedFlag {
  std::string id;
  bool systemic = false;
  std::string detail;
  std::string source;
};

struct ScreeningRule {
  std::string id;
  std::string name;
  std::vector<std::string> tags;
  std::vector<std::string> positions;
  std::vector<ExerciseId> exercises;
  bool surgery_region = false;
  std::string note;
  std::string source;
};

struct Safety {
  std::vector<RedFlag> red_flags;
  int severe_pain_min = 7;
  std::string severe_pain_source;
  std::vector<ScreeningRule> screening;
};

struct Guidance {
  std::vector<std::string> prevention_tips;
  std::string prevention_source;
  std::string functional_text;
  int functional_days_min = 2;
  int functional_days_max = 3;
  std::string functional_source;
  std::string consistency_text;
  std::string consistency_source;
  std::string disclaimer;
};

// How assessment evidence is weighed (data/assessment.json).
struct AssessmentParams {
  std::map<std::string, double> weights;  // evidence kind -> weight 0..1
  double moderate_mdc = 1;                // severity bands in MDC multiples
  double severe_mdc = 2;
  double moderate_relative = 0.1;  // when a test has no MDC
  double severe_relative = 0.25;
  double mmt_moderate_below = 4;  // grade below this: moderate
  double mmt_severe_below = 3;
  double lsi_moderate_below = 80;
  double lsi_severe_below = 70;
  double conflict_factor = 0.5;
  double min_confidence = 0.1;
  std::string source;
  double weight(const std::string& kind) const;
};

struct ProgressionStep {
  std::string field;  // reps | hold_seconds | sets
  double by = 0;
  double max = 0;
};

struct ProgressionRule {
  Phase phase = Phase::kStretch;
  std::string kind;  // reps | hold
  std::vector<ProgressionStep> steps;
  std::string source;
};

// How logged sessions change the weeks ahead (data/progression.json, from_logs).
struct LogRules {
  int progress_sessions = 2;    // consecutive complete sessions...
  int progress_max_effort = 6;  // ...at most this effort (0-10)...
  int progress_max_pain = 2;    // ...and at most this pain (0-10): one step up
  std::string progress_source;
  int regress_min_pain = 5;         // pain at least this in the latest session: back off
  int regress_rising_sessions = 3;  // or pain rising over this many sessions in a row
  std::string regress_source;
  bool repeat_missed_week = true;  // a week without any log is repeated
  std::string missed_week_source;
};

struct Progression {
  LogRules from_logs;
  int every_weeks = 2;
  int reassess_every_weeks = 4;
  int max_exercises_per_session = 4;  // preferred
  int hard_max_exercises_per_session = 6;
  int start_max_difficulty = 3;  // week-1 choices, unless nothing easier covers a finding
  std::string start_max_difficulty_source;
  std::string max_exercises_source;
  std::vector<ProgressionRule> rules;
  std::string source;
  // The rule for an exercise's standard dose; null when none applies.
  const ProgressionRule* rule_for(Phase phase, const Dose& dose) const;
};

struct Vocabulary {
  std::map<std::string, std::string> regions, equipment, positions, tags;
};

class KnowledgeBase {
 public:
  std::string version;
  Vocabulary vocabulary;
  std::vector<Muscle> muscles;
  std::vector<Group> groups;
  std::vector<Exercise> exercises;
  std::vector<Test> tests;
  std::vector<Ratio> ratios;
  Movement movement;
  std::vector<PostureObservation> posture;
  std::vector<Activity> activities;
  Sitting sitting;
  std::vector<Pattern> patterns;
  Safety safety;
  Guidance guidance;
  AssessmentParams assessment;
  Progression progression;

  // Lookups; null when the id is unknown.
  const Muscle* muscle(const MuscleId& id) const;
  const Group* group(const MuscleId& id) const;
  const Exercise* exercise(const ExerciseId& id) const;
  const Test* test(std::string_view section, std::string_view id) const;
  const PostureObservation* posture_observation(std::string_view id) const;
  const Activity* activity(std::string_view id) const;
  const RedFlag* red_flag(std::string_view id) const;
  const ScreeningRule* screening_rule(std::string_view id) const;

  bool is_muscle_or_group(const MuscleId& id) const;
  // The muscles an id stands for: itself, or a group's members.
  std::vector<MuscleId> members(const MuscleId& id) const;
  // True when a target id covers a finding's muscle: same id, one is a group
  // holding the other, or two groups sharing a member.
  bool covers(const MuscleId& target, const MuscleId& finding) const;
  // Display name of a muscle or group id.
  std::string muscle_name(const MuscleId& id) const;
  // True for muscles without sides (and groups whose members all are).
  bool is_midline(const MuscleId& id) const;

  // Builds the lookup indexes; called by the loader after validation.
  void index();

 private:
  std::map<std::string, size_t> muscle_index_, group_index_, exercise_index_, test_index_;
  // Each muscle is one bit; a group is the union of its members' bits.
  std::map<std::string, unsigned __int128> masks_;
};

// Loads and validates every file under `dir`. Throws InputError with every
// problem found (file and JSON path in each) when anything is wrong.
std::shared_ptr<const KnowledgeBase> load(const std::filesystem::path& dir);

// The data directory to use when none is given: $REBALANCE_DATA, the
// installed share/rebalance/data beside the executable, or the source tree's.
std::filesystem::path default_data_dir(const std::filesystem::path& executable);

}  // namespace rebalance::kb
