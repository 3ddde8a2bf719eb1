// Intake -> Assessment: explainable findings (which muscle, side, tight or
// weak, how severe, how sure, and the evidence with the reference each value
// was held against), asymmetries, antagonist ratios, patterns and referrals.
// Pure: no I/O, deterministic, never fails on a validated intake.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/types.h"
#include "intake/intake.h"
#include "kb/kb.h"

namespace rebalance::assess {

// One piece of evidence for (or, when `supports` is false, against) a finding.
struct Evidence {
  std::string input;  // JSON path of the intake field
  std::string test;   // test or observation id; empty for lifestyle
  std::optional<Side> side;
  std::string observed;  // what was measured or seen, with units
  std::string expected;  // the reference it was held against (may be empty)
  std::string rule;      // rule id (observations, lifestyle, screens)
  std::string source;
  std::string kind;      // evidence kind, weighed by data/assessment.json
  std::string cause;     // evidence of one cause (lifestyle) counts once in a finding
  std::string protocol;  // set when the knowledge base's default protocol applied
  bool supports = true;
  Severity severity = Severity::kMild;
};

struct Finding {
  MuscleId muscle;
  Side side = Side::kBoth;
  State state = State::kTight;
  Severity severity = Severity::kMild;
  double confidence = 0;           // 0..1
  std::vector<Evidence> evidence;  // supporting first, then contradicting
  bool conflicting() const;
};

struct Asymmetry {
  std::string measure;   // "<section>.<test>", e.g. "strength.hip_abduction"
  bool capacity = true;  // strength, endurance, reach: LSI; else difference
  double lsi_percent = 0;
  std::optional<Side> weaker_side;
  double threshold_percent = 0;
  std::optional<Side> involved_side;
  std::optional<double> lsi_involved_percent;
  std::optional<double> difference;
  std::string unit;
  std::optional<Side> limited_side;
  std::optional<double> threshold;  // for differences
  std::optional<double> difference_cm;
  std::optional<double> composite_left, composite_right;
  std::string method;  // lsi | difference | mdc | any_difference
  std::string source;
  std::vector<std::string> inputs;
};

struct RatioResult {
  std::string name;
  std::string name_text;
  Side side = Side::kBoth;
  double value = 0;
  std::optional<double> normal_min, normal_max;
  std::string method;
  std::string method_text;
  bool default_method = false;
  std::string source;
  std::string flag;  // low | high | normal
  std::vector<std::string> inputs;
};

struct PatternResult {
  std::string id;
  std::string name;
  double confidence = 0;
  std::vector<std::string> matched;  // muscle ids and signs present
  std::string source;
};

struct Referral {
  std::string reason;  // red_flag | severe_pain | screening
  std::string region;  // empty for a screening item
  std::string flag;    // red flag, cluster or screening id
  bool systemic = false;
  kb::Urgency urgency = kb::Urgency::kSoon;
  std::string detail;
  std::string input;
  std::string source;
};

// What the program must respect, derived from pain, red flags and screening.
struct Restrictions {
  bool stop_all = false;
  std::vector<std::string> stopped_regions;       // regional red flags, severe pain
  std::vector<std::pair<std::string, int>> pain;  // region, worst intensity
  std::vector<std::string> screening;             // active screening ids
  std::map<std::string, std::string> screening_values;  // their parameters (surgery_region -> knee)
  // Tags never prescribed to this client, with why (sport profiles).
  std::vector<std::pair<std::string, std::string>> excluded_tags;
  std::vector<std::string> equipment;  // from the intake's preferences
  std::optional<int> age;              // the client's, for dosing
  std::optional<double> lowest_mmt;    // the lowest manual muscle test grade given
};

struct ScreenSummary {
  int fms_total = 0;
  bool complete = false;
  int cutoff = 0;  // the knowledge base's (data/movement.json)
  bool at_or_below_cutoff = false;
  std::string source;
};

struct Assessment {
  std::string kb_version;
  std::vector<Finding> findings;
  std::vector<Asymmetry> asymmetries;
  std::vector<RatioResult> ratios;
  std::vector<PatternResult> patterns;
  std::vector<Referral> referrals;
  std::optional<ScreenSummary> movement_screen;
  Restrictions restrictions;
  bool lifestyle_only = false;  // no measured or observed evidence at all
};

// Which finding: muscle, side and state.
struct FindingKey {
  MuscleId muscle;
  Side side = Side::kBoth;
  State state = State::kTight;
};

// A practitioner's review: findings dismissed, findings added (each added
// one carries a single evidence entry with rule "practitioner" and the note).
struct Review {
  std::vector<FindingKey> dismissed;
  std::vector<Finding> added;
};

// The assessment as confirmed: dismissed findings leave (a `both` finding is
// dismissed by `both`), added findings join or replace the computed one for
// the same muscle, side and state. Patterns are left as computed.
Assessment apply_review(Assessment a, const Review& review);

// REQUIRES: `in` was produced by intake::parse against the same `kb`.
// Deterministic; an intake with no sections gives an empty assessment.
Assessment assess(const kb::KnowledgeBase& kb, const intake::Intake& in);

}  // namespace rebalance::assess
