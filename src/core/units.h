// Unit conversion for strength measurements. Forces are compared in newtons,
// torques in newton-metres; manual muscle test grades are not physical units
// and never convert.
#pragma once

#include <optional>
#include <string_view>

namespace rebalance {

enum class StrengthUnit { kNewton, kKilogram, kPound, kNewtonMetre, kMmt };

// What a unit measures: force (N, kg, lb), torque (Nm) or a manual grade.
enum class StrengthKind { kForce, kTorque, kMmt };

std::optional<StrengthUnit> parse_strength_unit(std::string_view text);
std::string_view to_string(StrengthUnit unit);
StrengthKind kind_of(StrengthUnit unit);
std::string_view to_string(StrengthKind kind);  // "force", "torque", "mmt"

// Converts to the kind's canonical unit: kg-force and lb-force to newtons
// (standard gravity 9.80665 m/s^2; 1 lbf = 4.4482216152605 N); N, Nm and mmt
// grades are returned unchanged.
double to_canonical(double value, StrengthUnit unit);

}  // namespace rebalance
