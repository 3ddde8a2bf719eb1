#include "core/units.h"

namespace rebalance {

std::optional<StrengthUnit> parse_strength_unit(std::string_view text) {
  if (text == "N") return StrengthUnit::kNewton;
  if (text == "kg") return StrengthUnit::kKilogram;
  if (text == "lb") return StrengthUnit::kPound;
  if (text == "Nm") return StrengthUnit::kNewtonMetre;
  if (text == "mmt") return StrengthUnit::kMmt;
  return std::nullopt;
}

std::string_view to_string(StrengthUnit unit) {
  switch (unit) {
    case StrengthUnit::kNewton:
      return "N";
    case StrengthUnit::kKilogram:
      return "kg";
    case StrengthUnit::kPound:
      return "lb";
    case StrengthUnit::kNewtonMetre:
      return "Nm";
    case StrengthUnit::kMmt:
      return "mmt";
  }
  return "N";
}

StrengthKind kind_of(StrengthUnit unit) {
  switch (unit) {
    case StrengthUnit::kNewtonMetre:
      return StrengthKind::kTorque;
    case StrengthUnit::kMmt:
      return StrengthKind::kMmt;
    default:
      return StrengthKind::kForce;
  }
}

std::string_view to_string(StrengthKind kind) {
  switch (kind) {
    case StrengthKind::kForce:
      return "force";
    case StrengthKind::kTorque:
      return "torque";
    case StrengthKind::kMmt:
      return "mmt";
  }
  return "force";
}

double to_canonical(double value, StrengthUnit unit) {
  constexpr double kStandardGravity = 9.80665;
  constexpr double kNewtonsPerPoundForce = 4.4482216152605;
  switch (unit) {
    case StrengthUnit::kKilogram:
      return value * kStandardGravity;
    case StrengthUnit::kPound:
      return value * kNewtonsPerPoundForce;
    default:
      return value;
  }
}

}  // namespace rebalance
