// Every bad-input path of contract section 1-2: one problem per thing wrong,
// each naming the file and the JSON path.
#include "intake/intake.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace rebalance {
namespace {

using rebalance::testing::knowledge_base;

std::vector<std::string> problems_of(const std::string& json) {
  auto r = intake::parse(json, knowledge_base(), "intake.json");
  std::vector<std::string> out;
  for (const auto& p : r.problems) out.push_back(format_problem(p));
  EXPECT_EQ(r.intake.has_value(), out.empty());
  return out;
}

std::string with(const std::string& body) { return R"({"schema": "rebalance.intake/1", )" + body + "}"; }

void expect_problem(const std::string& json, const std::string& path_and_text) {
  const auto lines = problems_of(json);
  bool found = false;
  for (const auto& l : lines) found = found || l.find(path_and_text) != std::string::npos;
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  EXPECT_TRUE(found) << "wanted: " << path_and_text << "\ngot:\n" << all;
}

TEST(Intake, OnlySchemaIsRequired) { EXPECT_TRUE(problems_of(R"({"schema": "rebalance.intake/1"})").empty()); }

TEST(Intake, MessagesFollowTheContractFormat) {
  expect_problem(with(R"("rom": [{}, {}, {"test": "hip_extension", "side": "left", "degrees": "abc"}])"),
                 "intake.json: $.rom[2].degrees: expected a number of degrees (-90 to 200), found \"abc\"");
}

TEST(Intake, MissingOrWrongSchemaIsBadInput) {
  expect_problem("{}", "intake.json: $.schema: expected \"rebalance.intake/1\", found nothing");
  expect_problem(R"({"schema": "rebalance.intake/2"})",
                 "$.schema: expected \"rebalance.intake/1\", found \"rebalance.intake/2\"");
}

TEST(Intake, NotJsonGivesLineAndColumn) {
  expect_problem("{\n  \"schema\": ,\n}", "intake.json: $: expected valid JSON, found a syntax error at line 2");
  expect_problem("", "$: expected valid JSON");
  expect_problem("[1, 2]", "$: expected an object, found an array");
}

TEST(Intake, HugeNumbersAreBadInputNotACrash) {
  // Found by the fuzzer: nlohmann throws out_of_range for 8e888882.
  expect_problem(R"({"schema": "rebalance.intake/1", "client": {"age": 8e888882}})", "intake.json: $: expected valid JSON");
}

TEST(Intake, AbsurdNestingIsRefusedWithoutParsing) {
  expect_problem(std::string(100000, '[') + std::string(100000, ']'), "nested at most");
}

TEST(Intake, EveryProblemIsReportedInOnePass) {
  const auto lines = problems_of(with(R"("client": {"age": 0, "sex": "f"}, "pain": [{"region": "back", "intensity": 11}])"));
  EXPECT_EQ(lines.size(), 4u);
}

TEST(Intake, RangesAreEnforced) {
  expect_problem(with(R"("client": {"age": 121})"), "$.client.age: expected an age in whole years 1-120, found 121");
  expect_problem(with(R"("client": {"age": 40.5})"), "$.client.age");
  expect_problem(with(R"("lifestyle": {"sitting_hours_per_day": 25})"), "$.lifestyle.sitting_hours_per_day");
  expect_problem(with(R"("pain": [{"region": "knee", "intensity": 11}])"),
                 "$.pain[0].intensity: expected a whole number 0-10, found 11");
  expect_problem(with(R"("rom": [{"test": "straight_leg_raise", "side": "left", "degrees": 201}])"), "$.rom[0].degrees");
  expect_problem(with(R"("rom": [{"test": "weight_bearing_lunge", "side": "left", "cm": -1}])"), "$.rom[0].cm");
  expect_problem(with(R"("endurance": [{"test": "biering_sorensen", "seconds": 3601}])"), "$.endurance[0].seconds");
  expect_problem(with(R"("strength": [{"test": "grip", "side": "left", "value": 0, "unit": "N"}])"),
                 "$.strength[0].value: expected a positive number");
  expect_problem(with(R"("strength": [{"test": "hip_abduction", "side": "left", "value": 4.3, "unit": "mmt"}])"), "steps of 0.5");
  expect_problem(with(R"("strength": [{"test": "hip_abduction", "side": "left", "value": 6, "unit": "mmt"}])"),
                 "$.strength[0].value");
  expect_problem(with(R"("movement": {"fms": {"deep_squat": 4}})"), "$.movement.fms.deep_squat: expected a score 0-3, found 4");
  expect_problem(with(R"("preferences": {"days_per_week": 8})"), "$.preferences.days_per_week");
  expect_problem(with(R"("preferences": {"minutes_per_session": 4})"), "$.preferences.minutes_per_session");
  expect_problem(with(R"("preferences": {"weeks": 53})"), "$.preferences.weeks");
}

TEST(Intake, UnknownVocabularyIsBadInput) {
  expect_problem(with(R"("rom": [{"test": "hip_extention", "side": "left", "degrees": 5}])"),
                 "$.rom[0].test: expected a rom test id");
  expect_problem(with(R"("rom": [{"test": "hip_extension", "side": "up", "degrees": 5}])"), "$.rom[0].side");
  expect_problem(with(R"("pain": [{"region": "back", "intensity": 3}])"), "$.pain[0].region: expected a pain region");
  expect_problem(with(R"("pain": [{"region": "knee", "intensity": 3, "red_flags": ["dizzy"]}])"), "$.pain[0].red_flags[0]");
  expect_problem(with(R"("lifestyle": {"activities": ["knitting"]})"), "$.lifestyle.activities[0]");
  expect_problem(with(R"("preferences": {"equipment": ["trampoline"]})"), "$.preferences.equipment[0]");
  expect_problem(with(R"("strength": [{"test": "grip", "side": "left", "value": 30, "unit": "lbs"}])"), "$.strength[0].unit");
  expect_problem(with(R"("preferences": {"days": ["monday"]})"), "$.preferences.days[0]");
}

TEST(Intake, MisspeltObservationKeysAreBadInput) {
  expect_problem(with(R"("posture": {"foward_head": true})"), "$.posture.foward_head: expected a posture observation");
  expect_problem(with(R"("movement": {"overhead_squat": {"knees_cave_in": true}})"), "$.movement.overhead_squat.knees_cave_in");
  expect_problem(with(R"("movement": {"single_leg_squat": {"hip_drop": ["left"]}})"), "$.movement.single_leg_squat.hip_drop");
  expect_problem(with(R"("movement": {"fms": {"deep_squats": 2}})"), "$.movement.fms.deep_squats");
  expect_problem(
      with(
          R"("movement": {"y_balance": {"left": {"anterior": 1, "posteromedial": 1, "posterolateral": 1}, "right": {"anterior": 1, "posteromedial": 1, "posterolateral": 1}, "limb": 90}})"),
      "$.movement.y_balance.limb");
  expect_problem(with(R"("screening": {"pregnancy": true})"), "$.screening.pregnancy");
}

TEST(Intake, UnknownFieldsElsewhereAreIgnored) {
  EXPECT_TRUE(problems_of(with(R"("client": {"name": "A", "favourite_colour": "blue"}, "notes": "x")")).empty());
}

TEST(Intake, MeasurementFormMustBeOneTheTestHas) {
  expect_problem(with(R"("rom": [{"test": "hip_extension", "side": "left", "cm": 5}])"),
                 "$.rom[0].cm: expected degrees (hip_extension is not measured in cm)");
  expect_problem(with(R"("rom": [{"test": "hip_extension", "side": "left"}])"), "$.rom[0]: expected a measurement");
  expect_problem(with(R"("rom": [{"test": "weight_bearing_lunge", "side": "left", "degrees": 30}])"), "$.rom[0].degrees");
  EXPECT_TRUE(
      problems_of(with(R"("rom": [{"test": "thomas_test", "side": "left", "result": "positive", "degrees": 5}])")).empty());
}

TEST(Intake, SidedTestsNeedASide) {
  expect_problem(with(R"("rom": [{"test": "straight_leg_raise", "degrees": 60}])"),
                 "$.rom[0].side: expected \"left\", \"right\" or \"both\", found nothing");
  expect_problem(with(R"("endurance": [{"test": "biering_sorensen", "side": "left", "seconds": 60}])"), "$.endurance[0].side");
  EXPECT_TRUE(problems_of(with(R"("endurance": [{"test": "biering_sorensen", "side": "both", "seconds": 60}])")).empty());
}

TEST(Intake, PainDefaultsToBothSidesAndNoFlags) {
  auto in = rebalance::testing::intake_from(with(R"("pain": [{"region": "hip", "intensity": 2}])"));
  ASSERT_EQ(in.pain.size(), 1u);
  EXPECT_EQ(in.pain[0].side, Side::kBoth);
  EXPECT_TRUE(in.pain[0].red_flags.empty());
}

TEST(Intake, StrengthUnitsAreConverted) {
  auto in = rebalance::testing::intake_from(
      with(R"("strength": [{"test": "hip_abduction", "side": "left", "value": 20, "unit": "kg"}])"));
  ASSERT_EQ(in.strength.size(), 1u);
  EXPECT_NEAR(in.strength[0].canonical, 196.133, 1e-3);
}

TEST(Intake, ProtocolMustBeKnownToTheTest) {
  expect_problem(
      with(R"("rom": [{"test": "shoulder_internal_rotation", "side": "left", "degrees": 50, "position": "sideways"}])"),
      "$.rom[0].position");
  expect_problem(with(R"("strength": [{"test": "grip", "side": "left", "value": 30, "unit": "kg", "method": "eyeballed"}])"),
                 "$.strength[0].method");
}

TEST(Intake, SidedPostureMeasureNeedsItsSide) {
  expect_problem(with(R"("posture": {"shoulder_height_diff_cm": 2})"), "$.posture.higher_shoulder");
  expect_problem(with(R"("posture": {"higher_shoulder": "both"})"), "$.posture.higher_shoulder");
  expect_problem(with(R"("posture": {"forward_head": "yes"})"), "$.posture.forward_head: expected true or false");
}

TEST(Intake, DatesAndDaysAreChecked) {
  expect_problem(with(R"("preferences": {"start_date": "2026-02-30"})"), "$.preferences.start_date: expected a date YYYY-MM-DD");
  expect_problem(with(R"("assessed_on": "yesterday")"), "$.assessed_on");
  expect_problem(with(R"("preferences": {"days_per_week": 2, "days": ["mon", "wed", "fri"]})"), "$.preferences.days");
  expect_problem(with(R"("preferences": {"days": ["mon", "mon"]})"), "$.preferences.days[1]");
}

TEST(Intake, RecentSurgeryNeedsItsRegion) {
  expect_problem(with(R"("screening": {"recent_surgery": true})"), "$.screening.surgery_region");
  EXPECT_TRUE(problems_of(with(R"("screening": {"recent_surgery": true, "surgery_region": "knee"})")).empty());
}

TEST(Intake, FmsBilateralTestsNeedBothSides) {
  expect_problem(with(R"("movement": {"fms": {"hurdle_step": 2}})"), "$.movement.fms.hurdle_step: expected an object");
  expect_problem(with(R"("movement": {"fms": {"hurdle_step": {"left": 2}}})"), "$.movement.fms.hurdle_step.right");
  expect_problem(with(R"("movement": {"fms": {"shoulder_clearing": 1}})"), "$.movement.fms.shoulder_clearing");
}

TEST(Intake, OverheadSquatTrueMeansBothSides) {
  auto in = rebalance::testing::intake_from(
      with(R"("movement": {"overhead_squat": {"knees_move_inward": true, "feet_turn_out": ["left"]}})"));
  ASSERT_EQ(in.overhead_squat.size(), 2u);
  for (const auto& e : in.overhead_squat) {
    if (e.key == "knees_move_inward") {
      EXPECT_TRUE(e.left && e.right);
    }
    if (e.key == "feet_turn_out") {
      EXPECT_TRUE(e.left && !e.right);
    }
  }
}

}  // namespace
}  // namespace rebalance
