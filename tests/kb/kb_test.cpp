#include "kb/kb.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "test_support.h"

namespace rebalance {
namespace {

namespace fs = std::filesystem;
using rebalance::testing::knowledge_base;

TEST(KnowledgeBase, LoadsAndHasEveryContractMuscle) {
  const auto& kb = knowledge_base();
  for (const char* id : {"iliopsoas",
                         "rectus_femoris",
                         "tensor_fasciae_latae",
                         "gluteus_maximus",
                         "gluteus_medius",
                         "gluteus_minimus",
                         "biceps_femoris",
                         "medial_hamstrings",
                         "vastus_medialis",
                         "vastus_lateralis",
                         "adductor_complex",
                         "piriformis",
                         "gastrocnemius",
                         "soleus",
                         "tibialis_anterior",
                         "tibialis_posterior",
                         "peroneals",
                         "erector_spinae",
                         "quadratus_lumborum",
                         "rectus_abdominis",
                         "obliques",
                         "transverse_abdominis",
                         "pectoralis_major",
                         "pectoralis_minor",
                         "rhomboids",
                         "middle_trapezius",
                         "lower_trapezius",
                         "upper_trapezius",
                         "levator_scapulae",
                         "sternocleidomastoid",
                         "scalenes",
                         "suboccipitals",
                         "deep_neck_flexors",
                         "anterior_deltoid",
                         "posterior_deltoid",
                         "serratus_anterior",
                         "latissimus_dorsi",
                         "rotator_cuff_external",
                         "subscapularis"})
    EXPECT_NE(kb.muscle(MuscleId(id)), nullptr) << id;
  for (const char* id : {"hip_flexors", "glutes", "hamstrings", "quadriceps", "adductors", "hip_rotators", "calves", "shin",
                         "lower_back", "abdominals", "chest", "upper_back", "neck", "shoulder"})
    EXPECT_NE(kb.group(MuscleId(id)), nullptr) << id;
  EXPECT_TRUE(kb.covers(MuscleId("hip_flexors"), MuscleId("rectus_femoris")));
  EXPECT_TRUE(kb.covers(MuscleId("quadriceps"), MuscleId("hip_flexors")));  // rectus femoris is in both
  EXPECT_FALSE(kb.covers(MuscleId("glutes"), MuscleId("hamstrings")));
}

// The sets the planner tests many covers() with say what covers() says: an id
// covers another when they are the same or share a muscle, and an exercise's
// target set covers what one of its targets covers.
TEST(KnowledgeBase, MuscleSetsAgreeWithCoversForEveryPairOfIds) {
  const auto& kb = knowledge_base();
  std::vector<MuscleId> ids;
  for (const auto& m : kb.muscles) ids.push_back(m.id);
  for (const auto& g : kb.groups) ids.push_back(g.id);
  for (const auto& a : ids)
    for (const auto& b : ids) {
      const auto ma = kb.members(a), mb = kb.members(b);
      const bool shared = std::any_of(ma.begin(), ma.end(), [&](const MuscleId& m) {
        return std::find(mb.begin(), mb.end(), m) != mb.end();
      });
      EXPECT_EQ(kb.covers(a, b), a == b || shared) << a.str() << " " << b.str();
      EXPECT_EQ(kb.muscle_set(a).intersects(kb.muscle_set(b)), kb.covers(a, b)) << a.str() << " " << b.str();
    }
  for (const auto& e : kb.exercises)
    for (const auto& m : ids)
      for (bool secondary : {false, true}) {
        const auto& targets = secondary ? e.secondary : e.primary;
        const bool any = std::any_of(targets.begin(), targets.end(), [&](const MuscleId& t) { return kb.covers(t, m); });
        EXPECT_EQ(kb.targets(e, secondary).intersects(kb.muscle_set(m)), any) << e.id.str() << " " << m.str();
      }
}

TEST(KnowledgeBase, HasAtLeastEightyExercisesCoveringEveryMuscle) {
  const auto& kb = knowledge_base();
  EXPECT_GE(kb.exercises.size(), 80u);
  for (const auto& m : kb.muscles) {
    bool targeted = false;
    for (const auto& e : kb.exercises)
      if (e.phase != Phase::kFunctional)
        for (const auto& t : e.primary)
          if (kb.covers(t, m.id)) targeted = true;
    EXPECT_TRUE(targeted) << m.id.str() << " is no stretch or strengthening target";
  }
  int functional = 0;
  for (const auto& e : kb.exercises) functional += e.phase == Phase::kFunctional;
  EXPECT_GE(functional, 3);
}

// Every (muscle, state) a rule of the knowledge base can produce has an
// exercise of the right phase targeting it first, and one easy enough for a
// client who must start easy: no finding is left that no exercise treats.
TEST(KnowledgeBase, EveryFindingTheRulesCanProduceHasAnEasyExercise) {
  const auto& kb = knowledge_base();
  std::set<std::pair<std::string, State>> producible;
  // A finding names the muscle or group the rule names.
  auto add = [&](const std::vector<kb::Implication>& list) {
    for (const auto& im : list) producible.insert({im.muscle.str(), im.state});
  };
  for (const auto& t : kb.tests) {
    add(t.muscles);
    for (const auto& r : t.rules) add(r.implies);
  }
  for (const auto& o : kb.posture) add(o.implies);
  for (const auto& a : kb.activities) add(a.implies);
  add(kb.sitting.implies);
  for (const auto* list : {&kb.movement.overhead_squat, &kb.movement.single_leg_squat, &kb.movement.fms_tests})
    for (const auto& o : *list) add(o.implies);
  add(kb.movement.y_balance.implies_anterior_deficit);
  add(kb.movement.y_balance.implies_low_composite);
  for (const auto& r : kb.ratios) {
    add(r.implies_below);
    add(r.implies_above);
  }
  for (const auto& sp : kb.sport_profiles)
    if (sp.shoulder_rotation) add(sp.shoulder_rotation->implies);
  for (const auto& co : kb.planning.co_prescriptions) add(co.adds);
  ASSERT_GT(producible.size(), 30u);
  for (const auto& [muscle, state] : producible) {
    const Phase phase = state == State::kTight ? Phase::kStretch : Phase::kStrengthen;
    bool any = false, easy = false;
    for (const auto& e : kb.exercises)
      if (e.phase == phase)
        for (const auto& t : e.primary)
          if (kb.covers(t, MuscleId(muscle))) {
            any = true;
            easy = easy || e.difficulty <= kb.planning.start_easy_max_difficulty;
          }
    EXPECT_TRUE(any) << to_string(state) << " " << muscle << " can be found but no exercise treats it";
    EXPECT_TRUE(easy) << to_string(state) << " " << muscle << " has no exercise a client who starts easy may do";
  }
}

TEST(KnowledgeBase, EveryExerciseAboveDifficultyThreeHasARegressionPath) {
  const auto& kb = knowledge_base();
  for (const auto& e : kb.exercises) {
    if (e.difficulty <= 3) continue;
    // Follow regressions down to difficulty 3 or less.
    const kb::Exercise* step = &e;
    for (int guard = 0; guard < 10 && step->difficulty > 3 && step->regression; ++guard) step = kb.exercise(*step->regression);
    ASSERT_NE(step, nullptr);
    EXPECT_LE(step->difficulty, 3) << e.id.str() << " has no way down to a moderate variant";
  }
  for (const auto& e : kb.exercises) {
    if (e.regression) {
      EXPECT_LT(kb.exercise(*e.regression)->difficulty, e.difficulty) << e.id.str();
    }
    if (e.progression) {
      EXPECT_GT(kb.exercise(*e.progression)->difficulty, e.difficulty) << e.id.str();
    }
  }
}

TEST(KnowledgeBase, ScreeningItemsAndClustersAreData) {
  const auto& kb = knowledge_base();
  for (const char* id : {"pregnant", "recent_surgery", "osteoporosis", "uncontrolled_hypertension"})
    EXPECT_NE(kb.screening_rule(id), nullptr) << id;
  const kb::ScreeningRule* surgery = kb.screening_rule("recent_surgery");
  ASSERT_EQ(surgery->parameters.size(), 1u);
  EXPECT_EQ(surgery->loading_parameter, "surgery_region");
  ASSERT_TRUE(kb.screening_rule("uncontrolled_hypertension")->referral) << "clearance before resistance training";
  EXPECT_FALSE(kb.safety.clusters.empty());
  EXPECT_EQ(kb.red_flag("bowel_bladder")->urgency, kb::Urgency::kEmergency);
}

TEST(KnowledgeBase, ArticleExercisesCarryTheArticleDoses) {
  const auto& kb = knowledge_base();
  auto dose = [&](const char* id) { return kb.exercise(ExerciseId(id))->dose; };
  ASSERT_NE(kb.exercise(ExerciseId("hip_flexor_stretch")), nullptr);
  EXPECT_EQ(dose("hip_flexor_stretch").sets, 3);
  EXPECT_EQ(dose("hip_flexor_stretch").hold_seconds, 30);
  EXPECT_FALSE(dose("hip_flexor_stretch").reps);
  EXPECT_TRUE(dose("hip_flexor_stretch").per_side);
  EXPECT_EQ(kb.exercise(ExerciseId("hip_flexor_stretch"))->position, "kneeling");
  EXPECT_EQ(dose("glute_bridge").sets, 3);
  EXPECT_EQ(dose("glute_bridge").reps, 15);
  EXPECT_EQ(dose("glute_bridge").hold_seconds, 2);
  EXPECT_EQ(dose("scapular_retraction").sets, 3);
  EXPECT_EQ(dose("scapular_retraction").reps, 12);
  EXPECT_EQ(dose("scapular_retraction").hold_seconds, 5);
  EXPECT_EQ(dose("hamstring_stretch").sets, 3);
  EXPECT_EQ(dose("hamstring_stretch").hold_seconds, 30);
  EXPECT_TRUE(dose("hamstring_stretch").per_side);
  EXPECT_EQ(kb.exercise(ExerciseId("hamstring_stretch"))->position, "seated");
  EXPECT_EQ(dose("single_leg_deadlift").sets, 3);
  EXPECT_EQ(dose("single_leg_deadlift").reps, 10);
  EXPECT_TRUE(dose("single_leg_deadlift").per_side);
  for (const char* id : {"squat", "lunge", "push_up"}) EXPECT_EQ(kb.exercise(ExerciseId(id))->phase, Phase::kFunctional) << id;
}

TEST(KnowledgeBase, EveryTestCarriesItsSourceAndMeasurementError) {
  const auto& kb = knowledge_base();
  for (const auto& t : kb.tests) {
    EXPECT_FALSE(t.source.empty()) << t.id.str();
    EXPECT_TRUE(t.error.has_value() || !t.error_note.empty()) << t.id.str();
    for (const auto& r : t.rules) EXPECT_FALSE(r.source.empty()) << r.id;
  }
  for (const char* id : {"hip_flexion",
                         "hip_extension",
                         "hip_internal_rotation",
                         "hip_external_rotation",
                         "hip_abduction",
                         "knee_flexion",
                         "ankle_dorsiflexion",
                         "shoulder_flexion",
                         "shoulder_internal_rotation",
                         "shoulder_external_rotation",
                         "cervical_rotation",
                         "thoracic_rotation",
                         "straight_leg_raise",
                         "active_knee_extension",
                         "thomas_test",
                         "ober_test",
                         "ely_test",
                         "latissimus_length",
                         "pectoralis_minor_length",
                         "weight_bearing_lunge"})
    EXPECT_NE(kb.test("rom", id), nullptr) << id;
  for (const char* id : {"hip_abduction", "hip_adduction", "hip_extension", "hip_flexion", "hip_external_rotation",
                         "knee_extension", "knee_flexion", "ankle_plantarflexion", "shoulder_external_rotation",
                         "shoulder_internal_rotation", "scapular_retraction", "grip"})
    EXPECT_NE(kb.test("strength", id), nullptr) << id;
  for (const char* id : {"side_plank", "biering_sorensen", "trunk_flexor", "deep_neck_flexor", "single_leg_bridge"})
    EXPECT_NE(kb.test("endurance", id), nullptr) << id;
  EXPECT_EQ(kb.test("strength", "hip_abduction")->asymmetry.threshold, 90);
  EXPECT_EQ(kb.movement.y_balance.anterior_threshold_cm, 4);
}

TEST(KnowledgeBase, SystemicRedFlagsStopEverything) {
  const auto& kb = knowledge_base();
  for (const char* id : {"bowel_bladder", "saddle_anesthesia", "fever", "chest_pain", "fainting"}) {
    ASSERT_NE(kb.red_flag(id), nullptr) << id;
    EXPECT_TRUE(kb.red_flag(id)->systemic) << id;
  }
  EXPECT_EQ(kb.guidance.prevention_tips.size(), 6u);
}

// A copy of data/ in a temporary folder, to break on purpose.
class BrokenKnowledgeBase : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("rebalance-kb-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::copy(REBALANCE_DATA_DIR, dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }

  nlohmann::json read(const std::string& file) {
    return nlohmann::json::parse(rebalance::testing::read_file((dir_ / file).string()));
  }
  void write(const std::string& file, const nlohmann::json& j) { std::ofstream(dir_ / file) << j.dump(1); }

  // Loads and returns every problem line.
  std::vector<std::string> problems() {
    try {
      kb::load(dir_);
    } catch (const InputError& e) {
      std::vector<std::string> out;
      for (const auto& p : e.problems) out.push_back(format_problem(p));
      return out;
    }
    return {};
  }

  static bool any_contains(const std::vector<std::string>& lines, const std::string& a, const std::string& b) {
    for (const auto& l : lines)
      if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
    return false;
  }

  fs::path dir_;
};

TEST_F(BrokenKnowledgeBase, UnknownMuscleIsReportedWithFileAndPath) {
  auto j = read("exercises/article.json");
  j["exercises"][1]["targets"]["primary"][0] = "gluteus_maximuss";
  write("exercises/article.json", j);
  const auto lines = problems();
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(any_contains(lines, "exercises/article.json: $.exercises[1].targets.primary[0]", "\"gluteus_maximuss\""))
      << lines[0];
}

TEST_F(BrokenKnowledgeBase, MissingFieldIsReported) {
  auto j = read("exercises/article.json");
  j["exercises"][0].erase("dose");
  write("exercises/article.json", j);
  EXPECT_TRUE(any_contains(problems(), "$.exercises[0].dose", "missing"));
}

TEST_F(BrokenKnowledgeBase, DuplicateIdIsReported) {
  auto j = read("exercises/article.json");
  j["exercises"][1]["id"] = "hip_flexor_stretch";
  write("exercises/article.json", j);
  EXPECT_TRUE(any_contains(problems(), "$.exercises[1].id", "also defined"));
}

TEST_F(BrokenKnowledgeBase, BrokenVariantReferenceIsReported) {
  auto j = read("exercises/article.json");
  j["exercises"][1]["progression"] = "no_such_exercise";
  write("exercises/article.json", j);
  EXPECT_TRUE(any_contains(problems(), "$.exercises[1].progression", "no_such_exercise"));
}

TEST_F(BrokenKnowledgeBase, UnknownFieldAndMissingSourceAreReported) {
  auto j = read("tests/rom.json");
  j["tests"][0]["colour"] = "blue";
  j["tests"][0].erase("source");
  write("tests/rom.json", j);
  const auto lines = problems();
  EXPECT_TRUE(any_contains(lines, "tests/rom.json: $.tests[0].colour", "known field"));
  EXPECT_TRUE(any_contains(lines, "tests/rom.json: $.tests[0].source", "source"));
}

TEST_F(BrokenKnowledgeBase, BadBandsAndEvidenceKindsAreReported) {
  auto j = read("tests/endurance.json");
  auto& rule = j["tests"][0]["rules"][0];
  rule["below"]["bands"] = {{{"age_min", 60}, {"age_max", 40}, {"value", 20}, {"moderate", 30}, {"label", "x"}},
                            {{"sex", "robot"}, {"value", 20}}};
  rule["evidence"] = "gut_feeling";
  write("tests/endurance.json", j);
  const auto lines = problems();
  EXPECT_TRUE(any_contains(lines, "$.tests[0].rules[0].below.bands[0].age_max", "at least age_min"));
  EXPECT_TRUE(any_contains(lines, "$.tests[0].rules[0].below.bands[0].moderate", "at most value"));
  EXPECT_TRUE(any_contains(lines, "$.tests[0].rules[0].below.bands[1].sex", "robot"));
  EXPECT_TRUE(any_contains(lines, "$.tests[0].rules[0].below.bands[1].label", "missing"));
  EXPECT_TRUE(any_contains(lines, "$.tests[0].rules[0].evidence", "gut_feeling"));
}

TEST_F(BrokenKnowledgeBase, AScreeningItemsLoadingMustBeOneOfItsRegionParameters) {
  auto j = read("safety.json");
  for (auto& item : j["screening"])
    if (item["id"] == "osteoporosis") item["excludes"]["loading"] = "surgery_region";
  write("safety.json", j);
  EXPECT_TRUE(any_contains(problems(), ".excludes.loading", "a region parameter of this item"));
}

TEST_F(BrokenKnowledgeBase, AClusterNamesKnownRedFlags) {
  auto j = read("safety.json");
  j["clusters"][0]["flags"].push_back("bad_vibes");
  write("safety.json", j);
  EXPECT_TRUE(any_contains(problems(), "$.clusters[0].flags", "bad_vibes"));
}

TEST_F(BrokenKnowledgeBase, APlanningNumberOutOfRangeIsReported) {
  auto j = read("planning.json");
  j["start_easy"]["max_difficulty"] = 9;
  j["frequency"]["min_severity"] = "terrible";
  write("planning.json", j);
  const auto lines = problems();
  EXPECT_TRUE(any_contains(lines, "planning.json: $.start_easy.max_difficulty", "1-5"));
  EXPECT_TRUE(any_contains(lines, "planning.json: $.frequency.min_severity", "terrible"));
}

TEST_F(BrokenKnowledgeBase, SyntaxErrorNamesTheFile) {
  std::ofstream(dir_ / "guidance.json") << "{ not json";
  EXPECT_TRUE(any_contains(problems(), "guidance.json", "valid JSON"));
}

// Illustrations: a missing or impossible pose names the file and JSON path.
TEST_F(BrokenKnowledgeBase, JointBeyondItsLimitIsReported) {
  auto j = read("illustrations/article.json");
  j["illustrations"][1]["keyframes"][1]["joints"]["both_knee"]["flexion"] = 200;
  write("illustrations/article.json", j);
  const auto lines = problems();
  EXPECT_TRUE(any_contains(lines, "illustrations/article.json: $.illustrations[1].keyframes[1].joints", "200"))
      << (lines.empty() ? "" : lines[0]);
}

// A load without drawings reads neither the body model nor the
// illustrations, so a problem there does not stop it; a full load finds it.
TEST_F(BrokenKnowledgeBase, ALoadWithoutDrawingsSkipsOnlyTheDrawings) {
  auto j = read("illustrations/article.json");
  j["illustrations"][1]["keyframes"][1]["joints"]["both_knee"]["flexion"] = 200;
  write("illustrations/article.json", j);
  std::ofstream(dir_ / "body" / "model.json") << "{ not json";
  EXPECT_TRUE(any_contains(problems(), "body/model.json", "valid JSON"));
  const auto bare = kb::load(dir_, kb::Parts::kWithoutDrawings);
  EXPECT_FALSE(bare->has_drawings);
  EXPECT_EQ(bare->exercises.size(), knowledge_base().exercises.size());
  EXPECT_EQ(bare->tests.size(), knowledge_base().tests.size());
  // Everything else is still checked.
  std::ofstream(dir_ / "guidance.json") << "{ not json";
  try {
    kb::load(dir_, kb::Parts::kWithoutDrawings);
    ADD_FAILURE() << "a broken guidance.json loaded";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems.size(), 1u);
    EXPECT_NE(format_problem(e.problems[0]).find("guidance.json"), std::string::npos);
  }
}

// Illustration files are posed on threads of their own: their problems still
// come in file order, after those of the files read before them, every run.
TEST_F(BrokenKnowledgeBase, ProblemsInSeveralIllustrationFilesComeInFileOrder) {
  for (const char* file : {"illustrations/stretch.json", "illustrations/article.json", "illustrations/strengthen.json"}) {
    auto j = read(file);
    j["illustrations"][0]["keyframes"][0]["joints"]["both_knee"]["flexion"] = 200;
    write(file, j);
  }
  std::ofstream(dir_ / "guidance.json") << "{ not json";
  const auto lines = problems();
  std::vector<std::string> order;
  for (const auto& line : lines)
    for (const char* file : {"guidance.json", "illustrations/article.json", "illustrations/strengthen.json",
                             "illustrations/stretch.json"})
      if (line.find(file) != std::string::npos && (order.empty() || order.back() != file)) order.push_back(file);
  EXPECT_EQ(order, (std::vector<std::string>{"guidance.json", "illustrations/article.json",
                                             "illustrations/strengthen.json", "illustrations/stretch.json"}))
      << ::testing::PrintToString(lines);
}

TEST_F(BrokenKnowledgeBase, ContactThatDoesNotTouchIsReported) {
  auto j = read("illustrations/article.json");
  // The bridge's top position with the hips left down: its feet float.
  j["illustrations"][1]["keyframes"][1]["root"]["pitch"] = -90;
  write("illustrations/article.json", j);
  const auto lines = problems();
  EXPECT_TRUE(any_contains(lines, "illustrations/article.json: $.illustrations[1].keyframes[1].contacts[", "touching the floor"))
      << (lines.empty() ? "" : lines[0]);
}

TEST_F(BrokenKnowledgeBase, BodyThroughTheFloorIsReported) {
  auto j = read("illustrations/article.json");
  // Sitting with the bent leg's shin pointing into the floor.
  auto& start = j["illustrations"][3]["keyframes"][0];
  start["joints"]["right_hip"] = {{"flexion", 90}, {"abduction", 40}, {"rotation", -45}};
  start["joints"]["right_knee"] = {{"flexion", 130}};
  start["contacts"] = nlohmann::json::array({{{"part", "pelvis"}, {"on", "floor"}}, {{"part", "left_thigh"}, {"on", "floor"}}});
  write("illustrations/article.json", j);
  const auto lines = problems();
  EXPECT_TRUE(any_contains(lines, "illustrations/article.json: $.illustrations[3].keyframes[0]", "below it"))
      << (lines.empty() ? "" : lines[0]);
}

TEST_F(BrokenKnowledgeBase, UnknownPostureAndPartAreReported) {
  auto j = read("illustrations/article.json");
  j["illustrations"][0]["keyframes"][0]["posture"] = "handstand";
  j["illustrations"][1]["keyframes"][1]["contacts"][0]["part"] = "left_wing";
  write("illustrations/article.json", j);
  const auto lines = problems();
  EXPECT_TRUE(any_contains(lines, "$.illustrations[0].keyframes[0].posture", "\"handstand\""));
  EXPECT_TRUE(any_contains(lines, "$.illustrations[1].keyframes[1].contacts[0]", "\"left_wing\""));
}

TEST_F(BrokenKnowledgeBase, ExerciseWithoutIllustrationIsReported) {
  auto j = read("illustrations/article.json");
  j["illustrations"].erase(1);  // the glute bridge
  write("illustrations/article.json", j);
  EXPECT_TRUE(any_contains(problems(), "illustrations", "an illustration of exercise \"glute_bridge\""));
}

TEST_F(BrokenKnowledgeBase, EquipmentNotDrawnIsReported) {
  auto j = read("exercises/article.json");
  j["exercises"][1]["equipment"] = nlohmann::json::array({"band"});
  write("exercises/article.json", j);
  EXPECT_TRUE(any_contains(problems(), "illustrations/article.json: $.illustrations[1].props", "band prop"));
}

TEST_F(BrokenKnowledgeBase, BrokenBodyModelIsReported) {
  auto j = read("body/model.json");
  j["joints"][0]["dofs"][0]["min"] = 90;  // min above max
  write("body/model.json", j);
  EXPECT_TRUE(any_contains(problems(), "body/model.json: $.joints[0].dofs[0]", "min"));
}

}  // namespace
}  // namespace rebalance
