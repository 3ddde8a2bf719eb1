// The knowledge base: muscles, exercises, tests, norms and rules, loaded from
// the JSON files under data/ (format: docs/knowledge-base.md) and validated as
// a whole. Immutable once loaded; every clinical number carries its source.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "body/body.h"
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

// Sets the hold, and the hold the tempo names ("1 s up, 2 s hold, 2 s down"
// becomes "..., 5 s hold, ..."), so a changed dose never shows its old hold.
void set_hold(Dose& dose, double seconds);

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

// A limit of normal for some clients: an age range (inclusive; either end
// open) and a sex (any when unset), with the limits of moderate and severe
// deviation from the same distribution when published.
struct Band {
  std::optional<int> age_min, age_max;
  std::optional<Sex> sex;
  double value = 0;
  std::optional<double> moderate, severe;
  std::string label;  // "women 50-59: mean - 1 SD"
  bool matches(Sex client_sex, std::optional<int> age) const;
};

// The limit a value is held against for one client.
struct Cut {
  double value = 0;
  std::optional<double> moderate, severe;  // further limits, when the band has them
  std::string label;                       // empty for the adult-wide limit
};

// A threshold that may differ by sex (`value` applies when sex is unknown)
// and by age and sex bands (the first band matching the client wins; with
// the age unknown or no band matching, the by-sex value applies).
struct Threshold {
  double value = 0;
  std::optional<double> female;
  std::optional<double> male;
  std::vector<Band> bands;
  double for_sex(Sex sex) const;
  Cut for_client(Sex sex, std::optional<int> age) const;
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
  std::string evidence;  // evidence kind (data/assessment.json weights); empty: the test's own kind
  std::string source;
};

enum class AsymmetryMethod { kLsi, kDifference, kMdc, kNone };

// The dominant side's expected advantage in a capacity test: with the
// client's dominant side known, the non-dominant value is scaled up by it
// before the limb symmetry index, which is then held against
// `threshold_percent` (when set) instead of the test's LSI threshold.
struct Dominance {
  double advantage_percent = 0;
  std::optional<double> threshold_percent;
  std::string source;
};

struct AsymmetryRule {
  AsymmetryMethod method = AsymmetryMethod::kMdc;
  double threshold = 0;  // percent for LSI, units for difference
  std::string unit;
  std::string source;
  std::optional<Dominance> dominance;  // LSI tests only
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
  std::string name;
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
  std::string hint;  // how to measure it, for forms; may be empty
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

// Lifestyle evidence. Evidence with the same `cause` (desk work and hours of
// sitting are both prolonged sitting) counts once in a finding.
struct Activity {
  std::string id;
  std::string name;
  std::vector<Implication> implies;
  std::string cause;
  std::string source;
};

struct Sitting {
  double hours_at_least = 6;
  std::vector<Implication> implies;
  std::string cause;
  std::string source;
};

// How an activity changes the reading of tests (data/sport_profiles.json).
// Overhead athletes: the dominant shoulder's rotation is judged by its
// internal-rotation deficit (GIRD) and total arc against the other side,
// not by raw side-to-side differences of each rotation.
struct ShoulderRotation {
  TestId internal_test, external_test;
  std::string position;  // the protocol both are measured in
  double gird_at_least = 20;
  std::string gird_source;
  double arc_deficit_above = 5;
  std::string arc_source;
  std::vector<Implication> implies;  // on the dominant side
  std::optional<MeasurementError> error;
};

struct SportProfile {
  std::string id;
  std::string name;
  std::vector<std::string> activities;
  std::optional<ShoulderRotation> shoulder_rotation;
  std::vector<std::string> excluded_tags;  // never prescribed to such a client
  std::string note;
  std::string source;
};

// A named pattern of tight and weak muscles. A member counts when a finding
// covers it; with `measured_members`, only a finding with evidence from a
// test (AssessmentParams::test_kinds), not an observation or lifestyle.
struct Pattern {
  std::string id;
  std::string name;
  std::vector<MuscleId> tight;
  std::vector<MuscleId> weak;
  std::vector<std::string> signs;
  int min_tight = 1;
  int min_weak = 1;
  int min_members = 2;  // tight and weak members together
  bool measured_members = true;
  std::string description;
  std::string source;
};

// How patterns are judged (data/patterns.json): confidence = share_weight *
// (share of members and signs present) + confidence_weight * (mean
// confidence of the members present).
struct PatternPolicy {
  double share_weight = 0.5;
  double confidence_weight = 0.5;
  std::string source;
};

enum class Urgency { kSoon, kUrgent, kEmergency };
std::string_view to_string(Urgency urgency);

struct RedFlag {
  std::string id;
  std::string name;
  bool systemic = false;
  Urgency urgency = Urgency::kSoon;
  std::string detail;
  std::string source;
};

// Red flags that together (with age, when given) point to serious pathology:
// at least `min_count` of `flags` and the age condition raise the referral to
// `urgency` and, when `systemic`, stop the whole program.
struct RedFlagCluster {
  std::string id;
  std::string name;
  std::vector<std::string> flags;
  std::optional<int> age_at_least;  // counts as one more member when met
  int min_count = 2;
  Urgency urgency = Urgency::kUrgent;
  bool systemic = true;
  std::string detail;
  std::string source;
};

// A screening item of the intake's `screening` (a yes/no answer), with the
// values it asks for (`parameters`, such as the operated region) and what it
// excludes: tags, positions, exercises, and every exercise loading the region
// a parameter names. With `referral`, the item also asks for clearance.
struct ScreeningParameter {
  std::string id;
  std::string name;  // what a form asks: "Region operated on"
  std::string kind;  // region
  bool required = true;
};

struct ScreeningReferral {
  std::string detail;
  Urgency urgency = Urgency::kSoon;
};

struct ScreeningRule {
  std::string id;
  std::string name;
  std::vector<ScreeningParameter> parameters;
  std::vector<std::string> tags;
  std::vector<std::string> positions;
  std::vector<ExerciseId> exercises;
  std::string loading_parameter;  // a parameter naming a region: exercises loading it are excluded
  std::optional<ScreeningReferral> referral;
  std::string note;
  std::string source;
};

struct Safety {
  std::vector<RedFlag> red_flags;
  std::vector<RedFlagCluster> clusters;
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
  // The kinds of evidence that come from a test (not an observation, a
  // screen or lifestyle): a test overrules a suspicion no test supports, and
  // pattern members asking for it need one.
  std::vector<std::string> test_kinds;
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
  // After this many volume steps on one exercise, the next step is its
  // harder variant when it has an allowed one (0: only once every field is
  // at its maximum).
  int variant_after = 0;
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

// Guideline work added to a program when its conditions hold: pain in
// `pain_region` (any intensity) with a weakness of any of `weak_any` adds
// training for `adds` (patellofemoral pain: hip and knee strengthening).
struct CoPrescription {
  std::string id;
  std::string name;
  std::string pain_region;
  std::vector<MuscleId> weak_any;
  std::vector<Implication> adds;
  std::string note;
  std::string source;
};

// How the planner chooses and doses (data/planning.json); every number is
// sourced there.
struct Planning {
  // Constraints when neither the intake nor a flag gives them.
  int default_weeks = 8, default_days_per_week = 3, default_minutes = 20;
  std::string defaults_source;
  // A finding's priority: severity weight x confidence, plus a bonus when
  // pain is reported in its region.
  double mild_weight = 1, moderate_weight = 2, severe_weight = 3;
  double painful_region_bonus = 0.5;
  std::string priority_source;
  // An exercise's cost in the cover: minutes x (1 + difficulty_step x
  // (difficulty - 1)), x preferred_factor for the source method's own.
  double difficulty_step = 0.25;
  double preferred_factor = 0.5;
  // A mild finding served through an exercise's secondary target counts
  // for this share of its priority.
  double secondary_credit = 0.5;
  // A one-sided measured weakness served by an exercise done with both
  // sides at once counts for this share (unilateral work can favour the
  // weaker side).
  double bilateral_credit = 0.5;
  // A need the source method has an exercise for counts for this share when
  // served by another exercise: the method's own come first for their targets.
  double non_preferred_credit = 0.5;
  std::string cost_source;
  // Start easy: week-1 difficulty at most `start_easy_max_difficulty` when
  // a manual muscle test grade is at most `_mmt_at_most`, pain reaches
  // `_pain_at_least`, or the client is `_age_at_least` or older.
  int start_easy_max_difficulty = 2;
  double start_easy_mmt_at_most = 3;
  int start_easy_pain_at_least = 4;
  int start_easy_age_at_least = 65;
  std::string start_easy_source;
  // Each finding of at least `frequency_min_severity` is trained on at least
  // `frequency_min_days` days a week when the client trains on at least
  // `frequency_when_days` days.
  Severity frequency_min_severity = Severity::kModerate;
  int frequency_min_days = 2;
  int frequency_when_days = 3;
  std::string frequency_source;
  // The measured weaker side's extra sets in unilateral strengthening.
  int weaker_side_extra_sets = 1;
  int weaker_side_from_week = 2;
  std::string weaker_side_source;
  std::vector<CoPrescription> co_prescriptions;

  double severity_weight(Severity s) const;
};

// One entry of a vocabulary list. `midline` (regions only): pain there has
// no side.
struct Term {
  std::string id;
  std::string name;
  bool midline = false;
};

struct Vocabulary {
  std::map<std::string, std::string> regions, equipment, positions, tags;  // id -> name
  // The same lists in the file's order, the order people are shown them.
  std::vector<Term> region_list, equipment_list, position_list, tag_list;
};

// A set of the knowledge base's muscles (KnowledgeBase::muscle_set), for
// testing many KnowledgeBase::covers() at once.
class MuscleSet {
 public:
  bool intersects(const MuscleSet& other) const {
    const size_t n = std::min(words_.size(), other.words_.size());
    for (size_t i = 0; i < n; ++i)
      if ((words_[i] & other.words_[i]) != 0) return true;
    return false;
  }
  void add(size_t bit);
  void add(const MuscleSet& other);

 private:
  std::vector<std::uint64_t> words_;
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
  PatternPolicy pattern_policy;
  std::vector<SportProfile> sport_profiles;
  Safety safety;
  Guidance guidance;
  AssessmentParams assessment;
  Progression progression;
  Planning planning;
  // The body model and each exercise's illustration (data/body/,
  // data/illustrations/): every exercise has exactly one. Both are empty,
  // and has_drawings false, in a knowledge base loaded without drawings.
  body::Model body;
  std::vector<body::Illustration> illustrations;
  bool has_drawings = true;

  // Lookups; null when the id is unknown.
  const Muscle* muscle(const MuscleId& id) const;
  const Group* group(const MuscleId& id) const;
  const Exercise* exercise(const ExerciseId& id) const;
  const Test* test(std::string_view section, std::string_view id) const;
  const PostureObservation* posture_observation(std::string_view id) const;
  const Activity* activity(std::string_view id) const;
  const RedFlag* red_flag(std::string_view id) const;
  const ScreeningRule* screening_rule(std::string_view id) const;
  // Throws std::logic_error when the knowledge base was loaded without
  // drawings: a picture left out must not pass for an exercise without one.
  const body::Illustration* illustration(const ExerciseId& id) const;

  bool is_muscle_or_group(const MuscleId& id) const;
  // The muscles an id stands for: itself, or a group's members.
  std::vector<MuscleId> members(const MuscleId& id) const;
  // True when a target id covers a finding's muscle: same id, one is a group
  // holding the other, or two groups sharing a member.
  bool covers(const MuscleId& target, const MuscleId& finding) const;
  // The muscles an id stands for as a set: for ids of this knowledge base,
  // covers(a, b) is muscle_set(a).intersects(muscle_set(b)) (a group
  // without members holds a bit of its own, so it covers itself). Empty for
  // an unknown id.
  const MuscleSet& muscle_set(const MuscleId& id) const;
  // What exercise `e` targets, as a set: its primary targets, or with
  // `secondary` its secondary ones. REQUIRES: `e` is one of `exercises`.
  const MuscleSet& targets(const Exercise& e, bool secondary) const;
  // Display name of a muscle or group id.
  std::string muscle_name(const MuscleId& id) const;
  // True for muscles without sides (and groups whose members all are).
  bool is_midline(const MuscleId& id) const;

  // Builds the lookup indexes; called by the loader after validation.
  void index();

 private:
  // Hashed: the planner looks muscles and exercises up thousands of times
  // per program, and never walks these in order.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  template <class V>
  using Index = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
  Index<size_t> muscle_index_, group_index_, exercise_index_, illustration_index_;
  std::map<std::string, std::map<std::string, size_t, std::less<>>, std::less<>> test_index_;  // section -> id ->
  // Each muscle is one bit; a group is the union of its members' bits.
  Index<MuscleSet> sets_;
  std::vector<MuscleSet> primary_sets_, secondary_sets_;  // by exercise
};

// What load() reads. Drawings are the body model, its postures and keypoint
// layouts, and the exercise illustrations: over half the work of loading,
// and needed only to draw (figures, handouts, keypoint export). Assessments,
// programs as JSON, text or calendar, and progress never read them.
enum class Parts { kAll, kWithoutDrawings };

// Loads and validates every file under `dir` that `parts` names, in full.
// Throws InputError with every problem found (file and JSON path in each)
// when anything is wrong.
std::shared_ptr<const KnowledgeBase> load(const std::filesystem::path& dir, Parts parts = Parts::kAll);

// The data directory to use when none is given: $REBALANCE_DATA, the
// installed share/rebalance/data beside the executable, or the source tree's.
std::filesystem::path default_data_dir(const std::filesystem::path& executable);

}  // namespace rebalance::kb
