// Re-assessment: an assessment compared with an earlier one of the same
// client. Measured changes are judged against each test's minimal detectable
// change (knowledge base, with its source), so that noise is not called
// progress. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "assess/assess.h"
#include "intake/intake.h"
#include "kb/kb.h"

namespace rebalance::track {

// What became of a finding: gone, less severe, the same, more severe, or new.
enum class FindingChange { kResolved, kImproved, kUnchanged, kWorse, kNew };
std::string_view to_string(FindingChange change);

struct FindingDelta {
  MuscleId muscle;
  Side side = Side::kBoth;
  State state = State::kTight;
  std::optional<Severity> before, after;  // none: absent then or now
  FindingChange change = FindingChange::kUnchanged;
};

// A measured change: better or worse beyond the minimal detectable change,
// within it (noise), or not judged (the test has no published MDC in this
// unit).
enum class Verdict { kImproved, kWorse, kWithinError, kNotJudged };
std::string_view to_string(Verdict verdict);

struct MeasureDelta {
  std::string measure;  // "<section>.<test>", as in asymmetries
  Side side = Side::kBoth;
  std::string unit;                                     // deg, cm, s, N, Nm, grade, or "result" for special tests
  std::optional<double> before, after, delta;           // numbers
  std::optional<bool> before_positive, after_positive;  // special tests
  bool higher_is_better = true;                         // from the test's normal range (min: higher; max only: lower)
  std::optional<double> mdc;                            // in `unit`
  std::string mdc_source;
  Verdict verdict = Verdict::kNotJudged;
};

struct AsymmetryDelta {
  std::string measure;
  std::optional<double> before_lsi, after_lsi;  // none: not past its cutoff then or now
  std::optional<double> before_difference, after_difference;
  std::string unit;
  FindingChange change = FindingChange::kUnchanged;  // resolved, new, improved, worse, unchanged
  // Real only when a side's own change exceeds the test's MDC; then improved
  // when closer to symmetry, else worse.
  Verdict verdict = Verdict::kNotJudged;
};

struct RatioDelta {
  std::string name;
  Side side = Side::kBoth;
  double before = 0, after = 0, delta = 0;
  std::optional<double> normal_min, normal_max;
  std::string before_flag, after_flag;  // low | high | normal
  // Real only when the numerator's or denominator's own change exceeds its
  // test's MDC; then improved when closer to the normal range, else worse.
  Verdict verdict = Verdict::kNotJudged;
};

struct Comparison {
  std::vector<FindingDelta> findings;  // before's order, then new ones
  std::vector<MeasureDelta> measures;  // measured in both, in the later intake's order
  std::vector<AsymmetryDelta> asymmetries;
  std::vector<RatioDelta> ratios;                                       // computed in both
  int resolved = 0, improved = 0, unchanged = 0, worse = 0, added = 0;  // findings
};

// Compares two assessments (and the intakes they came from). Measurements
// are paired by section, test, side, measure kind, position and method; a
// numeric change counts only when |delta| exceeds the test's MDC in the same
// unit. A special test turning negative is an improvement, positive a
// worsening (no MDC applies to a categorical result).
Comparison compare(const kb::KnowledgeBase& kb, const intake::Intake& before_intake, const assess::Assessment& before,
                   const intake::Intake& after_intake, const assess::Assessment& after);

}  // namespace rebalance::track
