// The body model: forward kinematics against the anthropometric table it
// cites, mirror symmetry of the two sides, the camera, and keyframe staging.
#include <gtest/gtest.h>

#include <cmath>

#include "body/body.h"
#include "body/detail/load.h"
#include "test_support.h"

namespace rebalance::body {
namespace {

// The model from data/body/model.json alone (no illustrations needed).
const Model& model() {
  static const Model m = [] {
    Model out;
    rebalance::detail::Problems p("model.json");
    const auto json = rebalance::detail::parse_untrusted<rebalance::detail::Json>(
        testing::read_file(std::string(REBALANCE_DATA_DIR) + "/body/model.json"), p);
    detail::read_model(p, *json, out);
    EXPECT_TRUE(p.empty()) << (p.empty() ? "" : format_problem(p.list()[0]));
    rebalance::detail::Problems q("postures.json");
    const auto postures = rebalance::detail::parse_untrusted<rebalance::detail::Json>(
        testing::read_file(std::string(REBALANCE_DATA_DIR) + "/body/postures.json"), q);
    detail::read_postures(q, *postures, out);
    for (const auto& problem : q.list()) ADD_FAILURE() << format_problem(problem);
    return out;
  }();
  return m;
}

Pose rest() {
  Pose p;
  p.angles.assign(model().skeleton.slots.size(), 0.0);
  return p;
}

void set(Pose& p, const std::string& joint, const std::string& dof, double deg) {
  const auto slot = model().skeleton.angle(joint, dof);
  ASSERT_TRUE(slot.has_value()) << joint << " " << dof;
  p.angles[*slot] = deg;
}

Vec3 landmark(const Placement& placed, const std::string& name) {
  const auto i = model().skeleton.landmark(name);
  EXPECT_TRUE(i.has_value()) << name;
  return i ? placed.landmarks[*i] : Vec3{};
}

// Standing at rest, on the floor.
Placement standing(const Pose& pose) {
  Placement p = place(model().skeleton, pose);
  const auto foot = *model().skeleton.part("left_foot");
  p.translate({0, -lowest_point(p.parts[foot]).y, 0});
  return p;
}

TEST(BodyModel, StandingHeightsAreWintersFractionsOfHeight) {
  const Placement p = standing(rest());
  // Winter 2009, Fig. 4.1: shoulder 0.818, elbow 0.630, hip 0.530, wrist 0.485, knee 0.285, ankle 0.039.
  EXPECT_NEAR(landmark(p, "left_shoulder").y, 0.818, 0.005);
  EXPECT_NEAR(landmark(p, "left_elbow").y, 0.630, 0.005);
  EXPECT_NEAR(landmark(p, "left_hip").y, 0.530, 0.005);
  EXPECT_NEAR(landmark(p, "left_wrist").y, 0.485, 0.005);
  EXPECT_NEAR(landmark(p, "left_knee").y, 0.285, 0.005);
  EXPECT_NEAR(landmark(p, "left_ankle").y, 0.039, 0.005);
  const auto& head = p.parts[*model().skeleton.part("head")];
  const double top = std::max(head.draw_from.y, head.end.y) + head.radius;
  EXPECT_NEAR(top, 1.0, 0.01);
  // Shoulder width 0.259 H: the joint centres lie inside it.
  EXPECT_NEAR(landmark(p, "left_shoulder").x - landmark(p, "right_shoulder").x, 0.23, 0.01);
}

TEST(BodyModel, HipFlexionBringsTheKneeForwardOnEitherSide) {
  for (const std::string side : {"left", "right"}) {
    Pose pose = rest();
    set(pose, side + "_hip", "flexion", 90);
    const Placement p = place(model().skeleton, pose);
    const Vec3 hip = landmark(p, side + "_hip"), knee = landmark(p, side + "_knee");
    EXPECT_NEAR(knee.y, hip.y, 1e-9) << side;
    EXPECT_NEAR(knee.z - hip.z, 0.245, 1e-6) << side;  // forward, the thigh's length
    EXPECT_NEAR(knee.x, hip.x, 1e-9) << side;
  }
}

TEST(BodyModel, TheTwoSidesMirrorEachOther) {
  Pose pose = rest();
  for (const std::string side : {"left", "right"}) {
    set(pose, side + "_hip", "abduction", 30);
    set(pose, side + "_hip", "rotation", 20);
    set(pose, side + "_knee", "flexion", 60);
    set(pose, side + "_shoulder", "abduction", 70);
    set(pose, side + "_shoulder", "flexion", 40);
    set(pose, side + "_elbow", "flexion", 90);
    set(pose, side + "_shoulder", "rotation", -30);
  }
  const Placement p = place(model().skeleton, pose);
  for (const std::string name : {"ankle", "knee", "wrist", "elbow", "heel", "foot_index", "thumb"}) {
    const Vec3 l = landmark(p, "left_" + name), r = landmark(p, "right_" + name);
    EXPECT_NEAR(l.x, -r.x, 1e-9) << name;
    EXPECT_NEAR(l.y, r.y, 1e-9) << name;
    EXPECT_NEAR(l.z, r.z, 1e-9) << name;
  }
  // Abduction moves the limb away from the midline on both sides.
  EXPECT_GT(landmark(p, "left_ankle").x, landmark(p, "left_hip").x);
  EXPECT_LT(landmark(p, "right_ankle").x, landmark(p, "right_hip").x);
}

TEST(BodyModel, InternalRotationTurnsTheForearmInward) {
  for (const std::string side : {"left", "right"}) {
    Pose pose = rest();
    set(pose, side + "_elbow", "flexion", 90);
    set(pose, side + "_shoulder", "rotation", 45);
    const Placement p = place(model().skeleton, pose);
    const double medial = std::abs(landmark(p, side + "_wrist").x) - std::abs(landmark(p, side + "_elbow").x);
    EXPECT_LT(medial, -0.05) << side;
  }
}

TEST(BodyModel, TrunkFlexionLeansForwardAndLateralFlexionToTheLeftIsPositive) {
  Pose pose = rest();
  set(pose, "lumbar", "flexion", 30);
  Placement p = place(model().skeleton, pose);
  EXPECT_GT(landmark(p, "nose").z, 0.15);
  pose = rest();
  set(pose, "lumbar", "lateral_flexion", 20);
  p = place(model().skeleton, pose);
  EXPECT_GT(landmark(p, "nose").x, 0.05);
}

TEST(BodyModel, SupineRootLaysTheBodyFaceUp) {
  const Posture* supine = model().posture("supine");
  ASSERT_NE(supine, nullptr);
  const Placement p = place(model().skeleton, supine->pose);
  // The nose points up, the head lies level with the pelvis.
  EXPECT_GT(landmark(p, "nose").y, landmark(p, "left_ear").y + 0.03);
  EXPECT_NEAR(landmark(p, "left_hip").y, landmark(p, "left_shoulder").y, 0.03);
}

TEST(Camera, SideViewSeesHeightAndDepthFrontViewSeesWidth) {
  const Camera side{90, 0}, front{0, 0};
  // Up is up on screen (y grows downward).
  EXPECT_LT(side.project({0, 1, 0}).y, side.project({0, 0, 0}).y);
  // From the left, the body's front is on screen left, and the left side is near.
  EXPECT_LT(side.project({0, 0, 1}).x, 0);
  EXPECT_GT(side.project({1, 0, 0}).z, 0);
  // From the front, the body's left is on screen right (facing the viewer).
  EXPECT_GT(front.project({1, 0, 0}).x, 0);
}

}  // namespace
}  // namespace rebalance::body
