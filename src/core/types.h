// Small shared value types of the Rebalance engine: sides, states, severities,
// phases, strong ids and the Problem record that reports bad input.
#pragma once

#include <compare>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rebalance {

// A body side as the contract spells it. `kBoth` is used for bilateral
// observations, midline muscles and findings present on both sides alike.
enum class Side { kLeft, kRight, kBoth };

// A finding's state: `kTight` (overactive, shortened) or `kWeak` (underactive).
enum class State { kTight, kWeak };

// Ordered: a larger value is worse.
enum class Severity { kMild = 1, kModerate = 2, kSevere = 3 };

// Exercise phases in the order they appear within a session.
enum class Phase { kStretch = 0, kStrengthen = 1, kFunctional = 2 };

enum class Sex { kUnknown, kFemale, kMale, kOther };

std::string_view to_string(Side side);
std::string_view to_string(State state);
std::string_view to_string(Severity severity);
std::string_view to_string(Phase phase);
std::string_view to_string(Sex sex);

std::optional<Side> parse_side(std::string_view text);
std::optional<State> parse_state(std::string_view text);
std::optional<Severity> parse_severity(std::string_view text);
std::optional<Phase> parse_phase(std::string_view text);

// The other side; `kBoth` stays `kBoth`.
Side opposite(Side side);

// A string id that cannot be mixed up with an id of another kind.
template <class Tag>
class Id {
 public:
  Id() = default;
  explicit Id(std::string value) : value_(std::move(value)) {}
  const std::string& str() const { return value_; }
  bool empty() const { return value_.empty(); }
  auto operator<=>(const Id&) const = default;
  bool operator==(const Id&) const = default;

 private:
  std::string value_;
};

using MuscleId = Id<struct MuscleTag>;
using ExerciseId = Id<struct ExerciseTag>;
using TestId = Id<struct TestTag>;

// One thing wrong with an input, found during validation. `file` is filled in
// by whoever knows the file name; `path` is a JSON path such as
// `$.rom[2].degrees`. Rendered as `FILE: PATH: expected EXPECTED, found FOUND`.
struct Problem {
  std::string file;
  std::string path;
  std::string expected;
  std::string found;
};

std::string format_problem(const Problem& problem);

// Thrown by loaders when input is invalid; carries every problem found.
struct InputError {
  std::vector<Problem> problems;
};

}  // namespace rebalance

template <class Tag>
struct std::hash<rebalance::Id<Tag>> {
  size_t operator()(const rebalance::Id<Tag>& id) const noexcept { return std::hash<std::string>{}(id.str()); }
};
