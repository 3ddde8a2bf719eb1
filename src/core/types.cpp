#include "core/types.h"

namespace rebalance {

std::string_view to_string(Side side) {
  switch (side) {
    case Side::kLeft:
      return "left";
    case Side::kRight:
      return "right";
    case Side::kBoth:
      return "both";
  }
  return "both";
}

std::string_view to_string(State state) { return state == State::kTight ? "tight" : "weak"; }

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::kMild:
      return "mild";
    case Severity::kModerate:
      return "moderate";
    case Severity::kSevere:
      return "severe";
  }
  return "mild";
}

std::string_view to_string(Phase phase) {
  switch (phase) {
    case Phase::kStretch:
      return "stretch";
    case Phase::kStrengthen:
      return "strengthen";
    case Phase::kFunctional:
      return "functional";
  }
  return "stretch";
}

std::string_view to_string(Sex sex) {
  switch (sex) {
    case Sex::kFemale:
      return "female";
    case Sex::kMale:
      return "male";
    case Sex::kOther:
      return "other";
    case Sex::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::optional<Side> parse_side(std::string_view text) {
  if (text == "left") return Side::kLeft;
  if (text == "right") return Side::kRight;
  if (text == "both") return Side::kBoth;
  return std::nullopt;
}

std::optional<State> parse_state(std::string_view text) {
  if (text == "tight") return State::kTight;
  if (text == "weak") return State::kWeak;
  return std::nullopt;
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "mild") return Severity::kMild;
  if (text == "moderate") return Severity::kModerate;
  if (text == "severe") return Severity::kSevere;
  return std::nullopt;
}

std::optional<Phase> parse_phase(std::string_view text) {
  if (text == "stretch") return Phase::kStretch;
  if (text == "strengthen") return Phase::kStrengthen;
  if (text == "functional") return Phase::kFunctional;
  return std::nullopt;
}

Side opposite(Side side) {
  if (side == Side::kLeft) return Side::kRight;
  if (side == Side::kRight) return Side::kLeft;
  return Side::kBoth;
}

std::string format_problem(const Problem& problem) {
  std::string out;
  if (!problem.file.empty()) out += problem.file + ": ";
  out += problem.path.empty() ? std::string("$") : problem.path;
  out += ": expected " + problem.expected + ", found " + problem.found;
  return out;
}

}  // namespace rebalance
