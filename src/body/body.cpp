// Forward kinematics, the camera, staging and interpolation of keyframes.
#include "body/body.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace rebalance::body {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

Vec3 mirror_point(const Vec3& v) { return {-v.x, v.y, v.z}; }
// A rotation axis (a pseudo-vector) seen in a mirror across the midline.
Vec3 mirror_axis(const Vec3& a) { return {a.x, -a.y, -a.z}; }

double lerp(double a, double b, double t) { return a + (b - a) * t; }
Vec3 lerp(const Vec3& a, const Vec3& b, double t) { return {lerp(a.x, b.x, t), lerp(a.y, b.y, t), lerp(a.z, b.z, t)}; }

Mat3 root_rotation(const Root& r) {
  return Mat3::rotation({0, 1, 0}, r.yaw) * Mat3::rotation({1, 0, 0}, r.pitch) * Mat3::rotation({0, 0, 1}, r.roll);
}

// The height of a surface that bears weight (floor, step, bench, chair seat,
// top of a foam roller); none for walls and door frames.
std::optional<double> support_height(const Furniture& f, Surface s) {
  switch (s) {
    case Surface::kFloor: return 0.0;
    case Surface::kStep: return f.step;
    case Surface::kBench: return f.bench;
    case Surface::kChair: return f.chair_seat;
    case Surface::kRoller: return f.roller_diameter;
    case Surface::kWall:
    case Surface::kDoorFrame: return std::nullopt;
  }
  return std::nullopt;
}

// A part resting on a surface at a height.
struct Support {
  size_t part;
  Surface surface;
  double height;
};

// What carries the body in a keyframe: its floor contacts when it has any
// (the floor is where a picture stands), else what it rests on (standing on
// a step, lying on a bench).
std::vector<Support> supports(const Furniture& f, const Keyframe& k) {
  std::vector<Support> floor, raised;
  for (const auto& c : k.contacts)
    if (auto h = support_height(f, c.surface)) (c.surface == Surface::kFloor ? floor : raised).push_back({c.part, c.surface, *h});
  return floor.empty() ? raised : floor;
}

// The contacts `a` and `b` both rest on the same way: the shared floor
// contacts when there are any, else the shared raised ones (a foot staying
// on a step while the other leaves the floor).
std::vector<Support> shared_supports(const Furniture& f, const Keyframe& a, const Keyframe& b) {
  std::vector<Support> floor, raised;
  for (const auto& c : a.contacts) {
    const auto h = support_height(f, c.surface);
    if (!h) continue;
    const bool in_b = std::any_of(b.contacts.begin(), b.contacts.end(),
                                  [&](const Contact& d) { return d.part == c.part && d.surface == c.surface; });
    if (in_b) (c.surface == Surface::kFloor ? floor : raised).push_back({c.part, c.surface, *h});
  }
  return floor.empty() ? raised : floor;
}

std::vector<size_t> parts_of(const std::vector<Support>& v) {
  std::vector<size_t> out;
  for (const auto& s : v) out.push_back(s.part);
  return out;
}

// Of the shared supports, the one that, held still between placements
// `was` and `now` (before any horizontal shift), moves the others least.
std::optional<size_t> choose_pivot(const std::vector<size_t>& shared, const Placement& was, const Placement& now) {
  std::optional<size_t> best;
  double best_drift = std::numeric_limits<double>::infinity();
  for (size_t pivot : shared) {
    const Vec3 shift = lowest_point(was.parts[pivot]) - lowest_point(now.parts[pivot]);
    double drift = 0;
    for (size_t other : shared) {
      const Vec3 d = lowest_point(was.parts[other]) - (lowest_point(now.parts[other]) + shift);
      drift += std::hypot(d.x, d.z);
    }
    if (drift < best_drift - 1e-9) {
      best_drift = drift;
      best = pivot;
    }
  }
  return best;
}

// Vertical translation resting the body on its supports: none below its
// surface, the lowest of them touching.
std::optional<double> lift_onto(const Placement& p, const std::vector<Support>& on) {
  if (on.empty()) return std::nullopt;
  double lift = -std::numeric_limits<double>::infinity();
  for (const Support& s : on) lift = std::max(lift, s.height - lowest_point(p.parts[s.part]).y);
  return lift;
}

// The direction a wall-like prop faces the body from.
Vec3 wall_direction(const Illustration& ill, PropKind kind) {
  for (const auto& p : ill.props)
    if (p.kind == kind && p.direction) return unit(*p.direction);
  return unit(Direction::kFront);
}

// How far a capsule reaches toward `dir`.
double reach(const Placement::PartPose& p, const Vec3& dir) {
  return std::max(p.draw_from.dot(dir), p.end.dot(dir)) + p.radius;
}

double ease(double t) { return 0.5 - 0.5 * std::cos(std::numbers::pi * std::clamp(t, 0.0, 1.0)); }

}  // namespace

double Vec3::norm() const { return std::sqrt(dot(*this)); }

Mat3 Mat3::rotation(const Vec3& a, double degrees) {
  const double c = std::cos(degrees * kDeg), s = std::sin(degrees * kDeg), t = 1 - c;
  return {{t * a.x * a.x + c, t * a.x * a.y - s * a.z, t * a.x * a.z + s * a.y,  //
           t * a.x * a.y + s * a.z, t * a.y * a.y + c, t * a.y * a.z - s * a.x,  //
           t * a.x * a.z - s * a.y, t * a.y * a.z + s * a.x, t * a.z * a.z + c}};
}

std::string_view to_string(Half half) {
  switch (half) {
    case Half::kLeft: return "left";
    case Half::kRight: return "right";
    case Half::kMid: break;
  }
  return "mid";
}

void Skeleton::expand() {
  parts.clear();
  slots.clear();
  landmarks.clear();
  // part index of (segment, half)
  std::map<std::pair<size_t, Half>, size_t> index;
  for (size_t s = 0; s < segments.size(); ++s) {
    const Segment& seg = segments[s];
    const std::vector<Half> halves = seg.sided ? std::vector<Half>{Half::kLeft, Half::kRight} : std::vector<Half>{Half::kMid};
    for (Half half : halves) {
      Part p;
      p.segment = s;
      p.half = half;
      p.name = half == Half::kMid ? seg.id : std::string(to_string(half)) + "_" + seg.id;
      const bool right = half == Half::kRight;
      p.origin = right ? mirror_point(seg.origin) : seg.origin;
      p.draw_from = right ? mirror_point(seg.draw_from) : seg.draw_from;
      p.end = right ? mirror_point(seg.end) : seg.end;
      if (seg.parent) {
        // A sided child of a midline parent hangs from it; a sided child of a
        // sided parent from the same side.
        const Half parent_half = segments[*seg.parent].sided ? half : Half::kMid;
        p.parent = index.at({*seg.parent, parent_half});
      }
      p.first_angle = slots.size();
      if (seg.joint) {
        const Joint& j = joints[*seg.joint];
        const std::string instance = half == Half::kMid ? j.id : std::string(to_string(half)) + "_" + j.id;
        for (size_t d = 0; d < j.dofs.size(); ++d) slots.push_back({instance, *seg.joint, d, half});
      }
      index[{s, half}] = parts.size();
      parts.push_back(std::move(p));
    }
  }
  for (const LandmarkDef& d : landmark_defs) {
    const bool sided_segment = segments[d.segment].sided;
    if (!d.sided) {
      landmarks.push_back({d.id, index.at({d.segment, Half::kMid}), d.at});
      continue;
    }
    for (Half half : {Half::kLeft, Half::kRight}) {
      const size_t part = index.at({d.segment, sided_segment ? half : Half::kMid});
      const Vec3 at = half == Half::kRight ? mirror_point(d.at) : d.at;
      landmarks.push_back({std::string(to_string(half)) + "_" + d.id, part, at});
    }
  }
}

std::optional<size_t> Skeleton::part(std::string_view name) const {
  for (size_t i = 0; i < parts.size(); ++i)
    if (parts[i].name == name) return i;
  return std::nullopt;
}

std::optional<size_t> Skeleton::landmark(std::string_view name) const {
  for (size_t i = 0; i < landmarks.size(); ++i)
    if (landmarks[i].id == name) return i;
  return std::nullopt;
}

std::optional<size_t> Skeleton::angle(std::string_view joint_instance, std::string_view dof) const {
  for (size_t i = 0; i < slots.size(); ++i)
    if (slots[i].joint_instance == joint_instance && this->dof(i).id == dof) return i;
  return std::nullopt;
}

size_t Skeleton::mirror_part(size_t part) const {
  const Part& p = parts[part];
  if (p.half == Half::kMid) return part;
  for (size_t i = 0; i < parts.size(); ++i)
    if (parts[i].segment == p.segment && parts[i].half != p.half) return i;
  return part;
}

void Placement::translate(const Vec3& by) {
  for (auto& p : parts) {
    p.origin = p.origin + by;
    p.draw_from = p.draw_from + by;
    p.end = p.end + by;
  }
  for (auto& l : landmarks) l = l + by;
}

Placement place(const Skeleton& skeleton, const Pose& pose) {
  Placement out;
  out.parts.resize(skeleton.parts.size());
  std::vector<Mat3> frames(skeleton.parts.size());
  for (size_t i = 0; i < skeleton.parts.size(); ++i) {
    const Part& part = skeleton.parts[i];
    const Segment& seg = skeleton.segments[part.segment];
    Mat3 frame;
    Vec3 origin;
    if (!part.parent) {
      frame = root_rotation(pose.root);
    } else {
      // Most angles of a pose are at rest: a rotation by 0 degrees is the
      // identity (up to the sign of its zeros), so it is left out, and so is
      // the identity a joint's rotations start from.
      std::optional<Mat3> joint;
      if (seg.joint) {
        const auto& dofs = skeleton.joints[*seg.joint].dofs;
        for (size_t d = 0; d < dofs.size(); ++d) {
          const double angle = pose.angles[part.first_angle + d];
          if (angle == 0) continue;
          const Vec3 axis = part.half == Half::kRight ? mirror_axis(dofs[d].axis) : dofs[d].axis;
          const Mat3 turn = Mat3::rotation(axis, angle);
          joint = joint ? *joint * turn : turn;
        }
      }
      frame = joint ? frames[*part.parent] * *joint : frames[*part.parent];
      origin = out.parts[*part.parent].origin + frames[*part.parent] * part.origin;
    }
    frames[i] = frame;
    out.parts[i] = {origin, origin + frame * part.draw_from, origin + frame * part.end, seg.radius};
  }
  out.landmarks.reserve(skeleton.landmarks.size());
  for (const auto& l : skeleton.landmarks) out.landmarks.push_back(out.parts[l.part].origin + frames[l.part] * l.at);
  return out;
}

Vec3 lowest_point(const Placement::PartPose& p) {
  const double dy = p.draw_from.y - p.end.y;
  const Vec3 low = std::abs(dy) < 1e-9 ? lerp(p.draw_from, p.end, 0.5) : (dy < 0 ? p.draw_from : p.end);
  return {low.x, low.y - p.radius, low.z};
}

std::optional<Surface> parse_surface(std::string_view t) {
  if (t == "floor") return Surface::kFloor;
  if (t == "chair") return Surface::kChair;
  if (t == "bench") return Surface::kBench;
  if (t == "step") return Surface::kStep;
  if (t == "wall") return Surface::kWall;
  if (t == "door_frame") return Surface::kDoorFrame;
  if (t == "foam_roller") return Surface::kRoller;
  return std::nullopt;
}

std::string_view to_string(Surface s) {
  switch (s) {
    case Surface::kFloor: return "floor";
    case Surface::kChair: return "chair";
    case Surface::kBench: return "bench";
    case Surface::kStep: return "step";
    case Surface::kWall: return "wall";
    case Surface::kDoorFrame: return "door_frame";
    case Surface::kRoller: return "foam_roller";
  }
  return "floor";
}

namespace {
constexpr std::pair<PropKind, std::string_view> kProps[] = {
    {PropKind::kMat, "mat"},         {PropKind::kWall, "wall"},           {PropKind::kChair, "chair"},
    {PropKind::kBench, "bench"},     {PropKind::kStep, "step"},           {PropKind::kBand, "band"},
    {PropKind::kDumbbell, "dumbbell"}, {PropKind::kKettlebell, "kettlebell"}, {PropKind::kFoamRoller, "foam_roller"},
    {PropKind::kDoorFrame, "door_frame"}, {PropKind::kBall, "ball"}};
constexpr std::pair<View, std::string_view> kViews[] = {
    {View::kLeft, "left"},   {View::kRight, "right"}, {View::kFront, "front"},
    {View::kBack, "back"},   {View::kThreeQuarterLeft, "three_quarter_left"},
    {View::kThreeQuarterRight, "three_quarter_right"}};
constexpr std::pair<Working, std::string_view> kWorking[] = {
    {Working::kBoth, "both"}, {Working::kLeft, "left"}, {Working::kRight, "right"}, {Working::kAlternating, "alternating"}};
constexpr std::pair<Direction, std::string_view> kDirections[] = {
    {Direction::kFront, "front"}, {Direction::kBack, "back"}, {Direction::kLeft, "left"}, {Direction::kRight, "right"}};

template <class E, size_t N>
std::optional<E> find_name(const std::pair<E, std::string_view> (&table)[N], std::string_view t) {
  for (const auto& [e, name] : table)
    if (name == t) return e;
  return std::nullopt;
}
template <class E, size_t N>
std::string_view find_value(const std::pair<E, std::string_view> (&table)[N], E e) {
  for (const auto& [v, name] : table)
    if (v == e) return name;
  return table[0].second;
}
}  // namespace

std::optional<PropKind> parse_prop(std::string_view t) { return find_name(kProps, t); }
std::string_view to_string(PropKind k) { return find_value(kProps, k); }
std::optional<View> parse_view(std::string_view t) { return find_name(kViews, t); }
std::string_view to_string(View v) { return find_value(kViews, v); }
std::optional<Working> parse_working(std::string_view t) { return find_name(kWorking, t); }
std::string_view to_string(Working w) { return find_value(kWorking, w); }
std::optional<Direction> parse_direction(std::string_view t) { return find_name(kDirections, t); }

Vec3 unit(Direction d) {
  switch (d) {
    case Direction::kFront: return {0, 0, 1};
    case Direction::kBack: return {0, 0, -1};
    case Direction::kLeft: return {1, 0, 0};
    case Direction::kRight: return {-1, 0, 0};
  }
  return {0, 0, 1};
}

Camera Camera::of(View view) {
  switch (view) {
    case View::kLeft: return {90, 10};
    case View::kRight: return {-90, 10};
    case View::kFront: return {0, 10};
    case View::kBack: return {180, 10};
    case View::kThreeQuarterLeft: return {50, 15};
    case View::kThreeQuarterRight: return {-50, 15};
  }
  return {};
}

Vec3 Camera::project(const Vec3& w) const {
  const double cy = std::cos(yaw * kDeg), sy = std::sin(yaw * kDeg);
  const double cp = std::cos(pitch * kDeg), sp = std::sin(pitch * kDeg);
  const Vec3 toward{sy * cp, sp, cy * cp};  // from the scene to the camera
  const Vec3 right{cy, 0, -sy};
  const Vec3 up = toward.cross(right);
  return {w.dot(right), -w.dot(up), w.dot(toward)};
}

const Posture* Model::posture(std::string_view id) const {
  for (const auto& p : postures)
    if (p.id == id) return &p;
  return nullptr;
}

const KeypointLayout* Model::layout(std::string_view id) const {
  for (const auto& l : layouts)
    if (l.id == id) return &l;
  return nullptr;
}

double Illustration::cycle_seconds() const {
  double total = 0;
  for (const auto& k : keyframes) total += k.move_seconds + k.hold_seconds;
  return keyframes.size() < 2 ? std::max(total, 1.0) : total;
}

Stage stage(const Model& model, const Illustration& ill) {
  Stage s;
  const Skeleton& sk = model.skeleton;
  const auto pelvis = sk.part("pelvis").value_or(0);
  for (size_t k = 0; k < ill.keyframes.size(); ++k) {
    const Keyframe& kf = ill.keyframes[k];
    Placement p = place(sk, kf.pose);
    Vec3 shift;
    if (auto lift = lift_onto(p, supports(model.furniture, kf))) {
      shift.y = *lift;
    } else {
      double lowest = std::numeric_limits<double>::infinity();
      for (const auto& part : p.parts) lowest = std::min(lowest, lowest_point(part).y);
      shift.y = -lowest;
    }
    if (k > 0) {
      const Placement& before = s.keyframes[k - 1];
      Placement lifted = p;
      lifted.translate({0, shift.y, 0});
      const auto anchor = choose_pivot(parts_of(shared_supports(model.furniture, ill.keyframes[k - 1], kf)), before, lifted);
      s.pivots.push_back(anchor);
      if (anchor) {
        const Vec3 was = lowest_point(before.parts[*anchor]), now = lowest_point(p.parts[*anchor]);
        shift.x = was.x - now.x;
        shift.z = was.z - now.z;
      } else {
        shift.x = before.parts[pelvis].origin.x - p.parts[pelvis].origin.x;
        shift.z = before.parts[pelvis].origin.z - p.parts[pelvis].origin.z;
      }
    }
    p.translate(shift);
    s.keyframes.push_back(std::move(p));
  }
  // The way back, from the last keyframe to the first.
  if (!ill.keyframes.empty())
    s.pivots.push_back(ill.keyframes.size() < 2 ? std::nullopt
                                                : choose_pivot(parts_of(shared_supports(model.furniture, ill.keyframes.back(),
                                                                                        ill.keyframes[0])),
                                                               s.keyframes.back(), s.keyframes[0]));
  const Vec3 wall_dir = wall_direction(ill, PropKind::kWall);
  for (size_t k = 0; k < ill.keyframes.size(); ++k)
    for (const auto& c : ill.keyframes[k].contacts) {
      const auto& part = s.keyframes[k].parts[c.part];
      switch (c.surface) {
        case Surface::kWall:
          if (!s.wall) s.wall = reach(part, wall_dir);
          break;
        case Surface::kDoorFrame:
          if (!s.door) s.door = reach(part, unit(Direction::kFront));
          break;
        case Surface::kChair:
          if (!s.chair) s.chair = lowest_point(part);
          break;
        case Surface::kBench:
          if (!s.bench) s.bench = lowest_point(part);
          break;
        case Surface::kStep:
          if (!s.step) s.step = lowest_point(part);
          break;
        case Surface::kFloor:
        case Surface::kRoller: break;
      }
    }
  for (size_t i = 0; i < ill.props.size(); ++i) {
    const Prop& prop = ill.props[i];
    if (prop.kind != PropKind::kBand || !prop.direction || prop.parts.empty() || s.keyframes.empty()) continue;
    const auto& part = s.keyframes[0].parts[prop.parts[0]];
    Vec3 at = lerp(part.draw_from, part.end, 0.5) + unit(*prop.direction) * prop.distance;
    at.y = prop.height;
    s.anchors[i] = at;
  }
  return s;
}

double contact_gap(const Model& model, const Illustration& ill, const Stage& stage, const Placement& placement,
                   const Contact& c) {
  const auto& part = placement.parts[c.part];
  const Furniture& f = model.furniture;
  switch (c.surface) {
    case Surface::kFloor: return lowest_point(part).y;
    case Surface::kChair: return lowest_point(part).y - f.chair_seat;
    case Surface::kBench: return lowest_point(part).y - f.bench;
    case Surface::kStep: return lowest_point(part).y - f.step;
    case Surface::kRoller: return lowest_point(part).y - f.roller_diameter;
    case Surface::kWall: return stage.wall ? *stage.wall - reach(part, wall_direction(ill, PropKind::kWall)) : 0;
    case Surface::kDoorFrame: return stage.door ? *stage.door - reach(part, unit(Direction::kFront)) : 0;
  }
  return 0;
}

Frame frame_at(const Model& model, const Illustration& ill, const Stage& st, double t, double scale, Half scaled_half) {
  Frame out;
  const size_t n = ill.keyframes.size();
  const Skeleton& sk = model.skeleton;
  if (n == 0) return out;
  // The timeline: hold keyframe 0, move to 1, hold 1, ..., move back to 0.
  const double cycle = ill.cycle_seconds();
  double at = std::fmod(t, cycle);
  if (at < 0) at += cycle;
  size_t from = 0, to = 0;
  double blend = 0;
  bool found = false;
  for (size_t i = 0; i < n && !found; ++i) {
    const size_t next = n < 2 ? i : (i + 1) % n;
    if (at < ill.keyframes[i].hold_seconds) {
      from = to = i;
      found = true;
      break;
    }
    at -= ill.keyframes[i].hold_seconds;
    const double move = ill.keyframes[next].move_seconds;
    if (n >= 2 && at < move) {
      from = i;
      to = next;
      blend = move > 0 ? at / move : 1;
      found = true;
      break;
    }
    if (n >= 2) at -= move;
  }
  if (!found) from = to = 0;
  const Keyframe& a = ill.keyframes[from];
  const Keyframe& b = ill.keyframes[to];
  const double e = ease(blend);
  Pose pose;
  pose.root = {lerp(a.pose.root.yaw, b.pose.root.yaw, e), lerp(a.pose.root.pitch, b.pose.root.pitch, e),
               lerp(a.pose.root.roll, b.pose.root.roll, e)};
  pose.angles.resize(a.pose.angles.size());
  const auto& base = ill.keyframes[0].pose.angles;
  for (size_t i = 0; i < pose.angles.size(); ++i) {
    double v = lerp(a.pose.angles[i], b.pose.angles[i], e);
    if (sk.slots[i].half == scaled_half) v = base[i] + scale * (v - base[i]);
    pose.angles[i] = v;
  }
  Placement p = place(sk, pose);
  const auto pelvis = sk.part("pelvis").value_or(0);
  const Placement& pa = st.keyframes[from];
  const Placement& pb = st.keyframes[to];
  Vec3 shift;
  if (auto lift = lift_onto(p, shared_supports(model.furniture, a, b)))
    shift.y = *lift;
  else
    shift.y = lerp(pa.parts[pelvis].origin.y, pb.parts[pelvis].origin.y, e) - p.parts[pelvis].origin.y;
  const std::optional<size_t> pivot = from == to || from >= st.pivots.size() ? std::nullopt : st.pivots[from];
  if (pivot) {
    const Vec3 want = lerp(lowest_point(pa.parts[*pivot]), lowest_point(pb.parts[*pivot]), e);
    const Vec3 now = lowest_point(p.parts[*pivot]);
    shift.x = want.x - now.x;
    shift.z = want.z - now.z;
  } else {
    shift.x = lerp(pa.parts[pelvis].origin.x, pb.parts[pelvis].origin.x, e) - p.parts[pelvis].origin.x;
    shift.z = lerp(pa.parts[pelvis].origin.z, pb.parts[pelvis].origin.z, e) - p.parts[pelvis].origin.z;
  }
  p.translate(shift);
  out.placement = std::move(p);
  out.from = from;
  out.to = to;
  out.blend = blend;
  return out;
}

}  // namespace rebalance::body
