// Exercise figures and movement keypoints from the body model: a picture is
// a list of flat shapes in screen units (100 per body height, y down), which
// the SVG and Cairo writers paint; an animation is the same shapes in every
// frame, moving; a keypoint series is the body's landmarks, projected, frame
// by frame. Pure: no I/O, deterministic.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "body/body.h"
#include "kb/kb.h"

namespace rebalance::figure {

// How a shape is painted; writers map these to print-safe greys.
enum class Ink {
  kNear,      // limbs on the camera's side, trunk, head
  kFar,       // limbs on the far side: a darker shade
  kGhost,     // the start position, behind the key position
  kProp,      // furniture and large equipment (light)
  kIron,      // dumbbells and kettlebells (dark)
  kWall,      // walls and door frames (light, behind the body)
  kBand,      // elastic bands (a line)
  kFloor,     // the floor line
  kMat,       // an exercise mat
  kArrow,     // the motion arrow
};

struct Point {
  double x = 0, y = 0;
};

// A stroked line through `points` `width` thick with round ends (a limb, a
// bar), a closed polygon stroked `width` thick and filled (the trunk, a box),
// or a disc of radius `width` at points[0].
struct Shape {
  enum class Kind { kLine, kPolygon, kDisc };
  Kind kind = Kind::kLine;
  std::vector<Point> points;
  double width = 0;
  std::optional<Ink> ink;  // instead of the item's (a dumbbell in a hand)
};

// Shapes painted together: first every outline (when `outlined`), then
// every fill, so that a limb's parts join without a seam.
struct Item {
  Ink ink = Ink::kNear;
  bool outlined = true;
  std::vector<Shape> shapes;
};

struct Picture {
  double width = 0, height = 0;  // the frame the items lie in, from (0, 0)
  std::vector<Item> items;       // back to front
  std::string title;             // the exercise's name
};

// Outline thickness around every outlined shape, in screen units.
constexpr double kOutline = 1.1;

// The static figure: the start position as a ghost, the key position over
// it, and an arrow along the path of the point that moves most. A hold
// (one keyframe) is just the pose.
Picture still(const kb::KnowledgeBase& kb, const body::Illustration& ill, const std::string& title);

// An animated loop: the same items and shapes in every frame (only points
// move), sampled evenly over one repetition.
struct Animation {
  std::vector<Picture> frames;  // all with the same width and height
  double seconds = 0;           // one cycle
};
// REQUIRES: frames >= 2.
Animation animate(const kb::KnowledgeBase& kb, const body::Illustration& ill, const std::string& title, int frames);
// Frames for a smooth loop of this illustration (about 8 per second, at
// least 16, at most 96).
int frames_for(const body::Illustration& ill);

// A keypoint time series of an exercise's movement, as a camera would see
// it: every `1/fps` seconds over `reps` repetitions, each repetition taking
// `seconds_per_rep` (the illustration's own timing when empty).
struct KeypointOptions {
  std::string layout = "coco17";
  body::Camera camera;         // the illustration's view when `use_view`
  bool use_view = true;
  int reps = 3;
  std::optional<double> seconds_per_rep;
  double fps = 30;
  int width = 640, height = 480;  // image in pixels; the movement is fitted inside with a margin
  double noise_px = 0;            // standard deviation of Gaussian noise added to x and y
  double asymmetry = 0;           // the right side moves this share less (0 to 0.5)
  unsigned seed = 1;
};

struct Keypoint {
  double x = 0, y = 0;   // pixels, y down
  double depth = 0;      // toward the camera, pixels at the same scale
  bool occluded = false; // behind the trunk from the camera
};

struct KeypointFrame {
  double t = 0;  // seconds
  int rep = 1;
  std::string phase;  // the keyframe it is at or moving toward
  std::vector<Keypoint> points;
};

struct KeypointSeries {
  std::string exercise, layout;
  std::vector<std::string> names;
  body::Camera camera;
  KeypointOptions options;
  double seconds_per_rep = 0;
  double scale = 0;  // pixels per body height
  std::vector<KeypointFrame> frames;
};

// REQUIRES: the layout exists (kb.body.layout(options.layout)), reps >= 1,
// fps > 0, width and height > 0, 0 <= asymmetry <= 0.5.
KeypointSeries keypoints(const kb::KnowledgeBase& kb, const body::Illustration& ill, const KeypointOptions& options);

}  // namespace rebalance::figure
