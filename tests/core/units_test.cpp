#include "core/units.h"

#include <gtest/gtest.h>

namespace rebalance {
namespace {

TEST(Units, KilogramsAndPoundsBecomeNewtons) {
  EXPECT_NEAR(to_canonical(10, StrengthUnit::kKilogram), 98.0665, 1e-9);
  EXPECT_NEAR(to_canonical(10, StrengthUnit::kPound), 44.482216152605, 1e-9);
  EXPECT_DOUBLE_EQ(to_canonical(180, StrengthUnit::kNewton), 180);
}

TEST(Units, TorqueAndGradesAreNotConverted) {
  EXPECT_DOUBLE_EQ(to_canonical(95, StrengthUnit::kNewtonMetre), 95);
  EXPECT_DOUBLE_EQ(to_canonical(4.5, StrengthUnit::kMmt), 4.5);
  EXPECT_EQ(kind_of(StrengthUnit::kNewtonMetre), StrengthKind::kTorque);
  EXPECT_EQ(kind_of(StrengthUnit::kPound), StrengthKind::kForce);
  EXPECT_EQ(kind_of(StrengthUnit::kMmt), StrengthKind::kMmt);
}

TEST(Units, UnknownUnitsAreRejected) {
  EXPECT_FALSE(parse_strength_unit("lbs"));
  EXPECT_FALSE(parse_strength_unit("n"));
  EXPECT_TRUE(parse_strength_unit("Nm"));
}

}  // namespace
}  // namespace rebalance
