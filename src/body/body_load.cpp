// Reading and validating the body model, postures, keypoint layouts and
// exercise illustrations.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include "body/detail/load.h"

namespace rebalance::body::detail {
namespace {

using rebalance::detail::child_path;
using rebalance::detail::each_object;
using rebalance::detail::ObjectReader;

// Points inside each movement between keyframes checked for passing through
// the floor (the ends are the keyframes, checked on their own). Angles move
// smoothly (eased), so eight steps of each movement find a limb that dips.
constexpr int kStepsPerMove = 8;


std::optional<Vec3> vec3(ObjectReader& r, const std::string& key, bool required) {
  const Json* v = required ? r.require(key, "[x, y, z] in fractions of height") : r.get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array() || v->size() != 3 ||
      !std::all_of(v->begin(), v->end(), [](const Json& n) { return n.is_number() && std::abs(n.get<double>()) <= 2; })) {
    r.problems().add(r.path_of(key), "[x, y, z] in fractions of height (each -2 to 2)", *v);
    return std::nullopt;
  }
  return Vec3{(*v)[0].get<double>(), (*v)[1].get<double>(), (*v)[2].get<double>()};
}

std::string source(ObjectReader& r) {
  auto v = r.string("source", true, "a source citation");
  if (v && v->size() < 8) r.problems().add(r.path_of("source"), "a source citation", "\"" + *v + "\"");
  return v.value_or("");
}

// A number as people read it: up to `decimals` places, no trailing zeros.
std::string num(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

std::string fmt_h(double v) { return num(v, 3) + " H"; }

// What can go wrong with a placed body: contacts off their surfaces,
// anything through the floor. `where(i)` names the path of contact i.
void check_pose(Problems& p, const Model& model, const Illustration& ill, const Stage& st, const Placement& placed,
                     const std::vector<Contact>& contacts, const std::function<std::string(size_t)>& where,
                     const std::string& floor_path) {
  const double tol = model.furniture.contact_tolerance;
  const Skeleton& sk = model.skeleton;
  for (size_t i = 0; i < contacts.size(); ++i) {
    const double gap = contact_gap(model, ill, st, placed, contacts[i]);
    if (std::abs(gap) > tol)
      p.add(where(i),
            sk.parts[contacts[i].part].name + " touching the " + std::string(to_string(contacts[i].surface)) +
                " (within " + fmt_h(tol) + ")",
            fmt_h(std::abs(gap)) + (gap > 0 ? " away from it" : " into it"));
  }
  for (size_t i = 0; i < placed.parts.size(); ++i) {
    const double y = lowest_point(placed.parts[i]).y;
    if (y < -tol) {
      p.add(floor_path, "a body above the floor (within " + fmt_h(tol) + ")",
            sk.parts[i].name + " " + fmt_h(-y) + " below it");
      return;
    }
  }
}

class PoseReader {
 public:
  explicit PoseReader(const Model& model) : sk_(model.skeleton) {}

  // "root": {"yaw", "pitch", "roll"} overrides.
  void root(ObjectReader& r, Pose& pose) {
    const Json* v = r.get("root");
    if (v == nullptr) return;
    ObjectReader o(r.problems(), *v, r.path_of("root"));
    if (!o.ok()) return;
    if (auto x = o.number("yaw", false, -360, 360, "degrees -360 to 360")) pose.root.yaw = *x;
    if (auto x = o.number("pitch", false, -360, 360, "degrees -360 to 360")) pose.root.pitch = *x;
    if (auto x = o.number("roll", false, -360, 360, "degrees -360 to 360")) pose.root.roll = *x;
    o.strict();
  }

  // "joints": {"left_hip": {"flexion": 90}, "both_knee": {"flexion": 45}}.
  void joints(ObjectReader& r, Pose& pose) {
    const Json* v = r.get("joints");
    if (v == nullptr) return;
    const std::string path = r.path_of("joints");
    if (!v->is_object()) {
      r.problems().add(path, "an object of joints", *v);
      return;
    }
    for (const auto& [name, dofs] : v->items()) {
      const std::string jpath = child_path(path, name);
      std::vector<std::string> instances{name};
      if (name.rfind("both_", 0) == 0) instances = {"left_" + name.substr(5), "right_" + name.substr(5)};
      ObjectReader o(r.problems(), dofs, jpath);
      if (!o.ok()) continue;
      if (!std::all_of(instances.begin(), instances.end(), [&](const std::string& i) { return known_joint(i); })) {
        r.problems().add(jpath, "a joint of the body model (" + joint_names() + ")", "\"" + name + "\"");
        continue;
      }
      for (const auto& [dof, value] : dofs.items()) {
        const std::string dpath = child_path(jpath, dof);
        const auto slot = sk_.angle(instances[0], dof);
        if (!slot) {
          r.problems().add(dpath, "a degree of freedom of " + name + " (" + dof_names(instances[0]) + ")", "\"" + dof + "\"");
          continue;
        }
        if (!value.is_number()) {
          r.problems().add(dpath, "degrees", value);
          continue;
        }
        const double deg = value.get<double>();
        const Dof& d = sk_.dof(*slot);
        if (deg < d.min || deg > d.max) {
          r.problems().add(dpath, name + " " + dof + " within the joint's limits, " + num(d.min) + " to " + num(d.max) +
                               " degrees (body/model.json)",
                           num(deg));
          continue;
        }
        for (const auto& inst : instances) pose.angles[*sk_.angle(inst, dof)] = deg;
      }
    }
  }

  std::optional<std::vector<Contact>> contacts(ObjectReader& r, bool required) {
    const Json* v = required ? r.require("contacts", "a list of contacts") : r.get("contacts");
    if (v == nullptr) return std::nullopt;
    std::vector<Contact> out;
    each_object(r, "contacts", false, [&](ObjectReader& c) {
      Contact contact;
      bool ok = true;
      if (auto part = c.string("part", true, "a body part (" + part_names() + ")")) {
        if (auto i = sk_.part(*part))
          contact.part = *i;
        else {
          c.problems().add(c.path_of("part"), "a body part (" + part_names() + ")", "\"" + *part + "\"");
          ok = false;
        }
      } else {
        ok = false;
      }
      if (auto on = c.string("on", true, "a surface (floor, chair, bench, step, wall, door_frame, foam_roller)")) {
        if (auto s = parse_surface(*on))
          contact.surface = *s;
        else {
          c.problems().add(c.path_of("on"), "a surface (floor, chair, bench, step, wall, door_frame, foam_roller)",
                           "\"" + *on + "\"");
          ok = false;
        }
      } else {
        ok = false;
      }
      c.strict();
      if (ok) out.push_back(contact);
    });
    return out;
  }

  std::string part_names() const {
    std::string s;
    for (const auto& p : sk_.parts) s += (s.empty() ? "" : ", ") + p.name;
    return s;
  }

 private:
  bool known_joint(const std::string& instance) const {
    return std::any_of(sk_.slots.begin(), sk_.slots.end(), [&](const auto& s) { return s.joint_instance == instance; });
  }
  std::string joint_names() const {
    std::string s;
    std::string last;
    for (const auto& slot : sk_.slots)
      if (slot.joint_instance != last) {
        last = slot.joint_instance;
        s += (s.empty() ? "" : ", ") + last;
      }
    return s + "; both_JOINT for both sides";
  }
  std::string dof_names(const std::string& instance) const {
    std::string s;
    for (size_t i = 0; i < sk_.slots.size(); ++i)
      if (sk_.slots[i].joint_instance == instance) s += (s.empty() ? "" : ", ") + sk_.dof(i).id;
    return s;
  }

  const Skeleton& sk_;
};

}  // namespace

void read_model(Problems& p, const Json& j, Model& model) {
  ObjectReader r(p, j, "$");
  if (!r.ok()) return;
  Skeleton& sk = model.skeleton;
  sk.source = source(r);
  std::map<std::string, size_t> joint_index, segment_index;
  each_object(r, "joints", true, [&](ObjectReader& o) {
    Joint joint;
    joint.id = o.string("id", true, "a joint id").value_or("");
    joint.sided = o.boolean("sided", false).value_or(false);
    each_object(o, "dofs", true, [&](ObjectReader& d) {
      Dof dof;
      dof.id = d.string("id", true, "a degree-of-freedom id").value_or("");
      if (auto a = vec3(d, "axis", true)) {
        if (std::abs(a->norm() - 1) > 1e-6)
          d.problems().add(d.path_of("axis"), "a unit axis", "length " + num(a->norm(), 3));
        dof.axis = *a;
      }
      dof.min = d.number("min", true, -180, 180, "degrees -180 to 180").value_or(0);
      dof.max = d.number("max", true, -180, 180, "degrees -180 to 180").value_or(0);
      if (dof.max < dof.min) d.problems().add(d.path_of("max"), "at least min", num(dof.max));
      if (dof.min > 0 || dof.max < 0)
        d.problems().add(d.path(), "limits that include the rest angle 0", num(dof.min) + " to " + num(dof.max));
      d.strict();
      joint.dofs.push_back(dof);
    });
    joint.source = source(o);
    o.strict();
    if (joint_index.count(joint.id)) o.problems().add(o.path_of("id"), "a joint id defined once", "\"" + joint.id + "\"");
    joint_index[joint.id] = sk.joints.size();
    sk.joints.push_back(std::move(joint));
  });
  each_object(r, "segments", true, [&](ObjectReader& o) {
    Segment seg;
    seg.id = o.string("id", true, "a segment id").value_or("");
    seg.sided = o.boolean("sided", false).value_or(false);
    if (auto parent = o.string("parent", false, "an earlier segment id")) {
      auto it = segment_index.find(*parent);
      if (it == segment_index.end())
        o.problems().add(o.path_of("parent"), "an earlier segment id", "\"" + *parent + "\"");
      else {
        seg.parent = it->second;
        if (sk.segments[it->second].sided && !seg.sided)
          o.problems().add(o.path_of("sided"), "true (the parent is sided)", "false");
      }
    } else if (!sk.segments.empty()) {
      o.problems().add(o.path_of("parent"), "a parent segment (only the first segment is the root)", "none");
    }
    if (auto joint = o.string("joint", seg.parent.has_value(), "a joint id")) {
      auto it = joint_index.find(*joint);
      if (it == joint_index.end())
        o.problems().add(o.path_of("joint"), "a joint id of this file", "\"" + *joint + "\"");
      else if (sk.joints[it->second].sided != seg.sided)
        o.problems().add(o.path_of("joint"), "a joint as sided as the segment", "\"" + *joint + "\"");
      else
        seg.joint = it->second;
    }
    seg.origin = vec3(o, "origin", true).value_or(Vec3{});
    seg.end = vec3(o, "end", true).value_or(Vec3{});
    seg.draw_from = vec3(o, "draw_from", false).value_or(Vec3{});
    seg.radius = o.number("radius", true, 0.001, 0.2, "a radius in H, 0.001 to 0.2").value_or(0.01);
    o.strict();
    if (segment_index.count(seg.id)) o.problems().add(o.path_of("id"), "a segment id defined once", "\"" + seg.id + "\"");
    segment_index[seg.id] = sk.segments.size();
    sk.segments.push_back(std::move(seg));
  });
  // Drawing and keypoints need these parts by name.
  for (const char* required : {"pelvis", "lumbar", "thoracic", "neck", "head", "clavicle", "upper_arm", "forearm", "hand", "thigh",
                               "shank", "foot"})
    if (!segment_index.count(required))
      p.add("$.segments", std::string("a segment \"") + required + "\" (drawing needs it)", "none");
  each_object(r, "landmarks", true, [&](ObjectReader& o) {
    LandmarkDef d;
    d.id = o.string("id", true, "a landmark id").value_or("");
    if (auto seg = o.string("segment", true, "a segment id")) {
      auto it = segment_index.find(*seg);
      if (it == segment_index.end())
        o.problems().add(o.path_of("segment"), "a segment id of this file", "\"" + *seg + "\"");
      else
        d.segment = it->second;
    }
    d.sided = o.boolean("sided", false).value_or(false);
    d.at = vec3(o, "at", true).value_or(Vec3{});
    o.strict();
    sk.landmark_defs.push_back(std::move(d));
  });
  if (const Json* f = r.require("furniture", "an object of furniture sizes")) {
    ObjectReader o(p, *f, "$.furniture");
    auto& fu = model.furniture;
    fu.chair_seat = o.number("chair_seat", true, 0.1, 0.5, "a height in H, 0.1 to 0.5").value_or(fu.chair_seat);
    fu.bench = o.number("bench", true, 0.1, 0.5, "a height in H, 0.1 to 0.5").value_or(fu.bench);
    fu.step = o.number("step", true, 0.03, 0.3, "a height in H, 0.03 to 0.3").value_or(fu.step);
    fu.roller_diameter = o.number("foam_roller", true, 0.03, 0.2, "a diameter in H, 0.03 to 0.2").value_or(fu.roller_diameter);
    fu.door_width = o.number("door_width", true, 0.3, 1, "a width in H, 0.3 to 1").value_or(fu.door_width);
    fu.door_height = o.number("door_height", true, 1, 1.5, "a height in H, 1 to 1.5").value_or(fu.door_height);
    fu.contact_tolerance =
        o.number("contact_tolerance", true, 0.001, 0.1, "a distance in H, 0.001 to 0.1").value_or(fu.contact_tolerance);
    fu.source = source(o);
    o.strict();
  }
  r.strict();
  if (p.empty()) {
    sk.expand();
    for (const char* required : {"left_waist", "right_waist", "left_iliac", "right_iliac", "left_chest", "right_chest", "nose"})
      if (!sk.landmark(required)) p.add("$.landmarks", std::string("a landmark \"") + required + "\" (drawing needs it)", "none");
  }
}

void read_postures(Problems& p, const Json& j, Model& model) {
  ObjectReader r(p, j, "$");
  if (!r.ok() || model.skeleton.parts.empty()) return;
  PoseReader reader(model);
  each_object(r, "postures", true, [&](ObjectReader& o) {
    Posture posture;
    posture.id = o.string("id", true, "a posture id").value_or("");
    posture.pose.angles.assign(model.skeleton.slots.size(), 0.0);
    reader.root(o, posture.pose);
    reader.joints(o, posture.pose);
    posture.contacts = reader.contacts(o, true).value_or(std::vector<Contact>{});
    o.string("description", true, "what the posture is");
    o.strict();
    if (model.posture(posture.id)) o.problems().add(o.path_of("id"), "a posture id defined once", "\"" + posture.id + "\"");
    // A posture stands alone: check it as a one-keyframe illustration
    // whose chairs, benches and steps are where it touches them.
    Illustration ill;
    ill.keyframes.push_back({posture.id, posture.pose, posture.contacts, 1, 0});
    for (const auto& c : posture.contacts)
      if (c.surface == Surface::kWall || c.surface == Surface::kDoorFrame)
        o.problems().add(o.path_of("contacts"), "floor, chair, bench, step or foam_roller contacts (walls belong to exercises)",
                         std::string(to_string(c.surface)));
    const Stage st = stage(model, ill);
    check_pose(p, model, ill, st, st.keyframes[0], posture.contacts,
                    [&](size_t i) { return child_path(o.path_of("contacts"), i); }, o.path());
    model.postures.push_back(std::move(posture));
  });
  r.strict();
}

void read_layouts(Problems& p, const Json& j, Model& model) {
  ObjectReader r(p, j, "$");
  if (!r.ok()) return;
  each_object(r, "layouts", true, [&](ObjectReader& o) {
    KeypointLayout layout;
    layout.id = o.string("id", true, "a layout id").value_or("");
    o.string("name", true, "a display name");
    each_object(o, "points", true, [&](ObjectReader& pt) {
      const auto name = pt.string("name", true, "a keypoint name").value_or("");
      const auto lm = pt.string("landmark", true, "a landmark of body/model.json").value_or("");
      if (auto i = model.skeleton.landmark(lm)) {
        layout.names.push_back(name);
        layout.landmarks.push_back(*i);
      } else if (!model.skeleton.parts.empty()) {
        pt.problems().add(pt.path_of("landmark"), "a landmark of body/model.json", "\"" + lm + "\"");
      }
      pt.strict();
    });
    layout.source = source(o);
    o.strict();
    model.layouts.push_back(std::move(layout));
  });
  r.strict();
}

void read_illustrations(Problems& p, const Json& j, const Model& model, std::vector<Illustration>& out, bool check_placement) {
  ObjectReader r(p, j, "$");
  if (!r.ok() || model.skeleton.parts.empty()) return;
  const Skeleton& sk = model.skeleton;
  PoseReader reader(model);
  each_object(r, "illustrations", true, [&](ObjectReader& o) {
    Illustration ill;
    ill.file = p.file();
    ill.path = o.path();
    ill.exercise = o.string("exercise", true, "an exercise id").value_or("");
    if (auto v = o.string("view", true, "left, right, front, back, three_quarter_left or three_quarter_right")) {
      if (auto view = parse_view(*v))
        ill.view = *view;
      else
        o.problems().add(o.path_of("view"), "left, right, front, back, three_quarter_left or three_quarter_right",
                         "\"" + *v + "\"");
    }
    if (auto w = o.string("working", true, "both, left, right or alternating")) {
      if (auto working = parse_working(*w))
        ill.working = *working;
      else
        o.problems().add(o.path_of("working"), "both, left, right or alternating", "\"" + *w + "\"");
    }
    const size_t problems_before = p.list().size();
    each_object(o, "props", false, [&](ObjectReader& pr) {
      Prop prop;
      if (auto k = pr.string("kind", true, "a prop kind")) {
        if (auto kind = parse_prop(*k))
          prop.kind = *kind;
        else
          pr.problems().add(pr.path_of("kind"),
                            "a prop kind (mat, wall, chair, bench, step, band, dumbbell, kettlebell, foam_roller, door_frame, ball)",
                            "\"" + *k + "\"");
      }
      if (auto parts = pr.strings("parts", false)) {
        for (size_t i = 0; i < parts->size(); ++i) {
          if (auto part = sk.part((*parts)[i]))
            prop.parts.push_back(*part);
          else
            pr.problems().add(child_path(pr.path_of("parts"), i), "a body part (" + reader.part_names() + ")",
                              "\"" + (*parts)[i] + "\"");
        }
      }
      if (auto side = pr.string("side", false, "front, back, left or right")) {
        if (auto d = parse_direction(*side))
          prop.direction = *d;
        else
          pr.problems().add(pr.path_of("side"), "front, back, left or right", "\"" + *side + "\"");
      }
      if (const Json* a = pr.get("anchor")) {
        ObjectReader ar(pr.problems(), *a, pr.path_of("anchor"));
        if (auto side = ar.string("direction", true, "front, back, left or right")) {
          if (auto d = parse_direction(*side))
            prop.direction = *d;
          else
            ar.problems().add(ar.path_of("direction"), "front, back, left or right", "\"" + *side + "\"");
        }
        prop.distance = ar.number("distance", true, 0.05, 2, "a distance in H, 0.05 to 2").value_or(0.5);
        prop.height = ar.number("height", true, 0, 2, "a height in H, 0 to 2").value_or(0.5);
        ar.strict();
      }
      pr.strict();
      // What each kind needs.
      const size_t n = prop.parts.size();
      switch (prop.kind) {
        case PropKind::kDumbbell:
        case PropKind::kKettlebell:
          if (n < 1 || n > 2) pr.problems().add(pr.path_of("parts"), "the one or two hands holding it", std::to_string(n) + " parts");
          break;
        case PropKind::kBand:
          if (!((n == 2 && !prop.direction) || (n == 1 && prop.direction)))
            pr.problems().add(pr.path(), "a band between two parts, or from one part to an anchor",
                              std::to_string(n) + " parts" + (prop.direction ? " and an anchor" : ""));
          break;
        case PropKind::kBall:
          if (n != 2) pr.problems().add(pr.path_of("parts"), "the two parts it sits between", std::to_string(n) + " parts");
          break;
        case PropKind::kFoamRoller:
          if (n != 1) pr.problems().add(pr.path_of("parts"), "the one part resting on it", std::to_string(n) + " parts");
          break;
        case PropKind::kWall:
          if (!prop.direction) pr.problems().add(pr.path_of("side"), "the side of the body the wall is on", "none");
          break;
        case PropKind::kChair:
          if (!prop.direction) pr.problems().add(pr.path_of("side"), "the side the backrest is on", "none");
          break;
        case PropKind::kMat:
        case PropKind::kBench:
        case PropKind::kStep:
        case PropKind::kDoorFrame: break;
      }
      ill.props.push_back(prop);
    });
    std::map<std::string, size_t> names;
    std::string key_name;
    each_object(o, "keyframes", true, [&](ObjectReader& k) {
      Keyframe kf;
      kf.name = k.string("name", true, "a keyframe name").value_or("");
      if (names.count(kf.name)) k.problems().add(k.path_of("name"), "a keyframe name used once", "\"" + kf.name + "\"");
      const auto posture = k.string("posture", false, "a posture id of body/postures.json");
      const auto from = k.string("from", false, "an earlier keyframe's name");
      if (posture.has_value() == from.has_value()) {
        k.problems().add(k.path(), "exactly one of posture and from", posture ? "both" : "neither");
        return;
      }
      if (posture) {
        const Posture* base = model.posture(*posture);
        if (base == nullptr) {
          std::string known;
          for (const auto& ps : model.postures) known += (known.empty() ? "" : ", ") + ps.id;
          k.problems().add(k.path_of("posture"), "a posture of body/postures.json (" + known + ")", "\"" + *posture + "\"");
          return;
        }
        kf.pose = base->pose;
        kf.contacts = base->contacts;
      } else {
        auto it = names.find(*from);
        if (it == names.end()) {
          k.problems().add(k.path_of("from"), "an earlier keyframe's name", "\"" + *from + "\"");
          return;
        }
        kf.pose = ill.keyframes[it->second].pose;
        kf.contacts = ill.keyframes[it->second].contacts;
      }
      reader.root(k, kf.pose);
      reader.joints(k, kf.pose);
      if (auto c = reader.contacts(k, false)) kf.contacts = *c;
      kf.move_seconds = k.number("move", false, 0.2, 10, "seconds 0.2 to 10").value_or(1.0);
      kf.hold_seconds = k.number("hold", false, 0, 60, "seconds 0 to 60").value_or(0);
      k.strict();
      names[kf.name] = ill.keyframes.size();
      ill.keyframes.push_back(std::move(kf));
    });
    if (auto key = o.string("key", false, "a keyframe name")) {
      auto it = names.find(*key);
      if (it == names.end())
        o.problems().add(o.path_of("key"), "a keyframe name", "\"" + *key + "\"");
      else
        ill.key = it->second;
    } else if (!ill.keyframes.empty()) {
      ill.key = ill.keyframes.size() - 1;
    }
    o.strict();
    if (p.list().size() != problems_before || ill.keyframes.empty()) return;
    // Each contact's surface must be there.
    const std::string kpath = o.path_of("keyframes");
    for (size_t k = 0; k < ill.keyframes.size(); ++k)
      for (const auto& c : ill.keyframes[k].contacts) {
        std::optional<PropKind> needs;
        switch (c.surface) {
          case Surface::kChair: needs = PropKind::kChair; break;
          case Surface::kBench: needs = PropKind::kBench; break;
          case Surface::kStep: needs = PropKind::kStep; break;
          case Surface::kWall: needs = PropKind::kWall; break;
          case Surface::kDoorFrame: needs = PropKind::kDoorFrame; break;
          case Surface::kRoller: needs = PropKind::kFoamRoller; break;
          case Surface::kFloor: break;
        }
        if (needs && std::none_of(ill.props.begin(), ill.props.end(), [&](const Prop& pr) { return pr.kind == *needs; }))
          p.add(child_path(kpath, k), "a " + std::string(to_string(*needs)) + " prop for the contact on it", "none in props");
      }
    if (p.list().size() != problems_before) return;
    if (!check_placement) {
      out.push_back(std::move(ill));
      return;
    }
    const Stage st = stage(model, ill);
    for (size_t k = 0; k < ill.keyframes.size(); ++k) {
      const std::string path = child_path(kpath, k);
      check_pose(p, model, ill, st, st.keyframes[k], ill.keyframes[k].contacts,
                      [&](size_t i) { return child_path(path, "contacts") + "[" + std::to_string(i) + "]"; }, path);
    }
    // Between keyframes: nothing through the floor.
    const double tol = model.furniture.contact_tolerance;
    // The timeline: hold keyframe 0, move to 1, hold 1, ..., move back to 0.
    std::vector<double> times;
    double at = 0;
    for (size_t k = 0; k < ill.keyframes.size() && ill.keyframes.size() > 1; ++k) {
      at += ill.keyframes[k].hold_seconds;
      const double move = ill.keyframes[(k + 1) % ill.keyframes.size()].move_seconds;
      for (int step = 1; step < kStepsPerMove; ++step) times.push_back(at + move * step / kStepsPerMove);
      at += move;
    }
    for (double t : times) {
      const Frame f = frame_at(model, ill, st, t);
      bool below = false;
      for (size_t i = 0; i < f.placement.parts.size() && !below; ++i) {
        const double y = lowest_point(f.placement.parts[i]).y;
        if (y >= -tol) continue;
        p.add(child_path(child_path(kpath, f.to), "move"),
              "a movement from \"" + ill.keyframes[f.from].name + "\" to \"" + ill.keyframes[f.to].name +
                  "\" that stays above the floor (within " + fmt_h(tol) + ")",
              sk.parts[i].name + " " + fmt_h(-y) + " below it " + num(f.blend * 100, 0) + " % of the way");
        below = true;
      }
      if (below) break;
    }
    out.push_back(std::move(ill));
  });
  r.strict();
}

}  // namespace rebalance::body::detail
