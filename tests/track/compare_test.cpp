#include "track/compare.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_support.h"

namespace rebalance {
namespace {

using rebalance::testing::intake_from;
using rebalance::testing::knowledge_base;

struct Pair {
  intake::Intake in;
  assess::Assessment a;
};

Pair assessed(const std::string& body) {
  Pair p{intake_from(R"({"schema": "rebalance.intake/1", )" + body + "}"), {}};
  p.a = assess::assess(knowledge_base(), p.in);
  return p;
}

const track::MeasureDelta& measure(const track::Comparison& c, const std::string& name, Side side) {
  const auto it =
      std::find_if(c.measures.begin(), c.measures.end(), [&](const auto& m) { return m.measure == name && m.side == side; });
  if (it == c.measures.end()) throw std::runtime_error("no measure " + name);
  return *it;
}

const track::FindingDelta* finding(const track::Comparison& c, const std::string& muscle, Side side, State state) {
  const auto it = std::find_if(c.findings.begin(), c.findings.end(),
                               [&](const auto& f) { return f.muscle.str() == muscle && f.side == side && f.state == state; });
  return it == c.findings.end() ? nullptr : &*it;
}

TEST(Reassessment, ChangesInsideTheMinimalDetectableChangeAreNoise) {
  // Straight-leg raise: MDC 7 degrees in the knowledge base.
  const auto before = assessed(R"("rom": [{"test": "straight_leg_raise", "side": "left", "degrees": 60},
                                          {"test": "straight_leg_raise", "side": "right", "degrees": 60}])");
  const auto after = assessed(R"("rom": [{"test": "straight_leg_raise", "side": "left", "degrees": 66},
                                         {"test": "straight_leg_raise", "side": "right", "degrees": 70}])");
  const auto c = track::compare(knowledge_base(), before.in, before.a, after.in, after.a);
  const auto& left = measure(c, "rom.straight_leg_raise", Side::kLeft);
  EXPECT_DOUBLE_EQ(*left.delta, 6);
  EXPECT_DOUBLE_EQ(*left.mdc, 7);
  EXPECT_EQ(left.verdict, track::Verdict::kWithinError) << "6 degrees is inside the 7-degree MDC";
  EXPECT_FALSE(left.mdc_source.empty());
  const auto& right = measure(c, "rom.straight_leg_raise", Side::kRight);
  EXPECT_EQ(right.verdict, track::Verdict::kImproved) << "10 degrees is beyond it";
}

TEST(Reassessment, LessIsBetterWhereTheNormIsAMaximumAndUnpublishedErrorIsNotJudged) {
  const auto before = assessed(R"("rom": [{"test": "active_knee_extension", "side": "left", "degrees": 20},
                                          {"test": "pectoralis_minor_length", "side": "left", "cm": 3.4}])");
  const auto after = assessed(R"("rom": [{"test": "active_knee_extension", "side": "left", "degrees": 35},
                                         {"test": "pectoralis_minor_length", "side": "left", "cm": 2.4}])");
  const auto c = track::compare(knowledge_base(), before.in, before.a, after.in, after.a);
  const auto& ake = measure(c, "rom.active_knee_extension", Side::kLeft);
  EXPECT_FALSE(ake.higher_is_better);
  EXPECT_EQ(ake.verdict, track::Verdict::kWorse) << "a larger knee-extension lag, beyond the 8-degree MDC";
  const auto& pec = measure(c, "rom.pectoralis_minor_length", Side::kLeft);
  EXPECT_EQ(pec.verdict, track::Verdict::kNotJudged) << "no published MDC for this test";
  EXPECT_FALSE(pec.mdc);
}

TEST(Reassessment, FindingsAreResolvedImprovedOrNew) {
  const auto before = assessed(R"("rom": [{"test": "thomas_test", "side": "left", "result": "positive"}],
                                  "endurance": [{"test": "side_plank", "side": "left", "seconds": 20},
                                                {"test": "side_plank", "side": "right", "seconds": 60}])");
  const auto after = assessed(R"("rom": [{"test": "thomas_test", "side": "left", "result": "negative"},
                                         {"test": "ober_test", "side": "right", "result": "positive"}],
                                 "endurance": [{"test": "side_plank", "side": "left", "seconds": 60},
                                               {"test": "side_plank", "side": "right", "seconds": 62}])");
  const auto c = track::compare(knowledge_base(), before.in, before.a, after.in, after.a);
  const auto* iliopsoas = finding(c, "iliopsoas", Side::kLeft, State::kTight);
  ASSERT_NE(iliopsoas, nullptr);
  EXPECT_EQ(iliopsoas->change, track::FindingChange::kResolved);
  EXPECT_EQ(measure(c, "rom.thomas_test", Side::kLeft).verdict, track::Verdict::kImproved);
  EXPECT_GE(c.added, 1) << "the positive Ober test is new";
  EXPECT_EQ(measure(c, "endurance.side_plank", Side::kLeft).verdict, track::Verdict::kImproved) << "+40 s > MDC 30.4 s";
  EXPECT_EQ(measure(c, "endurance.side_plank", Side::kRight).verdict, track::Verdict::kWithinError);
  const auto asym =
      std::find_if(c.asymmetries.begin(), c.asymmetries.end(), [](const auto& a) { return a.measure == "endurance.side_plank"; });
  ASSERT_NE(asym, c.asymmetries.end());
  EXPECT_EQ(asym->change, track::FindingChange::kResolved) << "60 of 62 s (97 %) is back within the 95 % cutoff (McGill)";
  EXPECT_EQ(asym->verdict, track::Verdict::kImproved) << "the left side's +40 s is beyond its 30.4 s MDC";
  EXPECT_EQ(c.resolved + c.improved + c.unchanged + c.worse + c.added, static_cast<int>(c.findings.size()));
}

TEST(Reassessment, AFindingOnBothSidesCanResolveOnOneSide) {
  const auto before = assessed(R"("rom": [{"test": "thomas_test", "side": "left", "result": "positive"},
                                          {"test": "thomas_test", "side": "right", "result": "positive"}])");
  const auto after = assessed(R"("rom": [{"test": "thomas_test", "side": "left", "result": "positive"},
                                         {"test": "thomas_test", "side": "right", "result": "negative"}])");
  const auto c = track::compare(knowledge_base(), before.in, before.a, after.in, after.a);
  const auto* left = finding(c, "iliopsoas", Side::kLeft, State::kTight);
  const auto* right = finding(c, "iliopsoas", Side::kRight, State::kTight);
  ASSERT_NE(left, nullptr);
  ASSERT_NE(right, nullptr);
  EXPECT_EQ(left->change, track::FindingChange::kUnchanged);
  EXPECT_EQ(right->change, track::FindingChange::kResolved);
  EXPECT_EQ(c.added, 0) << "the left side is the same finding, not a new one";
  // Unchanged on both sides reads as one finding again.
  const auto same = track::compare(knowledge_base(), before.in, before.a, before.in, before.a);
  ASSERT_NE(finding(same, "iliopsoas", Side::kBoth, State::kTight), nullptr);
  EXPECT_EQ(same.unchanged, static_cast<int>(same.findings.size()));
}

TEST(Reassessment, AnAsymmetryThatMovesWithinTheMeasurementErrorIsNoise) {
  // The side plank's sides differ only beyond its MDC (30.4 s).
  const auto before = assessed(R"("endurance": [{"test": "side_plank", "side": "left", "seconds": 20},
                                                {"test": "side_plank", "side": "right", "seconds": 80}])");
  const auto after = assessed(R"("endurance": [{"test": "side_plank", "side": "left", "seconds": 30},
                                               {"test": "side_plank", "side": "right", "seconds": 75}])");
  const auto c = track::compare(knowledge_base(), before.in, before.a, after.in, after.a);
  ASSERT_EQ(c.asymmetries.size(), 1u);
  EXPECT_EQ(c.asymmetries[0].change, track::FindingChange::kImproved) << "30 of 75 s is closer to symmetry than 20 of 80";
  EXPECT_EQ(c.asymmetries[0].verdict, track::Verdict::kWithinError) << "but +10 s and -5 s are inside the 30.4 s MDC";
}

}  // namespace
}  // namespace rebalance
