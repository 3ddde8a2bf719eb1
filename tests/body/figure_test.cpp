// Figures and keypoints from the body model: every exercise draws (still and
// animated) with finite geometry inside its frame, and the keypoint export is
// the known truth movement analysis will be tested against.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "figure/figure.h"
#include "test_support.h"

namespace rebalance::figure {
namespace {

const kb::KnowledgeBase& kb() { return testing::knowledge_base(); }

const body::Illustration& illustration(const std::string& id) {
  const body::Illustration* ill = kb().illustration(ExerciseId(id));
  EXPECT_NE(ill, nullptr) << id;
  return *ill;
}

// Every point of every shape is a finite number inside the frame (with the
// shape's own thickness).
void expect_inside(const Picture& pic, const std::string& what) {
  ASSERT_TRUE(std::isfinite(pic.width) && std::isfinite(pic.height)) << what;
  ASSERT_GT(pic.width, 10) << what;
  ASSERT_GT(pic.height, 10) << what;
  size_t shapes = 0;
  for (const auto& item : pic.items)
    for (const auto& s : item.shapes) {
      ++shapes;
      ASSERT_TRUE(std::isfinite(s.width) && s.width >= 0) << what;
      for (const auto& p : s.points) {
        ASSERT_TRUE(std::isfinite(p.x) && std::isfinite(p.y)) << what;
        const double pad = s.width + kOutline + 0.05;
        EXPECT_GE(p.x, -pad) << what;
        EXPECT_LE(p.x, pic.width + pad) << what;
        EXPECT_GE(p.y, -pad) << what;
        EXPECT_LE(p.y, pic.height + pad) << what;
      }
    }
  EXPECT_GT(shapes, 12u) << what << ": a body has more parts than that";
}

TEST(Figures, EveryExerciseHasAnIllustrationThatDrawsInsideItsFrame) {
  ASSERT_GE(kb().exercises.size(), 100u);
  for (const auto& e : kb().exercises) {
    const body::Illustration* ill = kb().illustration(e.id);
    ASSERT_NE(ill, nullptr) << e.id.str();
    const Picture pic = still(kb(), *ill, e.name);
    expect_inside(pic, e.id.str() + " still");
    EXPECT_EQ(pic.title, e.name);
  }
}

TEST(Figures, EveryAnimationKeepsItsShapesAndStaysInsideItsFrame) {
  for (const auto& e : kb().exercises) {
    const body::Illustration& ill = illustration(e.id.str());
    const int n = frames_for(ill);
    ASSERT_GE(n, 16);
    ASSERT_LE(n, 96);
    const Animation a = animate(kb(), ill, e.name, n);
    ASSERT_EQ(a.frames.size(), static_cast<size_t>(n)) << e.id.str();
    EXPECT_NEAR(a.seconds, ill.cycle_seconds(), 1e-9);
    for (size_t f = 0; f < a.frames.size(); ++f) {
      const Picture& pic = a.frames[f];
      expect_inside(pic, e.id.str() + " frame " + std::to_string(f));
      // The writers animate point by point: the structure must not change.
      ASSERT_EQ(pic.items.size(), a.frames[0].items.size()) << e.id.str();
      for (size_t i = 0; i < pic.items.size(); ++i) {
        ASSERT_EQ(pic.items[i].shapes.size(), a.frames[0].items[i].shapes.size()) << e.id.str();
        for (size_t s = 0; s < pic.items[i].shapes.size(); ++s)
          ASSERT_EQ(pic.items[i].shapes[s].points.size(), a.frames[0].items[i].shapes[s].points.size()) << e.id.str();
      }
      EXPECT_EQ(pic.width, a.frames[0].width);
    }
  }
}

TEST(Figures, AMovementHasAGhostAndAnArrowAHoldHasNeither) {
  auto count = [](const Picture& p, Ink ink) {
    return std::count_if(p.items.begin(), p.items.end(), [&](const Item& i) { return i.ink == ink; });
  };
  const Picture bridge = still(kb(), illustration("glute_bridge"), "Glute bridge");
  EXPECT_GT(count(bridge, Ink::kGhost), 0);
  EXPECT_EQ(count(bridge, Ink::kArrow), 1);
  // Far limbs are told apart from near ones.
  EXPECT_GT(count(bridge, Ink::kFar), 0);
  EXPECT_GT(count(bridge, Ink::kNear), 0);
  for (const auto& ill : kb().illustrations)
    if (ill.keyframes.size() == 1) {
      const Picture p = still(kb(), ill, ill.exercise);
      EXPECT_EQ(count(p, Ink::kGhost), 0) << ill.exercise;
      EXPECT_EQ(count(p, Ink::kArrow), 0) << ill.exercise;
    }
}

TEST(Figures, ThePropsAnExerciseNeedsAreDrawn) {
  auto has = [](const Picture& p, Ink ink) {
    return std::any_of(p.items.begin(), p.items.end(), [&](const Item& i) {
      return i.ink == ink || std::any_of(i.shapes.begin(), i.shapes.end(), [&](const Shape& s) { return s.ink == ink; });
    });
  };
  for (const auto& e : kb().exercises) {
    const Picture p = still(kb(), illustration(e.id.str()), e.name);
    EXPECT_TRUE(has(p, Ink::kFloor)) << e.id.str();
    for (const auto& item : e.equipment) {
      std::optional<Ink> ink;
      if (item == "band") ink = Ink::kBand;
      if (item == "dumbbell" || item == "kettlebell") ink = Ink::kIron;
      if (item == "wall") ink = Ink::kWall;
      if (item == "chair" || item == "bench" || item == "foam_roller") ink = Ink::kProp;
      if (ink) {
        EXPECT_TRUE(has(p, *ink)) << e.id.str() << " " << item;
      }
    }
  }
}

// Keypoints.

KeypointOptions options(const std::string& layout = "coco17") {
  KeypointOptions o;
  o.layout = layout;
  o.reps = 2;
  o.fps = 20;
  return o;
}

size_t index_of(const KeypointSeries& s, const std::string& name) {
  const auto it = std::find(s.names.begin(), s.names.end(), name);
  EXPECT_NE(it, s.names.end()) << name;
  return static_cast<size_t>(it - s.names.begin());
}

TEST(Keypoints, LayoutsHaveTheirPublishedPointCountsAndEveryFrameIsComplete) {
  for (const auto& [layout, count] : std::vector<std::pair<std::string, size_t>>{{"coco17", 17}, {"mediapipe33", 33}}) {
    const KeypointSeries s = keypoints(kb(), illustration("squat"), options(layout));
    EXPECT_EQ(s.names.size(), count) << layout;
    EXPECT_NEAR(static_cast<double>(s.frames.size()), 2 * s.seconds_per_rep * 20, 1.0) << layout;
    for (const auto& f : s.frames) {
      ASSERT_EQ(f.points.size(), count);
      for (const auto& p : f.points) {
        EXPECT_TRUE(std::isfinite(p.x) && std::isfinite(p.y) && std::isfinite(p.depth));
        EXPECT_GE(p.x, 0);
        EXPECT_LE(p.x, 640);
        EXPECT_GE(p.y, 0);
        EXPECT_LE(p.y, 480);
      }
    }
    EXPECT_EQ(s.frames.front().rep, 1);
    EXPECT_EQ(s.frames.back().rep, 2);
  }
}

TEST(Keypoints, TheSquatGoesDownAndUpOncePerRep) {
  const KeypointSeries s = keypoints(kb(), illustration("squat"), options());
  const size_t hip = index_of(s, "left_hip");
  double top = 1e9, bottom = -1e9;
  for (const auto& f : s.frames) {
    top = std::min(top, f.points[hip].y);
    bottom = std::max(bottom, f.points[hip].y);
  }
  // The hip drops by a good part of a thigh length (screen y grows down).
  EXPECT_GT(bottom - top, 0.1 * s.scale);
  // Starts standing.
  EXPECT_NEAR(s.frames.front().points[hip].y, top, 0.02 * s.scale);
}

TEST(Keypoints, FromTheFrontThePersonsLeftIsOnTheImagesRight) {
  KeypointOptions o = options();
  o.camera = body::Camera::of(body::View::kFront);
  o.use_view = false;
  const KeypointSeries s = keypoints(kb(), illustration("squat"), o);
  const auto& f = s.frames.front();
  EXPECT_GT(f.points[index_of(s, "left_shoulder")].x, f.points[index_of(s, "right_shoulder")].x);
  EXPECT_GT(f.points[index_of(s, "left_ankle")].x, f.points[index_of(s, "right_ankle")].x);
  // From behind it is the other way round.
  o.camera = body::Camera::of(body::View::kBack);
  const KeypointSeries b = keypoints(kb(), illustration("squat"), o);
  EXPECT_LT(b.frames.front().points[index_of(b, "left_shoulder")].x, b.frames.front().points[index_of(b, "right_shoulder")].x);
}

TEST(Keypoints, NoiseIsSeededAndAsymmetryBendsTheRightSideLess) {
  KeypointOptions o = options();
  o.noise_px = 2;
  o.seed = 7;
  const KeypointSeries a = keypoints(kb(), illustration("squat"), o), b = keypoints(kb(), illustration("squat"), o);
  const KeypointSeries clean = keypoints(kb(), illustration("squat"), options());
  ASSERT_EQ(a.frames.size(), clean.frames.size());
  double moved = 0;
  for (size_t f = 0; f < a.frames.size(); ++f)
    for (size_t k = 0; k < a.names.size(); ++k) {
      EXPECT_EQ(a.frames[f].points[k].x, b.frames[f].points[k].x);
      moved = std::max(moved, std::abs(a.frames[f].points[k].x - clean.frames[f].points[k].x));
    }
  EXPECT_GT(moved, 0.5);
  EXPECT_LT(moved, 2 * 6.0);  // within six standard deviations

  // With asymmetry the right knee bends less than the left at the bottom of
  // the squat; without it the two bend alike.
  auto knee_angle = [](const KeypointSeries& s, const KeypointFrame& f, const std::string& side) {
    const auto& h = f.points[index_of(s, side + "_hip")];
    const auto& k = f.points[index_of(s, side + "_knee")];
    const auto& a = f.points[index_of(s, side + "_ankle")];
    const double u = std::atan2(h.y - k.y, h.x - k.x), v = std::atan2(a.y - k.y, a.x - k.x);
    double d = std::abs(u - v) * 180 / M_PI;
    return d > 180 ? 360 - d : d;  // the inside angle: 180 straight
  };
  auto deepest = [&](const KeypointSeries& s) {
    return *std::min_element(s.frames.begin(), s.frames.end(), [&](const KeypointFrame& x, const KeypointFrame& y) {
      return knee_angle(s, x, "left") < knee_angle(s, y, "left");
    });
  };
  const KeypointFrame& even = deepest(clean);
  EXPECT_NEAR(knee_angle(clean, even, "left"), knee_angle(clean, even, "right"), 3.0);
  KeypointOptions asym = options();
  asym.asymmetry = 0.3;
  const KeypointSeries c = keypoints(kb(), illustration("squat"), asym);
  const KeypointFrame& uneven = deepest(c);
  EXPECT_GT(knee_angle(c, uneven, "right") - knee_angle(c, uneven, "left"), 15.0);
  EXPECT_NEAR(knee_angle(c, uneven, "left"), knee_angle(clean, even, "left"), 3.0);
}

TEST(Keypoints, TempoAndRepsSetTheLengthOfTheSeries) {
  KeypointOptions o = options();
  o.reps = 3;
  o.seconds_per_rep = 2;
  o.fps = 10;
  const KeypointSeries s = keypoints(kb(), illustration("glute_bridge"), o);
  EXPECT_DOUBLE_EQ(s.seconds_per_rep, 2);
  EXPECT_NEAR(static_cast<double>(s.frames.size()), 60, 1);
  EXPECT_NEAR(s.frames.back().t, 6, 0.11);
}

}  // namespace
}  // namespace rebalance::figure
