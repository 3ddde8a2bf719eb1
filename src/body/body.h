// The body model: an articulated skeleton (pelvis, lumbar and thoracic trunk,
// neck, head, shoulder girdle, arms, hands, thighs, shanks, feet) whose
// segment lengths are fractions of body height, joint angles per degree of
// freedom with limits, forward kinematics, an orthographic camera, and the
// keyframed illustration of each exercise (poses, contacts, props, timing).
// Pure: no I/O; every number comes from data/body/ and data/illustrations/
// (format: docs/knowledge-base.md, "Body model and illustrations").
//
// Coordinates: metres are not used; lengths are fractions of body height H.
// The world is right-handed with y up and the floor at y = 0. With the root at
// rest the body faces +z and its left side is +x.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rebalance::body {

struct Vec3 {
  double x = 0, y = 0, z = 0;
  Vec3 operator+(const Vec3& o) const { return {x + o.x, y + o.y, z + o.z}; }
  Vec3 operator-(const Vec3& o) const { return {x - o.x, y - o.y, z - o.z}; }
  Vec3 operator*(double s) const { return {x * s, y * s, z * s}; }
  double dot(const Vec3& o) const { return x * o.x + y * o.y + z * o.z; }
  Vec3 cross(const Vec3& o) const { return {y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x}; }
  double norm() const;
};

// A rotation matrix (row-major).
struct Mat3 {
  std::array<double, 9> m{1, 0, 0, 0, 1, 0, 0, 0, 1};
  static Mat3 rotation(const Vec3& unit_axis, double degrees);
  // Inline: posing a body multiplies a few hundred of these.
  Mat3 operator*(const Mat3& o) const {
    Mat3 r;
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) r.m[i * 3 + j] = m[i * 3] * o.m[j] + m[i * 3 + 1] * o.m[3 + j] + m[i * 3 + 2] * o.m[6 + j];
    return r;
  }
  Vec3 operator*(const Vec3& v) const {
    return {m[0] * v.x + m[1] * v.y + m[2] * v.z, m[3] * v.x + m[4] * v.y + m[5] * v.z, m[6] * v.x + m[7] * v.y + m[8] * v.z};
  }
};

// Which half of the body a segment, joint or landmark instance belongs to.
enum class Half { kMid, kLeft, kRight };
std::string_view to_string(Half half);

// One degree of freedom of a joint: a rotation about `axis` (unit, in the
// parent segment's frame, written for the left side or the midline; the right
// side mirrors it), limited to [min, max] degrees. Midline joints count
// bending and turning toward the left as positive.
struct Dof {
  std::string id;  // "flexion", "abduction", "rotation", ...
  Vec3 axis;
  double min = 0, max = 0;
};

struct Joint {
  std::string id;  // "hip"
  bool sided = false;
  std::vector<Dof> dofs;  // applied last to first: the last turns first
  std::string source;
};

// A segment definition; a sided one is defined for the left side and
// mirrored for the right. Points are in the parent's frame at rest (origin)
// or the segment's own frame (end, draw_from), relative to the segment's
// origin, in fractions of H.
struct Segment {
  std::string id;  // "thigh"
  bool sided = false;
  std::optional<size_t> parent;  // index into Skeleton::segments; none for the root
  std::optional<size_t> joint;   // index into Skeleton::joints; none for the root
  Vec3 origin;                   // where the joint sits in the parent's frame
  Vec3 draw_from;                // the drawn capsule runs draw_from -> end
  Vec3 end;
  double radius = 0;  // drawn and contact thickness
};

// A named point on a part (keypoints, drawing), in the part's frame
// relative to its origin.
struct Landmark {
  std::string id;  // "left_wrist"
  size_t part = 0;
  Vec3 at;
};

// A landmark definition: on a segment, written for the left side when sided
// (the right one mirrors it), named without the side prefix then
// ("wrist" -> "left_wrist", "right_wrist").
struct LandmarkDef {
  std::string id;
  size_t segment = 0;
  bool sided = false;
  Vec3 at;
};

// A segment instance: a sided definition gives a left and a right part.
struct Part {
  std::string name;  // "left_thigh", "pelvis"
  size_t segment = 0;
  Half half = Half::kMid;
  std::optional<size_t> parent;  // part index
  size_t first_angle = 0;        // this part's joint's first angle slot
  Vec3 origin, draw_from, end;   // mirrored for the right
};

class Skeleton {
 public:
  std::vector<Joint> joints;
  std::vector<Segment> segments;  // parents before children
  std::vector<LandmarkDef> landmark_defs;
  std::string source;

  // Built by expand(): parts (parents first), angle slots, landmarks.
  std::vector<Part> parts;
  std::vector<Landmark> landmarks;

  // One angle of one joint instance ("left_hip" flexion).
  struct Slot {
    std::string joint_instance;
    size_t joint = 0, dof = 0;  // into joints, and that joint's dofs
    Half half = Half::kMid;
  };
  std::vector<Slot> slots;
  const Dof& dof(size_t slot) const { return joints[slots[slot].joint].dofs[slots[slot].dof]; }

  // Creates the parts, angle slots and landmarks from the definitions.
  // REQUIRES: definitions valid (parents before children, indexes in range).
  void expand();

  std::optional<size_t> part(std::string_view name) const;
  std::optional<size_t> landmark(std::string_view name) const;
  // The angle slot of joint instance `joint_instance` ("left_hip", "lumbar")
  // and degree of freedom `dof` ("flexion").
  std::optional<size_t> angle(std::string_view joint_instance, std::string_view dof) const;
  // The part on the other side ("left_thigh" <-> "right_thigh"); itself when midline.
  size_t mirror_part(size_t part) const;
};

// Whole-body orientation in degrees, applied as yaw (about y), then pitch
// (about x), then roll (about z) of the body's rest frame.
struct Root {
  double yaw = 0, pitch = 0, roll = 0;
};

struct Pose {
  Root root;
  std::vector<double> angles;  // degrees, one per Skeleton slot
};

// A posed body: each part's frame and points in world coordinates, before
// any translation to the floor (the pelvis origin at 0) unless moved.
struct Placement {
  struct PartPose {
    Vec3 origin, draw_from, end;
    double radius = 0;
  };
  std::vector<PartPose> parts;
  std::vector<Vec3> landmarks;
  void translate(const Vec3& by);
};

// Forward kinematics. REQUIRES: pose.angles.size() == skeleton.dof_count.
Placement place(const Skeleton& skeleton, const Pose& pose);

// Where things can rest. The chair seat, bench top, step top and roller top
// are horizontal at their height; a wall is a vertical plane whose normal is
// the world axis named by the prop.
enum class Surface { kFloor, kChair, kBench, kStep, kWall, kDoorFrame, kRoller };
std::optional<Surface> parse_surface(std::string_view text);
std::string_view to_string(Surface surface);

struct Contact {
  size_t part = 0;
  Surface surface = Surface::kFloor;
};

// Drawn equipment and furniture.
enum class PropKind { kMat, kWall, kChair, kBench, kStep, kBand, kDumbbell, kKettlebell, kFoamRoller, kDoorFrame, kBall };
std::optional<PropKind> parse_prop(std::string_view text);
std::string_view to_string(PropKind kind);

// A world direction at yaw 0: where a wall stands or a band is anchored.
enum class Direction { kFront, kBack, kLeft, kRight };
std::optional<Direction> parse_direction(std::string_view text);
Vec3 unit(Direction d);

struct Prop {
  PropKind kind = PropKind::kMat;
  std::vector<size_t> parts;  // held by (dumbbell, kettlebell), between (ball, band), resting on (roller)
  // A band's fixed end: `direction` from the first part's place in the first
  // keyframe, `distance` away horizontally, at `height` above the floor.
  std::optional<Direction> direction;  // also a wall's side and a chair's backrest
  double distance = 0, height = 0;
};

// One key pose of an exercise: the pose, what touches what, and timing.
struct Keyframe {
  std::string name;
  Pose pose;
  std::vector<Contact> contacts;
  double move_seconds = 0;  // from the previous keyframe (the last one: back to the first)
  double hold_seconds = 0;
};

enum class View { kLeft, kRight, kFront, kBack, kThreeQuarterLeft, kThreeQuarterRight };
std::optional<View> parse_view(std::string_view text);
std::string_view to_string(View view);

struct Camera {
  double yaw = 90;    // degrees: 0 looks at the body's front, 90 at its left side
  double pitch = 10;  // degrees above the horizon
  static Camera of(View view);
  // Screen x (right), screen y (down), depth (toward the camera).
  Vec3 project(const Vec3& world) const;
};

enum class Working { kBoth, kLeft, kRight, kAlternating };
std::optional<Working> parse_working(std::string_view text);
std::string_view to_string(Working working);

// An exercise's illustration: keyframes (the first is the start, `key` the
// position the static figure shows), the view, the working side, the props.
struct Illustration {
  std::string exercise;
  View view = View::kLeft;
  Working working = Working::kBoth;
  std::vector<Keyframe> keyframes;
  size_t key = 0;
  std::vector<Prop> props;
  std::string file, path;  // where it was defined, for messages

  // The length of one repetition: every keyframe's move and hold.
  double cycle_seconds() const;
};

// Heights of resting surfaces and sizes of props, in H (sourced in data).
struct Furniture {
  double chair_seat = 0.26, bench = 0.25, step = 0.1, roller_diameter = 0.085;
  double door_width = 0.5, door_height = 1.15;
  double contact_tolerance = 0.02;
  std::string source;
};

// Named body postures keyframes start from.
struct Posture {
  std::string id;
  Pose pose;
  std::vector<Contact> contacts;
};

// A keypoint layout (COCO-17, MediaPipe-33): landmark indexes in order.
struct KeypointLayout {
  std::string id;
  std::vector<std::string> names;
  std::vector<size_t> landmarks;
  std::string source;
};

struct Model {
  Skeleton skeleton;
  Furniture furniture;
  std::vector<Posture> postures;
  std::vector<KeypointLayout> layouts;
  const Posture* posture(std::string_view id) const;
  const KeypointLayout* layout(std::string_view id) const;
};

// The lowest point of a part's capsule and where it is horizontally.
Vec3 lowest_point(const Placement::PartPose& p);

// Where each keyframe's body and the fixed props stand: keyframe 0's
// pelvis above the origin, each later keyframe kept on the floor contact it
// shares with the one before (a planted foot does not slide). Walls, door
// frames, chairs, benches and steps stand where the first keyframe touching
// them touches them; a band's fixed end is placed from keyframe 0.
struct Stage {
  std::vector<Placement> keyframes;
  std::optional<double> wall;       // coordinate along the wall prop's direction
  std::optional<double> door;       // z of the door frame's plane
  std::optional<Vec3> chair, bench, step;  // point on the top surface
  std::map<size_t, Vec3> anchors;   // band prop index -> fixed end
  // The floor contact that stays put on the move from keyframe k to k + 1
  // (the last: back to the first): of the contacts both share, the one that
  // leaves the others where they were.
  std::vector<std::optional<size_t>> pivots;
};
Stage stage(const Model& model, const Illustration& ill);

// How far contact `c` is from its surface (0 touching, positive away,
// negative through), in H.
double contact_gap(const Model& model, const Illustration& ill, const Stage& stage, const Placement& placement,
                   const Contact& c);

// The pose `t` seconds into the cycle (wrapping), interpolated between
// keyframes with ease-in-out, kept on the floor contacts both keyframes
// share. `scale` multiplies the excursion from keyframe 0 of every angle on
// `scaled_half` (1: as authored; 0.9: that side moves 10 % less).
struct Frame {
  Placement placement;
  size_t from = 0, to = 0;  // keyframes it lies between
  double blend = 0;         // 0 at `from`, 1 at `to`
};
Frame frame_at(const Model& model, const Illustration& ill, const Stage& stage, double t, double scale = 1.0,
               Half scaled_half = Half::kRight);

}  // namespace rebalance::body
