// The client intake (contract section 2, `rebalance.intake/1`) as validated
// engine values. Every entry keeps the JSON path it came from, so findings can
// point back at their evidence.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/types.h"
#include "core/units.h"
#include "kb/kb.h"

namespace rebalance::intake {

struct Client {
  std::string name;
  std::optional<int> age;
  Sex sex = Sex::kUnknown;
  std::optional<Side> dominant_side;
  std::optional<double> mass_kg;
  std::optional<double> height_cm;
};

struct Lifestyle {
  std::optional<double> sitting_hours_per_day;
  std::vector<std::string> activities;
  std::string path;  // "$.lifestyle"
};

struct Preferences {
  std::optional<int> days_per_week;
  std::optional<int> minutes_per_session;
  std::optional<int> weeks;
  std::vector<std::string> equipment;  // "none" removed
  std::optional<Date> start_date;
  std::vector<int> days;  // weekdays 0 = Monday, sorted, unique
  std::string timezone;
};

struct Pain {
  std::string region;
  Side side = Side::kBoth;
  int intensity = 0;
  std::vector<std::string> red_flags;
  std::string path;
};

struct RomEntry {
  TestId test;
  Side side = Side::kBoth;
  std::optional<double> degrees;
  std::optional<double> cm;
  std::optional<bool> positive;  // result
  std::string position;          // empty: the test's default applies
  std::string path;
};

struct StrengthEntry {
  TestId test;
  Side side = Side::kBoth;
  double value = 0;  // as given
  StrengthUnit unit = StrengthUnit::kNewton;
  double canonical = 0;  // N, Nm or grade
  std::string method;    // empty: the test's default applies
  std::string path;
};

struct EnduranceEntry {
  TestId test;
  Side side = Side::kBoth;
  double seconds = 0;
  std::string path;
};

struct PostureEntry {
  std::string key;
  std::optional<bool> flag;
  std::optional<double> number;
  std::optional<Side> side;
  std::string path;
};

// An observed compensation or sign and the sides it was seen on.
struct MovementEntry {
  std::string key;
  bool left = false;
  bool right = false;
  std::string path;
};

struct FmsEntry {
  std::string test;
  std::optional<int> score;  // unilateral tests: the one score
  std::optional<int> left, right;
  std::string path;
};

struct YBalanceSide {
  double anterior = 0, posteromedial = 0, posterolateral = 0;
};

struct YBalance {
  YBalanceSide left, right;
  std::optional<double> limb_length_cm;
  std::string path;
};

// The intake's `screening`: the items answered yes (knowledge-base ids, in
// the knowledge base's order) and the values of their parameters (such as
// the operated region of `recent_surgery`).
struct Screening {
  std::vector<std::string> active;
  std::map<std::string, std::string> values;
  std::string path;
  bool has(std::string_view id) const;
};

struct Intake {
  std::optional<Date> assessed_on;
  std::string assessor;
  Client client;
  Lifestyle lifestyle;
  Preferences preferences;
  std::vector<Pain> pain;
  std::vector<PostureEntry> posture;
  std::vector<RomEntry> rom;
  std::vector<StrengthEntry> strength;
  std::vector<EnduranceEntry> endurance;
  std::vector<MovementEntry> overhead_squat;
  std::vector<MovementEntry> single_leg_squat;
  std::vector<FmsEntry> fms;
  std::vector<std::string> fms_clearing_positive;  // clearing test ids with pain
  std::optional<YBalance> y_balance;
  Screening screening;
};

struct ParseResult {
  std::optional<Intake> intake;
  std::vector<Problem> problems;  // empty when intake is set
  // With `intake`: the document as validated, re-serialised (every field the
  // validator read, nothing else): what a service stores. Parsing it again
  // gives the same intake, paths included.
  std::string canonical;
  // With `intake`: the JSON paths of the fields it ignored (unknown fields,
  // which the contract lets a reader ignore), left out of `canonical`.
  std::vector<std::string> ignored;
};

// Parses and validates an intake document under the untrusted-JSON policy
// (at most 16 MiB, nesting at most 32 levels, no repeated keys). Never throws
// on bad input: every problem found in one pass is returned, each with
// `file` = `file_name`.
ParseResult parse(std::string_view text, const kb::KnowledgeBase& kb, const std::string& file_name);

}  // namespace rebalance::intake
