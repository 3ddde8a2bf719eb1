// pose_fit: an authoring aid for data/illustrations/. Finds values for the
// named pose variables of one keyframe that put its contacts on their
// surfaces and nothing through the floor, staying near the authored values,
// and prints them as JSON to paste into the keyframe. Never writes files.
//
//   pose_fit --data DIR --file data/illustrations/x.json --exercise ID --keyframe NAME
//            --adjust root.pitch --adjust both_knee.flexion [--adjust ...]
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>

#include "body/detail/load.h"

using namespace rebalance;
using namespace rebalance::body;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void load(const std::string& path, const std::function<void(rebalance::detail::Problems&, const rebalance::detail::Json&)>& fn) {
  rebalance::detail::Problems p(path);
  auto json = rebalance::detail::parse_untrusted<rebalance::detail::Json>(slurp(path), p, {64u << 20, 32});
  if (json) fn(p, *json);
  for (const auto& problem : p.list()) std::cerr << format_problem(problem) << "\n";
  if (!p.empty()) throw std::runtime_error("fix the problems above first");
}

// One variable: the root's yaw, pitch or roll, or angle slots set together.
struct Variable {
  std::string name;
  int root = -1;  // 0 yaw, 1 pitch, 2 roll
  std::vector<size_t> slots;
  double min = -360, max = 360;
};

double get(const Pose& p, const Variable& v) {
  if (v.root == 0) return p.root.yaw;
  if (v.root == 1) return p.root.pitch;
  if (v.root == 2) return p.root.roll;
  return p.angles[v.slots[0]];
}

void put(Pose& p, const Variable& v, double x) {
  if (v.root == 0) p.root.yaw = x;
  if (v.root == 1) p.root.pitch = x;
  if (v.root == 2) p.root.roll = x;
  for (size_t s : v.slots) p.angles[s] = x;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Fit a keyframe's pose to its contacts (authoring aid for data/illustrations/)"};
  std::string data = "data", file, exercise, keyframe;
  std::vector<std::string> adjust;
  app.add_option("--data", data, "Knowledge-base folder (for body/)");
  app.add_option("--file", file, "The illustrations file")->required();
  app.add_option("--exercise", exercise, "The exercise whose illustration to fit")->required();
  app.add_option("--keyframe", keyframe, "The keyframe to fit")->required();
  app.add_option("--adjust", adjust, "A variable: root.yaw, root.pitch, root.roll, JOINT.DOF or both_JOINT.DOF")->required();
  CLI11_PARSE(app, argc, argv);
  try {
    Model model;
    load(data + "/body/model.json", [&](auto& p, const auto& j) { body::detail::read_model(p, j, model); });
    load(data + "/body/postures.json", [&](auto& p, const auto& j) { body::detail::read_postures(p, j, model); });
    std::vector<Illustration> ills;
    load(file, [&](auto& p, const auto& j) { body::detail::read_illustrations(p, j, model, ills, false); });
    auto ill_it = std::find_if(ills.begin(), ills.end(), [&](const Illustration& i) { return i.exercise == exercise; });
    if (ill_it == ills.end()) throw std::runtime_error("no illustration of " + exercise + " in " + file);
    Illustration ill = *ill_it;
    auto kf_it = std::find_if(ill.keyframes.begin(), ill.keyframes.end(), [&](const Keyframe& k) { return k.name == keyframe; });
    if (kf_it == ill.keyframes.end()) throw std::runtime_error("no keyframe " + keyframe);
    const size_t k = static_cast<size_t>(kf_it - ill.keyframes.begin());
    const Skeleton& sk = model.skeleton;
    std::vector<Variable> vars;
    for (const auto& name : adjust) {
      Variable v;
      v.name = name;
      const auto dot = name.find('.');
      if (dot == std::string::npos) throw std::runtime_error("a variable is root.X or JOINT.DOF: " + name);
      const std::string head = name.substr(0, dot), dof = name.substr(dot + 1);
      if (head == "root") {
        v.root = dof == "yaw" ? 0 : dof == "pitch" ? 1 : dof == "roll" ? 2 : -1;
        if (v.root < 0) throw std::runtime_error("root has yaw, pitch and roll: " + name);
      } else {
        std::vector<std::string> joints{head};
        if (head.rfind("both_", 0) == 0) joints = {"left_" + head.substr(5), "right_" + head.substr(5)};
        for (const auto& j : joints) {
          const auto slot = sk.angle(j, dof);
          if (!slot) throw std::runtime_error("no joint degree of freedom " + j + "." + dof);
          v.slots.push_back(*slot);
          v.min = sk.dof(*slot).min;
          v.max = sk.dof(*slot).max;
        }
      }
      vars.push_back(v);
    }
    const Pose start = ill.keyframes[k].pose;
    auto cost = [&](const std::vector<double>& x, bool report) {
      Pose& pose = ill.keyframes[k].pose;
      for (size_t i = 0; i < vars.size(); ++i) put(pose, vars[i], x[i]);
      const Stage st = stage(model, ill);
      const Placement& placed = st.keyframes[k];
      double c = 0;
      for (const auto& contact : ill.keyframes[k].contacts) {
        const double gap = contact_gap(model, ill, st, placed, contact);
        c += gap * gap;
        if (report) std::printf("  %-16s on %-11s %+.3f H\n", sk.parts[contact.part].name.c_str(), std::string(to_string(contact.surface)).c_str(), gap);
      }
      for (size_t i = 0; i < placed.parts.size(); ++i) {
        const double y = lowest_point(placed.parts[i]).y;
        if (y < 0) {
          c += 4 * y * y;
          if (report && y < -0.005) std::printf("  %-16s %.3f H below the floor\n", sk.parts[i].name.c_str(), -y);
        }
      }
      // Stay near what was authored: a degree costs what 0.4 mm of gap does.
      for (size_t i = 0; i < vars.size(); ++i) {
        const double d = (x[i] - get(start, vars[i])) / 180.0;
        c += 1e-6 * d * d;
      }
      return c;
    };
    std::vector<double> x;
    for (const auto& v : vars) x.push_back(get(start, v));
    std::printf("before:\n");
    double best = cost(x, true);
    double step = 8;
    int evals = 0;
    while (step > 0.02 && evals < 20000) {
      bool improved = false;
      for (size_t i = 0; i < x.size(); ++i)
        for (double dir : {1.0, -1.0}) {
          std::vector<double> y = x;
          y[i] = std::clamp(y[i] + dir * step, vars[i].min, vars[i].max);
          const double c = cost(y, false);
          ++evals;
          if (c < best - 1e-12) {
            best = c;
            x = y;
            improved = true;
          }
        }
      if (!improved) step /= 2;
    }
    std::printf("after (%d evaluations):\n", evals);
    cost(x, true);
    std::printf("values:\n");
    for (size_t i = 0; i < vars.size(); ++i) std::printf("  %s: %.1f\n", vars[i].name.c_str(), std::round(x[i] * 10) / 10);
  } catch (const std::exception& e) {
    std::cerr << "pose_fit: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
