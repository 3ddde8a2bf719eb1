// Drawing the body model: limbs as round-ended strokes, the trunk as a
// stroked polygon, the head as a disc; props from their simple 3-D shapes;
// everything projected by the illustration's camera and painted back to
// front.
#include "figure/figure.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace rebalance::figure {
namespace {

using body::Camera;
using body::Half;
using body::Placement;
using body::Vec3;

constexpr double kUnits = 100;   // screen units per body height
constexpr double kMargin = 6;    // around the picture
constexpr double kLimbBias = 0.03;  // limbs lie on the body's surface: in front of the trunk on a tie

// The parts and landmarks drawing needs, found once per skeleton.
struct Anatomy {
  size_t pelvis = 0, neck = 0, head = 0, thoracic = 0;
  std::array<size_t, 2> thigh{}, shank{}, foot{}, upper{}, fore{}, hand{};
  std::array<size_t, 2> chest{}, waist{}, iliac{};
  size_t nose = 0;

  explicit Anatomy(const body::Skeleton& sk) {
    auto part = [&](const std::string& n) { return sk.part(n).value_or(0); };
    auto mark = [&](const std::string& n) { return sk.landmark(n).value_or(0); };
    pelvis = part("pelvis");
    neck = part("neck");
    head = part("head");
    thoracic = part("thoracic");
    const std::array<std::string, 2> side{"left_", "right_"};
    for (int s = 0; s < 2; ++s) {
      thigh[s] = part(side[s] + "thigh");
      shank[s] = part(side[s] + "shank");
      foot[s] = part(side[s] + "foot");
      upper[s] = part(side[s] + "upper_arm");
      fore[s] = part(side[s] + "forearm");
      hand[s] = part(side[s] + "hand");
      chest[s] = mark(side[s] + "chest");
      waist[s] = mark(side[s] + "waist");
      iliac[s] = mark(side[s] + "iliac");
    }
    nose = mark("nose");
  }
};

Point screen(const Camera& cam, const Vec3& w) {
  const Vec3 p = cam.project(w);
  return {p.x * kUnits, p.y * kUnits};
}

double depth(const Camera& cam, const Vec3& w) { return cam.project(w).z; }

Vec3 mid(const Vec3& a, const Vec3& b, double t = 0.5) { return a + (b - a) * t; }

Shape line(const Camera& cam, std::initializer_list<Vec3> pts, double width_h) {
  Shape s;
  s.kind = Shape::Kind::kLine;
  for (const auto& p : pts) s.points.push_back(screen(cam, p));
  s.width = width_h * kUnits;
  return s;
}

Shape disc(const Camera& cam, const Vec3& c, double radius_h) {
  Shape s;
  s.kind = Shape::Kind::kDisc;
  s.points.push_back(screen(cam, c));
  s.width = radius_h * kUnits;
  return s;
}

Shape polygon(const Camera& cam, const std::vector<Vec3>& pts, double width_h) {
  Shape s;
  s.kind = Shape::Kind::kPolygon;
  for (const auto& p : pts) s.points.push_back(screen(cam, p));
  s.width = width_h * kUnits;
  return s;
}

// The body as five items in a fixed order (left leg, right leg, left arm,
// right arm, trunk with neck and head) and the depth of each.
struct BodyItems {
  std::array<Item, 5> items;
  std::array<double, 5> depth{};
};

BodyItems body_items(const Anatomy& a, const Placement& p, const Camera& cam) {
  BodyItems out;
  auto seg = [&](size_t part, bool from_origin = false) {
    const auto& pp = p.parts[part];
    return line(cam, {from_origin ? pp.origin : pp.draw_from, pp.end}, 2 * pp.radius);
  };
  auto item_depth = [&](std::initializer_list<size_t> parts) {
    double sum = 0;
    for (size_t i : parts) sum += depth(cam, mid(p.parts[i].draw_from, p.parts[i].end));
    return sum / static_cast<double>(parts.size());
  };
  for (int s = 0; s < 2; ++s) {
    Item& leg = out.items[s];
    leg.shapes = {seg(a.thigh[s]), seg(a.shank[s]), seg(a.foot[s])};
    out.depth[s] = item_depth({a.thigh[s], a.shank[s], a.foot[s]}) + kLimbBias;
    Item& arm = out.items[2 + s];
    arm.shapes = {seg(a.upper[s]), seg(a.fore[s]), seg(a.hand[s])};
    out.depth[2 + s] = item_depth({a.upper[s], a.fore[s], a.hand[s]}) + kLimbBias;
  }
  const auto& lm = p.landmarks;
  Item& trunk = out.items[4];
  const double trunk_r = p.parts[a.thoracic].radius;
  trunk.shapes.push_back(polygon(cam, {lm[a.chest[0]], lm[a.chest[1]], lm[a.waist[1]], lm[a.iliac[1]], lm[a.iliac[0]], lm[a.waist[0]]},
                                 2 * trunk_r));
  const auto& head = p.parts[a.head];
  const Vec3 head_c = mid(head.draw_from, head.end);
  trunk.shapes.push_back(line(cam, {p.parts[a.neck].origin, head_c}, 2 * p.parts[a.neck].radius));
  trunk.shapes.push_back(line(cam, {head_c, head_c + (lm[a.nose] - head_c) * 1.12}, 0.028));
  trunk.shapes.push_back(disc(cam, head_c, head.radius));
  out.depth[4] = (depth(cam, lm[a.chest[0]]) + depth(cam, lm[a.chest[1]]) + depth(cam, lm[a.iliac[0]]) +
                  depth(cam, lm[a.iliac[1]])) /
                 4;
  return out;
}

// Orders body items back to front, inks limbs far or near by their depth
// against the trunk's, and appends them.
void add_body(std::vector<Item>& out, BodyItems b, const std::array<size_t, 5>& order, std::optional<Ink> ink) {
  for (size_t i : order) {
    Item item = std::move(b.items[i]);
    if (ink)
      item.ink = *ink;
    else
      item.ink = (i < 4 && b.depth[i] - kLimbBias < b.depth[4] - 0.035) ? Ink::kFar : Ink::kNear;
    out.push_back(std::move(item));
  }
}

std::array<size_t, 5> back_to_front(const std::array<double, 5>& depth) {
  std::array<size_t, 5> order{0, 1, 2, 3, 4};
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return depth[x] < depth[y]; });
  return order;
}

// Where a prop meets a part: near the knee for a thigh, the ankle for a
// shank, the palm for a hand, the middle otherwise.
Vec3 grip(const body::Skeleton& sk, const Placement& p, size_t part) {
  const auto& pp = p.parts[part];
  const std::string& seg = sk.segments[sk.parts[part].segment].id;
  const double t = seg == "thigh" ? 0.85 : seg == "shank" ? 0.8 : seg == "hand" ? 0.4 : 0.5;
  return mid(pp.draw_from, pp.end, t);
}

Vec3 normalized(const Vec3& v) {
  const double n = v.norm();
  return n < 1e-9 ? Vec3{1, 0, 0} : v * (1 / n);
}

// Props that move with the body: bands, weights, rollers, balls.
Item moving_props(const kb::KnowledgeBase& kb, const body::Illustration& ill, const body::Stage& st, const Placement& p,
                  const Camera& cam, Ink kind) {
  const auto& sk = kb.body.skeleton;
  Item item;
  item.ink = kind;
  item.outlined = kind != Ink::kBand;
  for (size_t i = 0; i < ill.props.size(); ++i) {
    const body::Prop& prop = ill.props[i];
    switch (prop.kind) {
      case body::PropKind::kBand:
        if (kind != Ink::kBand) break;
        if (prop.parts.size() == 2) {
          item.shapes.push_back(line(cam, {grip(sk, p, prop.parts[0]), grip(sk, p, prop.parts[1])}, 0.013));
        } else if (auto it = st.anchors.find(i); it != st.anchors.end()) {
          item.shapes.push_back(line(cam, {grip(sk, p, prop.parts[0]), it->second}, 0.013));
        }
        break;
      case body::PropKind::kFoamRoller: {
        if (kind != Ink::kProp || prop.parts.empty()) break;
        const Vec3 low = body::lowest_point(p.parts[prop.parts[0]]);
        const double r = kb.body.furniture.roller_diameter / 2;
        const Vec3 c{low.x, r, low.z};
        item.shapes.push_back(line(cam, {c - Vec3{0.14, 0, 0}, c + Vec3{0.14, 0, 0}}, 2 * r));
        break;
      }
      case body::PropKind::kBall:
        if (kind != Ink::kProp || prop.parts.size() != 2) break;
        item.shapes.push_back(disc(cam, mid(grip(sk, p, prop.parts[0]), grip(sk, p, prop.parts[1])), 0.04));
        break;
      default: break;
    }
  }
  return item;
}

// Dumbbells and kettlebells join the arm that holds them, so they are painted
// at that arm's depth.
void attach_weights(BodyItems& b, const kb::KnowledgeBase& kb, const body::Illustration& ill, const Placement& p,
                    const Camera& cam) {
  const auto& sk = kb.body.skeleton;
  auto holder = [&](size_t part) -> Item& {
    const auto half = sk.parts[part].half;
    return half == Half::kMid ? b.items[4] : b.items[half == Half::kLeft ? 2 : 3];
  };
  auto add = [](Item& item, Shape s) {
    s.ink = Ink::kIron;
    item.shapes.push_back(std::move(s));
  };
  for (const body::Prop& prop : ill.props) {
    if (prop.kind == body::PropKind::kDumbbell) {
      for (size_t part : prop.parts) {
        const Vec3 g = grip(sk, p, part);
        const std::string side = sk.parts[part].half == Half::kRight ? "right_" : "left_";
        const auto thumb = sk.landmark(side + "thumb"), pinky = sk.landmark(side + "pinky");
        const Vec3 axis = thumb && pinky ? normalized(p.landmarks[*thumb] - p.landmarks[*pinky]) : Vec3{0, 0, 1};
        Item& arm = holder(part);
        add(arm, line(cam, {g - axis * 0.06, g + axis * 0.06}, 0.018));
        add(arm, line(cam, {g - axis * 0.075, g - axis * 0.05}, 0.06));
        add(arm, line(cam, {g + axis * 0.05, g + axis * 0.075}, 0.06));
      }
    } else if (prop.kind == body::PropKind::kKettlebell && !prop.parts.empty()) {
      Vec3 g;
      for (size_t part : prop.parts) g = g + grip(sk, p, part);
      g = g * (1.0 / static_cast<double>(prop.parts.size()));
      const Vec3 bell = g + Vec3{0, -0.075, 0};
      Item& arm = holder(prop.parts.back());
      add(arm, line(cam, {g + Vec3{0, 0.005, 0}, bell}, 0.03));
      add(arm, disc(cam, bell, 0.048));
    }
  }
}

// The convex hull of points (Andrew's monotone chain), counter-clockwise.
std::vector<Point> hull(std::vector<Point> pts) {
  std::sort(pts.begin(), pts.end(), [](const Point& a, const Point& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  if (pts.size() < 3) return pts;
  auto cross = [](const Point& o, const Point& a, const Point& b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); };
  std::vector<Point> h(2 * pts.size());
  size_t k = 0;
  for (size_t i = 0; i < pts.size(); ++i) {
    while (k >= 2 && cross(h[k - 2], h[k - 1], pts[i]) <= 0) --k;
    h[k++] = pts[i];
  }
  for (size_t i = pts.size() - 1, t = k + 1; i > 0; --i) {
    while (k >= t && cross(h[k - 2], h[k - 1], pts[i - 1]) <= 0) --k;
    h[k++] = pts[i - 1];
  }
  h.resize(k - 1);
  return h;
}

// A box standing on the floor, drawn as its silhouette.
Shape box(const Camera& cam, const Vec3& centre_top, double half_x, double half_z) {
  std::vector<Point> corners;
  for (double y : {0.0, centre_top.y})
    for (double dx : {-half_x, half_x})
      for (double dz : {-half_z, half_z}) corners.push_back(screen(cam, {centre_top.x + dx, y, centre_top.z + dz}));
  Shape s;
  s.kind = Shape::Kind::kPolygon;
  s.points = hull(corners);
  s.width = 1.2;
  return s;
}

struct Extent {
  double min_x = std::numeric_limits<double>::infinity(), max_x = -std::numeric_limits<double>::infinity();
  double min_z = std::numeric_limits<double>::infinity(), max_z = -std::numeric_limits<double>::infinity();
  void add(const Vec3& v, double r = 0) {
    min_x = std::min(min_x, v.x - r);
    max_x = std::max(max_x, v.x + r);
    min_z = std::min(min_z, v.z - r);
    max_z = std::max(max_z, v.z + r);
  }
  void add(const Placement& p) {
    for (const auto& part : p.parts) {
      add(part.draw_from, part.radius);
      add(part.end, part.radius);
    }
  }
};

// The floor patch, the mat, walls, door frames and furniture: they do not move.
std::vector<Item> scenery(const kb::KnowledgeBase& kb, const body::Illustration& ill, const body::Stage& st, const Extent& body_extent,
                          const Camera& cam) {
  const auto& f = kb.body.furniture;
  Extent e = body_extent;
  if (st.chair) e.add(*st.chair, 0.15);
  if (st.bench) e.add(*st.bench, 0.18);
  if (st.step) e.add(*st.step, 0.2);
  std::vector<Item> out;
  Item floor;
  floor.ink = Ink::kFloor;
  floor.outlined = false;
  const double pad = 0.2;
  floor.shapes.push_back(polygon(cam,
                                 {{e.min_x - pad, 0, e.min_z - pad},
                                  {e.max_x + pad, 0, e.min_z - pad},
                                  {e.max_x + pad, 0, e.max_z + pad},
                                  {e.min_x - pad, 0, e.max_z + pad}},
                                 0.004));
  out.push_back(std::move(floor));
  for (size_t i = 0; i < ill.props.size(); ++i) {
    const body::Prop& prop = ill.props[i];
    Item item;
    item.ink = Ink::kProp;
    switch (prop.kind) {
      case body::PropKind::kMat: {
        item.ink = Ink::kMat;
        item.outlined = false;
        const Extent& b = body_extent;
        item.shapes.push_back(polygon(cam,
                                      {{b.min_x - 0.04, 0.004, b.min_z - 0.04},
                                       {b.max_x + 0.04, 0.004, b.min_z - 0.04},
                                       {b.max_x + 0.04, 0.004, b.max_z + 0.04},
                                       {b.min_x - 0.04, 0.004, b.max_z + 0.04}},
                                      0.008));
        break;
      }
      case body::PropKind::kWall: {
        if (!st.wall || !prop.direction) break;
        item.ink = Ink::kWall;
        const Vec3 d = body::unit(*prop.direction);
        const bool along_x = std::abs(d.x) > 0.5;  // the wall's normal is the x axis
        const double w = *st.wall * (along_x ? d.x : d.z);
        std::vector<Vec3> quad;
        if (along_x)
          quad = {{w, 0, e.min_z - 0.1}, {w, 0, e.max_z + 0.1}, {w, 1.1, e.max_z + 0.1}, {w, 1.1, e.min_z - 0.1}};
        else
          quad = {{e.min_x - 0.1, 0, w}, {e.max_x + 0.1, 0, w}, {e.max_x + 0.1, 1.1, w}, {e.min_x - 0.1, 1.1, w}};
        item.shapes.push_back(polygon(cam, quad, 0.02));
        break;
      }
      case body::PropKind::kDoorFrame: {
        if (!st.door) break;
        item.ink = Ink::kWall;
        const double cx = (body_extent.min_x + body_extent.max_x) / 2, hw = f.door_width / 2, z = *st.door;
        item.shapes.push_back(line(cam, {{cx - hw, 0, z}, {cx - hw, f.door_height, z}, {cx + hw, f.door_height, z}, {cx + hw, 0, z}}, 0.035));
        break;
      }
      case body::PropKind::kChair: {
        if (!st.chair || !prop.direction) break;
        const Vec3 c{st.chair->x, f.chair_seat, st.chair->z};
        const Vec3 back = body::unit(*prop.direction);
        const Vec3 side{back.z, 0, -back.x};
        const double h = 0.11;
        // Seat centred a little toward the backrest from the contact.
        const Vec3 s = c + back * 0.04;
        const Vec3 b0 = s + back * h, fr = s - back * h;
        for (double k : {-1.0, 1.0}) {
          item.shapes.push_back(line(cam, {fr + side * (k * h), fr + side * (k * h) - Vec3{0, f.chair_seat, 0}}, 0.016));
          item.shapes.push_back(line(cam, {b0 + side * (k * h) - Vec3{0, f.chair_seat, 0}, b0 + side * (k * h) + Vec3{0, 0.27, 0}}, 0.016));
        }
        item.shapes.push_back(polygon(cam, {fr - side * h, fr + side * h, b0 + side * h, b0 - side * h}, 0.02));
        item.shapes.push_back(line(cam, {b0 - side * h + Vec3{0, 0.2, 0}, b0 + side * h + Vec3{0, 0.2, 0}}, 0.05));
        break;
      }
      case body::PropKind::kBench:
        if (st.bench) item.shapes.push_back(box(cam, {st.bench->x, f.bench, st.bench->z}, 0.16, 0.16));
        break;
      case body::PropKind::kStep:
        if (st.step) item.shapes.push_back(box(cam, {st.step->x, f.step, st.step->z}, 0.25, 0.17));
        break;
      case body::PropKind::kBand:
        if (auto it = st.anchors.find(i); it != st.anchors.end()) {
          const Vec3 a = it->second;
          item.shapes.push_back(line(cam, {{a.x, 0, a.z}, {a.x, a.y + 0.12, a.z}}, 0.025));
          item.shapes.push_back(disc(cam, a, 0.018));
        }
        break;
      default: break;
    }
    if (!item.shapes.empty()) out.push_back(std::move(item));
  }
  return out;
}

// Moves every point so the picture starts at (margin, margin), and sets its size.
void frame_pictures(std::vector<Picture*> pictures) {
  double min_x = std::numeric_limits<double>::infinity(), min_y = min_x;
  double max_x = -min_x, max_y = -min_x;
  for (Picture* pic : pictures)
    for (const auto& item : pic->items)
      for (const auto& s : item.shapes) {
        const double r = (s.kind == Shape::Kind::kDisc ? s.width : s.width / 2) + (item.outlined ? kOutline : 0);
        for (const auto& pt : s.points) {
          min_x = std::min(min_x, pt.x - r);
          max_x = std::max(max_x, pt.x + r);
          min_y = std::min(min_y, pt.y - r);
          max_y = std::max(max_y, pt.y + r);
        }
      }
  if (!std::isfinite(min_x)) min_x = max_x = min_y = max_y = 0;
  for (Picture* pic : pictures) {
    for (auto& item : pic->items)
      for (auto& s : item.shapes)
        for (auto& pt : s.points) {
          pt.x += kMargin - min_x;
          pt.y += kMargin - min_y;
        }
    pic->width = max_x - min_x + 2 * kMargin;
    pic->height = max_y - min_y + 2 * kMargin;
  }
}

Camera camera_of(const body::Illustration& ill) { return Camera::of(ill.view); }

// The motion arrow: along the path of the landmark that moves most between
// the two placements, bowed away from the body.
std::optional<Item> arrow(const kb::KnowledgeBase& kb, const Placement& from, const Placement& to, const Camera& cam) {
  const auto& sk = kb.body.skeleton;
  double best = 0;
  Point a, b;
  for (const char* name : {"left_wrist", "right_wrist", "left_ankle", "right_ankle", "left_knee", "right_knee", "left_elbow",
                           "right_elbow", "nose", "left_hip"}) {
    const auto i = sk.landmark(name);
    if (!i) continue;
    const Point p = screen(cam, from.landmarks[*i]), q = screen(cam, to.landmarks[*i]);
    const double d = std::hypot(q.x - p.x, q.y - p.y);
    if (d > best + 0.5) {
      best = d;
      a = p;
      b = q;
    }
  }
  if (best < 6) return std::nullopt;
  // The body's centre on screen, to bow the arrow away from it.
  Point c;
  for (const auto& l : to.landmarks) {
    const Point p = screen(cam, l);
    c.x += p.x;
    c.y += p.y;
  }
  c.x /= static_cast<double>(to.landmarks.size());
  c.y /= static_cast<double>(to.landmarks.size());
  const Point m{(a.x + b.x) / 2, (a.y + b.y) / 2};
  Point n{-(b.y - a.y) / best, (b.x - a.x) / best};
  if ((m.x - c.x) * n.x + (m.y - c.y) * n.y < 0) n = {-n.x, -n.y};
  const double away = 7, bow = 0.22 * best;
  const Point p0{a.x + n.x * away, a.y + n.y * away}, p2{b.x + n.x * away, b.y + n.y * away};
  const Point p1{m.x + n.x * (away + bow), m.y + n.y * (away + bow)};
  Item item;
  item.ink = Ink::kArrow;
  item.outlined = false;
  Shape curve;
  curve.kind = Shape::Kind::kLine;
  curve.width = 1.8;
  constexpr int kSteps = 16;
  // Stop short of the tip so the head covers the line's end.
  for (int i = 0; i <= kSteps; ++i) {
    const double t = 0.92 * i / kSteps, u = 1 - t;
    curve.points.push_back({u * u * p0.x + 2 * u * t * p1.x + t * t * p2.x, u * u * p0.y + 2 * u * t * p1.y + t * t * p2.y});
  }
  item.shapes.push_back(curve);
  // The head points along the curve's end tangent.
  Point dir{p2.x - p1.x, p2.y - p1.y};
  const double len = std::hypot(dir.x, dir.y);
  dir = {dir.x / len, dir.y / len};
  const Point side{-dir.y, dir.x};
  const double hl = 6, hw = 3.6;
  Shape head;
  head.kind = Shape::Kind::kPolygon;
  head.width = 0.6;
  head.points = {p2, {p2.x - dir.x * hl + side.x * hw, p2.y - dir.y * hl + side.y * hw},
                 {p2.x - dir.x * hl - side.x * hw, p2.y - dir.y * hl - side.y * hw}};
  item.shapes.push_back(head);
  return item;
}

Extent extent_of(const std::vector<Placement>& placements) {
  Extent e;
  for (const auto& p : placements) e.add(p);
  return e;
}

}  // namespace

Picture still(const kb::KnowledgeBase& kb, const body::Illustration& ill, const std::string& title) {
  const Anatomy a(kb.body.skeleton);
  const Camera cam = camera_of(ill);
  const body::Stage st = body::stage(kb.body, ill);
  Picture pic;
  pic.title = title;
  const Placement& key = st.keyframes[ill.key];
  const bool ghost = ill.key != 0;
  std::vector<Placement> shown{key};
  if (ghost) shown.push_back(st.keyframes[0]);
  pic.items = scenery(kb, ill, st, extent_of(shown), cam);
  if (ghost) {
    BodyItems g = body_items(a, st.keyframes[0], cam);
    attach_weights(g, kb, ill, st.keyframes[0], cam);
    for (auto& item : g.items)
      for (auto& shape : item.shapes) shape.ink.reset();
    add_body(pic.items, g, back_to_front(g.depth), Ink::kGhost);
  }
  pic.items.push_back(moving_props(kb, ill, st, key, cam, Ink::kProp));
  BodyItems k = body_items(a, key, cam);
  const auto order = back_to_front(k.depth);
  attach_weights(k, kb, ill, key, cam);
  add_body(pic.items, k, order, std::nullopt);
  pic.items.push_back(moving_props(kb, ill, st, key, cam, Ink::kBand));
  if (ghost)
    if (auto arr = arrow(kb, st.keyframes[0], key, cam)) pic.items.push_back(std::move(*arr));
  std::erase_if(pic.items, [](const Item& i) { return i.shapes.empty(); });
  frame_pictures({&pic});
  return pic;
}

int frames_for(const body::Illustration& ill) {
  if (ill.keyframes.size() < 2) return 2;
  return std::clamp(static_cast<int>(std::lround(ill.cycle_seconds() * 8)), 16, 96);
}

Animation animate(const kb::KnowledgeBase& kb, const body::Illustration& ill, const std::string& title, int frames) {
  const Anatomy a(kb.body.skeleton);
  const Camera cam = camera_of(ill);
  const body::Stage st = body::stage(kb.body, ill);
  Animation out;
  out.seconds = ill.cycle_seconds();
  std::vector<body::Frame> poses;
  poses.reserve(frames);
  for (int i = 0; i < frames; ++i) poses.push_back(body::frame_at(kb.body, ill, st, out.seconds * i / frames));
  std::vector<Placement> placements;
  std::array<double, 5> mean_depth{};
  std::vector<BodyItems> bodies;
  for (const auto& f : poses) {
    placements.push_back(f.placement);
    bodies.push_back(body_items(a, f.placement, cam));
    for (size_t i = 0; i < 5; ++i) mean_depth[i] += bodies.back().depth[i] / frames;
  }
  const auto order = back_to_front(mean_depth);
  const std::vector<Item> fixed = scenery(kb, ill, st, extent_of(placements), cam);
  for (int i = 0; i < frames; ++i) {
    Picture pic;
    pic.title = title;
    pic.items = fixed;
    pic.items.push_back(moving_props(kb, ill, st, placements[i], cam, Ink::kProp));
    BodyItems b = bodies[i];
    b.depth = mean_depth;  // one inking for the loop
    attach_weights(b, kb, ill, placements[i], cam);
    add_body(pic.items, b, order, std::nullopt);
    pic.items.push_back(moving_props(kb, ill, st, placements[i], cam, Ink::kBand));
    std::erase_if(pic.items, [](const Item& it) { return it.shapes.empty(); });
    out.frames.push_back(std::move(pic));
  }
  std::vector<Picture*> all;
  for (auto& f : out.frames) all.push_back(&f);
  frame_pictures(all);
  return out;
}

KeypointSeries keypoints(const kb::KnowledgeBase& kb, const body::Illustration& ill, const KeypointOptions& o) {
  KeypointSeries out;
  out.exercise = ill.exercise;
  out.layout = o.layout;
  out.options = o;
  const body::KeypointLayout* layout = kb.body.layout(o.layout);
  if (layout == nullptr) return out;
  out.names = layout->names;
  out.camera = o.use_view ? camera_of(ill) : o.camera;
  const Anatomy a(kb.body.skeleton);
  const body::Stage st = body::stage(kb.body, ill);
  const double cycle = ill.cycle_seconds();
  out.seconds_per_rep = o.seconds_per_rep.value_or(cycle);
  const double total = out.seconds_per_rep * o.reps;
  const int n = std::max(1, static_cast<int>(std::floor(total * o.fps + 1e-9)));
  struct Raw {
    std::vector<Vec3> pts;  // projected, in H
    std::vector<bool> hidden;
    double t;
    int rep;
    std::string phase;
  };
  std::vector<Raw> raw;
  raw.reserve(n);
  double min_x = std::numeric_limits<double>::infinity(), min_y = min_x, max_x = -min_x, max_y = -min_x;
  for (int j = 0; j < n; ++j) {
    const double t = j / o.fps;
    const int rep = std::min(o.reps, static_cast<int>(t / out.seconds_per_rep) + 1);
    const double in_rep = std::fmod(t, out.seconds_per_rep) / out.seconds_per_rep * cycle;
    const body::Frame f = body::frame_at(kb.body, ill, st, in_rep, 1.0 - o.asymmetry, Half::kRight);
    Raw r;
    r.t = t;
    r.rep = rep;
    r.phase = ill.keyframes[f.blend > 0 ? f.to : f.from].name;
    // The trunk as the camera sees it: landmarks behind it and inside it are hidden.
    const BodyItems b = body_items(a, f.placement, out.camera);
    const Shape& trunk = b.items[4].shapes[0];
    const double trunk_depth = b.depth[4];
    for (size_t lm : layout->landmarks) {
      const Vec3 p = out.camera.project(f.placement.landmarks[lm]);
      r.pts.push_back(p);
      bool inside = false;
      const Point q{p.x * kUnits, p.y * kUnits};
      const auto& poly = trunk.points;
      for (size_t i = 0, k = poly.size() - 1; i < poly.size(); k = i++)
        if (((poly[i].y > q.y) != (poly[k].y > q.y)) &&
            (q.x < (poly[k].x - poly[i].x) * (q.y - poly[i].y) / (poly[k].y - poly[i].y + 1e-12) + poly[i].x))
          inside = !inside;
      r.hidden.push_back(inside && p.z < trunk_depth - 0.03);
      min_x = std::min(min_x, p.x);
      max_x = std::max(max_x, p.x);
      min_y = std::min(min_y, p.y);
      max_y = std::max(max_y, p.y);
    }
    raw.push_back(std::move(r));
  }
  const double w = std::max(max_x - min_x, 1e-6), h = std::max(max_y - min_y, 1e-6);
  out.scale = std::min(o.width * 0.8 / w, o.height * 0.8 / h);
  const double ox = (o.width - w * out.scale) / 2 - min_x * out.scale;
  const double oy = (o.height - h * out.scale) / 2 - min_y * out.scale;
  std::mt19937 rng(o.seed);
  std::normal_distribution<double> noise(0.0, o.noise_px > 0 ? o.noise_px : 1.0);
  for (auto& r : raw) {
    KeypointFrame f;
    f.t = r.t;
    f.rep = r.rep;
    f.phase = r.phase;
    for (size_t i = 0; i < r.pts.size(); ++i) {
      Keypoint k;
      k.x = r.pts[i].x * out.scale + ox;
      k.y = r.pts[i].y * out.scale + oy;
      k.depth = r.pts[i].z * out.scale;
      if (o.noise_px > 0) {
        k.x += noise(rng);
        k.y += noise(rng);
      }
      k.occluded = r.hidden[i];
      f.points.push_back(k);
    }
    out.frames.push_back(std::move(f));
  }
  return out;
}

}  // namespace rebalance::figure
