#include "assess/assess.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

namespace rebalance::assess {
namespace {

using kb::Comparison;
using kb::Implication;
using kb::SideRule;

// `v` with `decimals` places, as printf's "%.Nf" writes it (std::to_chars
// promises the same text, several times faster).
std::string with_decimals(double v, int decimals) {
  char buf[400];  // the longest double in fixed notation, with room to spare
  return {buf, std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals).ptr};
}

std::string number_text(double v) { return with_decimals(v, std::fabs(v - std::round(v)) < 1e-9 ? 0 : 1); }

std::string unit_suffix(const std::string& measure) {
  if (measure == "degrees" || measure == "deg") return "°";
  if (measure == "cm") return " cm";
  if (measure == "seconds") return " s";
  if (measure == "mmt") return "/5";
  if (measure == "force") return " N";
  if (measure == "torque") return " Nm";
  return "";
}

std::string with_unit(double v, const std::string& measure) { return number_text(v) + unit_suffix(measure); }

std::string side_text(Side s) { return std::string(to_string(s)); }

// A piece of evidence bound to one muscle, state and side.
struct Item {
  const MuscleId* muscle;  // the knowledge base's implication
  State state;
  Side side;        // left, right, or both for midline muscles
  size_t evidence;  // into Assessor::evidence_: one entry serves every muscle it implies
};

class Assessor {
 public:
  Assessor(const kb::KnowledgeBase& kb, const intake::Intake& in) : kb_(kb), in_(in) {}

  Assessment run() {
    out_.kb_version = kb_.version;
    lifestyle();
    posture();
    sport_profiles();
    rom();
    shoulder_rotation();
    strength();
    endurance();
    movement();
    ratios();
    safety();
    build_findings();
    patterns();
    return std::move(out_);
  }

 private:
  const kb::KnowledgeBase& kb_;
  const intake::Intake& in_;
  Assessment out_;
  std::vector<Evidence> evidence_;
  std::vector<Item> items_;
  std::vector<Side> last_sides_;  // sides of the inputs of the last average_sides call
  bool measured_any_ = false;
  // The sport profile whose shoulder rotation rule applies (activity named
  // and dominant side known), if any.
  const kb::SportProfile* rotation_profile_ = nullptr;

  const kb::AssessmentParams& params() const { return kb_.assessment; }
  bool is_test_kind(const std::string& kind) const {
    return std::find(params().test_kinds.begin(), params().test_kinds.end(), kind) != params().test_kinds.end();
  }

  // Resolves an implication's side relative to where the evidence was seen.
  Side resolve(SideRule rule, Side seen) const {
    switch (rule) {
      case SideRule::kSame:
        return seen;
      case SideRule::kOpposite:
        return opposite(seen);
      case SideRule::kBoth:
        return Side::kBoth;
      case SideRule::kDominant:
        return in_.client.dominant_side.value_or(Side::kBoth);
      case SideRule::kNonDominant:
        return in_.client.dominant_side ? opposite(*in_.client.dominant_side) : Side::kBoth;
    }
    return seen;
  }

  void add(const Implication& im, Side seen, size_t evidence) {
    const Side side = resolve(im.side, seen);
    if (evidence_[evidence].kind != "lifestyle") measured_any_ = true;
    if (kb_.is_midline(im.muscle)) {
      items_.push_back({&im.muscle, im.state, Side::kBoth, evidence});
      return;
    }
    for (Side s : {Side::kLeft, Side::kRight})
      if (side == Side::kBoth || side == s) items_.push_back({&im.muscle, im.state, s, evidence});
  }

  void add_all(const std::vector<Implication>& list, Side seen, Evidence ev) {
    if (list.empty()) return;
    evidence_.push_back(std::move(ev));
    for (const auto& im : list) add(im, seen, evidence_.size() - 1);
  }

  Severity numeric_severity(double beyond, double threshold, const std::optional<kb::MeasurementError>& error) const {
    std::optional<double> mdc;
    if (error && error->mdc)
      mdc = error->mdc;
    else if (error && error->sem)
      mdc = *error->sem * 1.96 * std::sqrt(2.0);
    if (mdc && *mdc > 0) {
      if (beyond >= params().severe_mdc * *mdc) return Severity::kSevere;
      if (beyond >= params().moderate_mdc * *mdc) return Severity::kModerate;
      return Severity::kMild;
    }
    const double rel = std::fabs(threshold) > 0 ? beyond / std::fabs(threshold) : beyond;
    if (rel >= params().severe_relative) return Severity::kSevere;
    if (rel >= params().moderate_relative) return Severity::kModerate;
    return Severity::kMild;
  }

  std::string normal_text(const kb::Rule& rule, const kb::Cut& cut, const std::string& measure) const {
    const std::string limit = (rule.comparison == Comparison::kBelow ? "≥ " : "≤ ") + with_unit(cut.value, measure);
    return cut.label.empty() ? limit : limit + " (" + cut.label + ")";
  }

  // Severity from the band's own moderate and severe limits when it has
  // them, else from how far beyond the limit the value is, in MDCs.
  Severity cut_severity(const kb::Rule& rule, const kb::Cut& cut, double value, const kb::Test& test) const {
    const bool below = rule.comparison == Comparison::kBelow;
    auto beyond = [&](double limit) { return below ? value < limit : value > limit; };
    if (cut.moderate || cut.severe) {
      if (cut.severe && beyond(*cut.severe)) return Severity::kSevere;
      if (cut.moderate && beyond(*cut.moderate)) return Severity::kModerate;
      return Severity::kMild;
    }
    return numeric_severity(std::fabs(value - cut.value), cut.value, test.error);
  }

  // ---- lifestyle ---------------------------------------------------------

  void lifestyle() {
    for (size_t i = 0; i < in_.lifestyle.activities.size(); ++i) {
      const kb::Activity* a = kb_.activity(in_.lifestyle.activities[i]);
      if (a == nullptr) continue;
      Evidence ev;
      ev.input = "$.lifestyle.activities[" + std::to_string(i) + "]";
      ev.observed = a->id;
      ev.rule = "lifestyle." + a->id;
      ev.source = a->source;
      ev.kind = "lifestyle";
      ev.cause = a->cause;
      add_all(a->implies, Side::kBoth, std::move(ev));
    }
    if (in_.lifestyle.sitting_hours_per_day && *in_.lifestyle.sitting_hours_per_day >= kb_.sitting.hours_at_least) {
      Evidence ev;
      ev.input = "$.lifestyle.sitting_hours_per_day";
      ev.observed = number_text(*in_.lifestyle.sitting_hours_per_day) + " h sitting per day";
      ev.expected = "< " + number_text(kb_.sitting.hours_at_least) + " h per day";
      ev.rule = "lifestyle.sitting";
      ev.source = kb_.sitting.source;
      ev.kind = "lifestyle";
      ev.cause = kb_.sitting.cause;
      add_all(kb_.sitting.implies, Side::kBoth, std::move(ev));
    }
  }

  // ---- posture -----------------------------------------------------------

  void posture() {
    for (const auto& e : in_.posture) {
      const kb::PostureObservation* ob = kb_.posture_observation(e.key);
      if (ob == nullptr || ob->kind == kb::PostureKind::kSide || ob->implies.empty()) continue;
      Evidence ev;
      ev.input = e.path;
      ev.test = ob->id;
      ev.rule = "posture." + ob->id;
      ev.source = ob->source;
      ev.kind = "observation";
      Side seen = Side::kBoth;
      if (ob->kind == kb::PostureKind::kBoolean) {
        ev.observed = *e.flag ? "present" : "absent";
        ev.expected = "absent";
        ev.supports = *e.flag;
        ev.severity = ob->severity.value_or(Severity::kMild);
      } else {
        const double v = *e.number;
        ev.observed = with_unit(v, ob->unit);
        if (ob->below) {
          ev.expected = "≥ " + with_unit(*ob->below, ob->unit);
          ev.supports = v < *ob->below;
          ev.severity = numeric_severity(*ob->below - v, *ob->below, ob->error);
        } else if (ob->above) {
          ev.expected = "≤ " + with_unit(*ob->above, ob->unit);
          ev.supports = v > *ob->above;
          ev.severity = numeric_severity(v - *ob->above, *ob->above, ob->error);
        }
        if (!ob->side_key.empty()) {
          auto it = std::find_if(in_.posture.begin(), in_.posture.end(),
                                 [&](const intake::PostureEntry& s) { return s.key == ob->side_key; });
          if (it == in_.posture.end() || !it->side) continue;  // a zero difference names no side
          seen = *it->side;
          ev.side = seen;
          ev.observed += " (" + side_text(seen) + " higher)";
        }
      }
      add_all(ob->implies, seen, std::move(ev));
    }
  }

  // ---- tests -------------------------------------------------------------

  // Applies a test's rules to one value of one measure.
  void apply_rules(const kb::Test& test, const std::string& measure, double value, const std::string& position, Side side,
                   const std::string& input, const std::string& protocol, const std::string& kind) {
    for (const auto& rule : test.rules) {
      if (rule.measure != measure || rule.comparison == Comparison::kEquals) continue;
      if (!rule.position.empty() && rule.position != position) continue;
      const kb::Cut cut = rule.threshold.for_client(in_.client.sex, in_.client.age);
      const bool hit = rule.comparison == Comparison::kBelow ? value < cut.value : value > cut.value;
      Evidence ev;
      ev.input = input;
      ev.test = test.id.str();
      ev.side = side;
      ev.observed = with_unit(value, measure);
      ev.expected = normal_text(rule, cut, measure);
      ev.rule = rule.id;
      ev.source = rule.source;
      ev.kind = rule.evidence.empty() ? kind : rule.evidence;
      ev.protocol = protocol;
      ev.supports = hit;
      if (measure == "mmt") {
        ev.severity = value < params().mmt_severe_below     ? Severity::kSevere
                      : value < params().mmt_moderate_below ? Severity::kModerate
                                                            : Severity::kMild;
        ev.expected = "5/5";
      } else {
        ev.severity = rule.severity.value_or(cut_severity(rule, cut, value, test));
      }
      add_all(rule.implies, side, std::move(ev));
    }
  }

  void apply_result(const kb::Test& test, bool positive, const std::string& position, Side side, const std::string& input,
                    const std::string& protocol) {
    const std::string value = positive ? "positive" : "negative";
    for (const auto& rule : test.rules) {
      if (rule.measure != "result" || rule.comparison != Comparison::kEquals) continue;
      if (!rule.position.empty() && rule.position != position) continue;
      Evidence ev;
      ev.input = input;
      ev.test = test.id.str();
      ev.side = side;
      ev.observed = value;
      ev.expected = rule.equals == "positive" ? "negative" : "positive";
      ev.rule = rule.id;
      ev.source = rule.source;
      ev.kind = rule.evidence.empty() ? "special_test" : rule.evidence;
      ev.protocol = protocol;
      ev.supports = rule.equals == value;
      ev.severity = rule.severity.value_or(Severity::kModerate);
      add_all(rule.implies, side, std::move(ev));
    }
  }

  std::string rom_protocol(const kb::Test& t, const intake::RomEntry& e) const {
    if (!t.positions.empty() && e.position.empty()) return "default protocol: " + t.default_position + "; " + t.default_protocol;
    return "";
  }

  std::vector<Side> sides_of(Side s) const {
    if (s == Side::kBoth) return {Side::kLeft, Side::kRight};
    return {s};
  }

  void rom() {
    for (const auto& e : in_.rom) {
      const kb::Test* t = kb_.test("rom", e.test.str());
      if (t == nullptr) continue;
      const std::string position = e.position.empty() ? t->default_position : e.position;
      const std::string protocol = rom_protocol(*t, e);
      const Side side = t->sided ? e.side : Side::kBoth;
      if (e.degrees) apply_rules(*t, "degrees", *e.degrees, position, side, e.path, protocol, "measured");
      if (e.cm) apply_rules(*t, "cm", *e.cm, position, side, e.path, protocol, "measured");
      if (e.positive) apply_result(*t, *e.positive, position, side, e.path, protocol);
    }
    // Side-to-side comparisons, per test, measure and protocol.
    std::map<std::string, std::vector<const intake::RomEntry*>> by_key;
    for (const auto& e : in_.rom) {
      const kb::Test* t = kb_.test("rom", e.test.str());
      if (t == nullptr || !t->sided) continue;
      // An overhead athlete's shoulder rotation is judged by GIRD and total arc.
      if (rotation_profile_ && (e.test == rotation_profile_->shoulder_rotation->internal_test ||
                                e.test == rotation_profile_->shoulder_rotation->external_test))
        continue;
      const std::string position = e.position.empty() ? t->default_position : e.position;
      if (e.degrees) by_key[e.test.str() + "|degrees|" + position].push_back(&e);
      if (e.cm) by_key[e.test.str() + "|cm|" + position].push_back(&e);
    }
    for (const auto& [key, entries] : by_key) {
      const auto first = key.find('|');
      const auto second = key.find('|', first + 1);
      const std::string measure = key.substr(first + 1, second - first - 1);
      const kb::Test* t = kb_.test("rom", key.substr(0, first));
      auto value_of = [&](const intake::RomEntry* e) { return measure == "degrees" ? *e->degrees : *e->cm; };
      std::optional<double> left, right;
      std::vector<std::string> inputs;
      average_sides(entries, value_of, left, right, inputs);
      if (!left || !right) continue;
      // Which direction is worse follows the test's rules for this measure.
      bool higher_is_worse = false;
      for (const auto& r : t->rules)
        if (r.measure == measure && r.comparison == Comparison::kAbove) higher_is_worse = true;
      const double diff = std::fabs(*left - *right);
      double threshold = 0;
      std::string method;
      std::string src = t->asymmetry.source;
      if (t->asymmetry.method == kb::AsymmetryMethod::kNone) continue;
      if (t->asymmetry.method == kb::AsymmetryMethod::kDifference) {
        threshold = t->asymmetry.threshold;
        method = "difference";
      } else {
        if (!t->error) continue;
        threshold = t->error->mdc ? *t->error->mdc : *t->error->sem * 1.96 * std::sqrt(2.0);
        method = "mdc";
        src = t->error->source;
      }
      if (!(diff > threshold)) continue;
      const Side limited = (higher_is_worse ? *left > *right : *left < *right) ? Side::kLeft : Side::kRight;
      Asymmetry a;
      a.measure = "rom." + t->id.str();
      a.capacity = false;
      a.difference = diff;
      a.unit = measure == "degrees" ? "deg" : "cm";
      a.limited_side = limited;
      a.threshold = threshold;
      a.method = method;
      a.source = src;
      a.inputs = inputs;
      out_.asymmetries.push_back(a);
      Evidence ev;
      ev.input = input_on(inputs, last_sides_, limited);
      ev.test = t->id.str();
      ev.side = limited;
      ev.observed = "side to side: left " + with_unit(*left, measure) + ", right " + with_unit(*right, measure) + ", " +
                    side_text(limited) + " more limited by " + with_unit(diff, measure);
      ev.expected = "a side-to-side difference ≤ " + with_unit(threshold, measure) +
                    (method == "mdc" ? " (minimal detectable change)" : "");
      ev.source = src;
      ev.kind = "asymmetry";
      ev.severity = numeric_severity(diff - threshold, threshold, t->error);
      add_all(t->muscles, limited, std::move(ev));
    }
  }

  // ---- sport profiles ----------------------------------------------------

  // Profiles whose activity the client names: their excluded tags hold for
  // the program; the shoulder-rotation rule needs the dominant side.
  void sport_profiles() {
    for (const auto& profile : kb_.sport_profiles) {
      const bool named = std::any_of(profile.activities.begin(), profile.activities.end(), [&](const std::string& a) {
        return std::find(in_.lifestyle.activities.begin(), in_.lifestyle.activities.end(), a) != in_.lifestyle.activities.end();
      });
      if (!named) continue;
      for (const auto& tag : profile.excluded_tags)
        out_.restrictions.excluded_tags.emplace_back(tag, profile.name + ": " + profile.note);
      if (profile.shoulder_rotation && in_.client.dominant_side && rotation_profile_ == nullptr) rotation_profile_ = &profile;
    }
  }

  // GIRD (internal rotation of the non-dominant side minus the dominant's)
  // and the total rotational arc (ER + IR) of the dominant side against the
  // other, each against its published cutoff; what they imply lands on the
  // dominant side.
  void shoulder_rotation() {
    if (rotation_profile_ == nullptr) return;
    const auto& rot = *rotation_profile_->shoulder_rotation;
    const Side dominant = *in_.client.dominant_side;
    const Side other = opposite(dominant);
    struct Value {
      double sum = 0;
      int n = 0;
      std::string input;
    };
    std::map<std::pair<std::string, Side>, Value> values;  // (test, side)
    for (const auto& e : in_.rom) {
      if ((e.test != rot.internal_test && e.test != rot.external_test) || !e.degrees) continue;
      const kb::Test* t = kb_.test("rom", e.test.str());
      const std::string position = e.position.empty() && t ? t->default_position : e.position;
      if (position != rot.position) continue;
      for (Side s : sides_of(e.side)) {
        auto& v = values[{e.test.str(), s}];
        v.sum += *e.degrees;
        ++v.n;
        if (v.input.empty()) v.input = e.path;
      }
    }
    auto mean = [&](const TestId& test, Side side) -> std::optional<double> {
      const auto it = values.find({test.str(), side});
      if (it == values.end() || it->second.n == 0) return std::nullopt;
      return it->second.sum / it->second.n;
    };
    const auto ir_dom = mean(rot.internal_test, dominant), ir_other = mean(rot.internal_test, other);
    const auto er_dom = mean(rot.external_test, dominant), er_other = mean(rot.external_test, other);
    const std::string where = " (" + side_text(dominant) + " dominant, at " + rot.position + ")";
    if (ir_dom && ir_other) {
      const double gird = *ir_other - *ir_dom;
      if (gird >= rot.gird_at_least) {
        Asymmetry a;
        a.measure = "rom." + rot.internal_test.str();
        a.capacity = false;
        a.difference = gird;
        a.unit = "deg";
        a.limited_side = dominant;
        a.threshold = rot.gird_at_least;
        a.method = "gird";
        a.source = rot.gird_source;
        a.inputs = {values[{rot.internal_test.str(), dominant}].input, values[{rot.internal_test.str(), other}].input};
        out_.asymmetries.push_back(a);
        Evidence ev;
        ev.input = a.inputs.front();
        ev.test = rot.internal_test.str();
        ev.side = dominant;
        ev.observed = "internal rotation deficit (GIRD) " + with_unit(gird, "degrees") + ": dominant " +
                      with_unit(*ir_dom, "degrees") + ", other side " + with_unit(*ir_other, "degrees") + where;
        ev.expected = "GIRD < " + with_unit(rot.gird_at_least, "degrees");
        ev.rule = rotation_profile_->id + ".gird";
        ev.source = rot.gird_source;
        ev.kind = "asymmetry";
        ev.severity = numeric_severity(gird - rot.gird_at_least, rot.gird_at_least, rot.error);
        add_all(rot.implies, dominant, std::move(ev));
      }
    }
    if (ir_dom && ir_other && er_dom && er_other) {
      const double arc_dom = *ir_dom + *er_dom, arc_other = *ir_other + *er_other;
      const double deficit = arc_other - arc_dom;
      if (deficit > rot.arc_deficit_above) {
        Asymmetry a;
        a.measure = "rom.shoulder_total_rotation";
        a.capacity = false;
        a.difference = deficit;
        a.unit = "deg";
        a.limited_side = dominant;
        a.threshold = rot.arc_deficit_above;
        a.method = "total_arc";
        a.source = rot.arc_source;
        a.inputs = {values[{rot.internal_test.str(), dominant}].input, values[{rot.external_test.str(), dominant}].input};
        out_.asymmetries.push_back(a);
        Evidence ev;
        ev.input = a.inputs.front();
        ev.test = "shoulder_total_rotation";
        ev.side = dominant;
        ev.observed = "total rotation arc dominant " + with_unit(arc_dom, "degrees") + ", other side " +
                      with_unit(arc_other, "degrees") + where;
        ev.expected = "a deficit ≤ " + with_unit(rot.arc_deficit_above, "degrees");
        ev.rule = rotation_profile_->id + ".total_arc";
        ev.source = rot.arc_source;
        ev.kind = "asymmetry";
        ev.severity = numeric_severity(deficit - rot.arc_deficit_above, rot.arc_deficit_above, rot.error);
        add_all(rot.implies, dominant, std::move(ev));
      }
    }
  }

  // The input of the first entry measured on `side`.
  static std::string input_on(const std::vector<std::string>& inputs, const std::vector<Side>& sides, Side side) {
    for (size_t i = 0; i < inputs.size(); ++i)
      if (sides[i] == side || sides[i] == Side::kBoth) return inputs[i];
    return inputs.front();
  }

  template <class Entry, class Fn>
  void average_sides(const std::vector<const Entry*>& entries, Fn value_of, std::optional<double>& left,
                     std::optional<double>& right, std::vector<std::string>& inputs) {
    double sl = 0, sr = 0;
    int nl = 0, nr = 0;
    last_sides_.clear();
    for (const Entry* e : entries) {
      inputs.push_back(e->path);
      last_sides_.push_back(e->side);
      if (e->side != Side::kRight) {
        sl += value_of(e);
        ++nl;
      }
      if (e->side != Side::kLeft) {
        sr += value_of(e);
        ++nr;
      }
    }
    if (nl) left = sl / nl;
    if (nr) right = sr / nr;
  }

  // The side pain names in any region one of `muscles` sits in.
  std::optional<Side> involved_side(const std::vector<Implication>& muscles) const {
    std::set<std::string> regions;
    for (const auto& im : muscles)
      for (const auto& m : kb_.members(im.muscle))
        if (const kb::Muscle* mu = kb_.muscle(m)) regions.insert(mu->region);
    for (const auto& p : in_.pain)
      if (p.side != Side::kBoth && regions.count(p.region)) return p.side;
    return std::nullopt;
  }

  void capacity_asymmetry(const kb::Test& t, const std::string& measure_prefix, double left, double right,
                          const std::vector<std::string>& inputs, const std::string& unit_measure) {
    if (t.asymmetry.method == kb::AsymmetryMethod::kNone) return;
    if (t.asymmetry.method != kb::AsymmetryMethod::kLsi) {
      // Difference or MDC judged on the raw values.
      double threshold = t.asymmetry.threshold;
      std::string src = t.asymmetry.source;
      std::string method = "difference";
      if (t.asymmetry.method == kb::AsymmetryMethod::kMdc) {
        if (!t.error) return;
        threshold = t.error->mdc ? *t.error->mdc : *t.error->sem * 1.96 * std::sqrt(2.0);
        src = t.error->source;
        method = "mdc";
      }
      const double diff = std::fabs(left - right);
      if (!(diff > threshold)) return;
      const Side weaker = left < right ? Side::kLeft : Side::kRight;
      Asymmetry a;
      a.measure = measure_prefix + t.id.str();
      a.lsi_percent = std::min(left, right) / std::max(left, right) * 100;
      a.weaker_side = weaker;
      a.difference = diff;
      a.threshold = threshold;
      a.unit = unit_measure == "seconds" ? "s" : unit_measure;
      a.method = method;
      a.source = src;
      a.inputs = inputs;
      out_.asymmetries.push_back(a);
      Evidence ev;
      ev.input = input_on(inputs, last_sides_, weaker);
      ev.test = t.id.str();
      ev.side = weaker;
      ev.observed = "side to side: left " + with_unit(left, unit_measure) + ", right " + with_unit(right, unit_measure);
      ev.expected = "a difference ≤ " + with_unit(threshold, unit_measure);
      ev.source = src;
      ev.kind = "asymmetry";
      ev.severity = numeric_severity(diff - threshold, threshold, t.error);
      add_all(t.muscles, weaker, std::move(ev));
      return;
    }
    if (left <= 0 && right <= 0) return;
    // The dominant side's expected advantage, where the test has one and the
    // client's dominant side is known: the other side is scaled up by it.
    const kb::Dominance* dominance =
        t.asymmetry.dominance && in_.client.dominant_side ? &*t.asymmetry.dominance : nullptr;
    double l = left, r = right;
    if (dominance) (*in_.client.dominant_side == Side::kLeft ? r : l) *= 1 + dominance->advantage_percent / 100;
    const double lsi = std::min(l, r) / std::max(l, r) * 100;
    const double threshold = dominance && dominance->threshold_percent ? *dominance->threshold_percent : t.asymmetry.threshold;
    if (!(lsi < threshold)) return;
    const Side weaker = l < r ? Side::kLeft : Side::kRight;
    Asymmetry a;
    a.measure = measure_prefix + t.id.str();
    a.lsi_percent = lsi;
    a.weaker_side = weaker;
    a.threshold_percent = threshold;
    a.method = dominance ? "lsi_dominance" : "lsi";
    a.source = dominance ? dominance->source : t.asymmetry.source;
    a.inputs = inputs;
    if (auto inv = involved_side(t.muscles)) {
      a.involved_side = inv;
      const double involved = *inv == Side::kLeft ? left : right;
      const double other = *inv == Side::kLeft ? right : left;
      if (other > 0) a.lsi_involved_percent = involved / other * 100;
    }
    out_.asymmetries.push_back(a);
    Evidence ev;
    ev.input = input_on(inputs, last_sides_, weaker);
    ev.test = t.id.str();
    ev.side = weaker;
    ev.observed = "limb symmetry index " + number_text(lsi) + " % (left " + with_unit(left, unit_measure) + ", right " +
                  with_unit(right, unit_measure) +
                  (dominance ? "; " + side_text(*in_.client.dominant_side) + " dominant, expected " +
                                   number_text(dominance->advantage_percent) + " % stronger"
                             : "") +
                  ")";
    ev.expected = "≥ " + number_text(threshold) + " %";
    ev.source = a.source;
    ev.kind = "asymmetry";
    ev.severity = lsi < params().lsi_severe_below     ? Severity::kSevere
                  : lsi < params().lsi_moderate_below ? Severity::kModerate
                                                      : Severity::kMild;
    add_all(t.muscles, weaker, std::move(ev));
  }

  void strength() {
    for (const auto& e : in_.strength) {
      const kb::Test* t = kb_.test("strength", e.test.str());
      if (t == nullptr) continue;
      const std::string measure(to_string(kind_of(e.unit)));
      std::string protocol;
      if (e.method.empty() && e.unit != StrengthUnit::kMmt && !t->default_method.empty())
        protocol = "default method: " + t->default_method + "; " + t->default_protocol;
      apply_rules(*t, measure, e.canonical, "", t->sided ? e.side : Side::kBoth, e.path, protocol,
                  measure == "mmt" ? "mmt" : "measured");
    }
    // Side to side, per test and kind of measure (force, torque, grade).
    std::map<std::string, std::vector<const intake::StrengthEntry*>> by_key;
    for (const auto& e : in_.strength) by_key[e.test.str() + "|" + std::string(to_string(kind_of(e.unit)))].push_back(&e);
    for (const auto& [key, entries] : by_key) {
      const kb::Test* t = kb_.test("strength", key.substr(0, key.find('|')));
      if (t == nullptr || !t->sided) continue;
      const std::string measure = key.substr(key.find('|') + 1);
      std::optional<double> left, right;
      std::vector<std::string> inputs;
      average_sides(
          entries, [](const intake::StrengthEntry* e) { return e->canonical; }, left, right, inputs);
      if (!left || !right) continue;
      if (measure == "mmt") {
        if (*left == *right) continue;
        // Grades are ordinal: any difference between sides is reported as one.
        const Side weaker = *left < *right ? Side::kLeft : Side::kRight;
        Asymmetry a;
        a.measure = "strength." + t->id.str();
        a.lsi_percent = std::min(*left, *right) / std::max(*left, *right) * 100;
        a.weaker_side = weaker;
        a.difference = std::fabs(*left - *right);
        a.unit = "mmt";
        a.method = "any_difference";
        a.source = "Manual muscle testing grades are ordinal: any side-to-side grade difference is reported";
        a.inputs = inputs;
        out_.asymmetries.push_back(a);
        continue;
      }
      capacity_asymmetry(*t, "strength.", *left, *right, inputs, measure);
    }
  }

  void endurance() {
    for (const auto& e : in_.endurance) {
      const kb::Test* t = kb_.test("endurance", e.test.str());
      if (t == nullptr) continue;
      apply_rules(*t, "seconds", e.seconds, "", t->sided ? e.side : Side::kBoth, e.path, "", "measured");
    }
    std::map<std::string, std::vector<const intake::EnduranceEntry*>> by_test;
    for (const auto& e : in_.endurance) by_test[e.test.str()].push_back(&e);
    for (const auto& [id, entries] : by_test) {
      const kb::Test* t = kb_.test("endurance", id);
      if (t == nullptr || !t->sided) continue;
      std::optional<double> left, right;
      std::vector<std::string> inputs;
      average_sides(
          entries, [](const intake::EnduranceEntry* e) { return e->seconds; }, left, right, inputs);
      if (left && right) capacity_asymmetry(*t, "endurance.", *left, *right, inputs, "seconds");
    }
  }

  // ---- movement screens --------------------------------------------------

  void observations(const std::vector<intake::MovementEntry>& entries, const std::vector<kb::Observation>& vocab,
                    const std::string& screen, const std::string& name) {
    for (const auto& e : entries) {
      auto ob = std::find_if(vocab.begin(), vocab.end(), [&](const kb::Observation& o) { return o.id == e.key; });
      if (ob == vocab.end()) continue;
      std::vector<Side> seen;
      if (!ob->sided || (e.left && e.right && screen == "overhead_squat"))
        seen.push_back(Side::kBoth);
      else {
        if (e.left) seen.push_back(Side::kLeft);
        if (e.right) seen.push_back(Side::kRight);
      }
      for (Side s : seen) {
        Evidence ev;
        ev.input = e.path;
        ev.test = screen;
        ev.side = s;
        ev.observed = ob->name + (s == Side::kBoth ? "" : " (" + side_text(s) + ")");
        ev.expected = "not seen in the " + name;
        ev.rule = screen + "." + ob->id;
        ev.source = ob->source;
        ev.kind = "movement_screen";
        add_all(ob->implies, s, std::move(ev));
      }
    }
  }

  void movement() {
    observations(in_.overhead_squat, kb_.movement.overhead_squat, "overhead_squat", "overhead squat");
    observations(in_.single_leg_squat, kb_.movement.single_leg_squat, "single_leg_squat", "single-leg squat");
    fms();
    y_balance();
  }

  void fms() {
    if (in_.fms.empty()) return;
    int total = 0;
    size_t scored = 0;
    for (const auto& test : kb_.movement.fms_tests) {
      auto e = std::find_if(in_.fms.begin(), in_.fms.end(), [&](const intake::FmsEntry& x) { return x.test == test.id; });
      if (e == in_.fms.end()) continue;
      const bool cleared_painful =
          std::any_of(kb_.movement.fms_clearing.begin(), kb_.movement.fms_clearing.end(), [&](const kb::FmsClearing& c) {
            return c.test == test.id && std::find(in_.fms_clearing_positive.begin(), in_.fms_clearing_positive.end(), c.id) !=
                                            in_.fms_clearing_positive.end();
          });
      auto judge = [&](int score, Side side) {
        if (cleared_painful) score = 0;
        if (score > test.low_score_at_most) return;
        Evidence ev;
        ev.input = e->path;
        ev.test = "fms." + test.id;
        ev.side = side;
        ev.observed = "score " + std::to_string(score) + (cleared_painful ? " (painful clearing test)" : "");
        ev.expected = "a score above " + std::to_string(test.low_score_at_most) + " of 3";
        ev.rule = "fms." + test.id;
        ev.source = test.source;
        ev.kind = "movement_screen";
        add_all(test.implies, side, std::move(ev));
      };
      if (!test.sided) {
        if (!e->score) continue;
        const int s = cleared_painful ? 0 : *e->score;
        judge(s, Side::kBoth);
        total += s;
        ++scored;
        continue;
      }
      if (!e->left || !e->right) continue;
      const int l = cleared_painful ? 0 : *e->left, r = cleared_painful ? 0 : *e->right;
      judge(l, Side::kLeft);
      judge(r, Side::kRight);
      total += std::min(l, r);
      ++scored;
      if (l != r) {
        Asymmetry a;
        a.measure = "movement.fms." + test.id;
        a.capacity = false;
        a.difference = std::abs(l - r);
        a.unit = "points";
        a.weaker_side = l < r ? Side::kLeft : Side::kRight;
        a.limited_side = a.weaker_side;
        a.lsi_percent = std::max(l, r) > 0 ? 100.0 * std::min(l, r) / std::max(l, r) : 0;
        a.threshold = 0;
        a.method = "any_difference";
        a.source = kb_.movement.fms_asymmetry_source;
        a.inputs = {e->path};
        out_.asymmetries.push_back(a);
      }
    }
    ScreenSummary s;
    s.fms_total = total;
    s.complete = scored == kb_.movement.fms_tests.size();
    s.cutoff = kb_.movement.fms_total_at_most;
    s.at_or_below_cutoff = s.complete && total <= s.cutoff;
    s.source = kb_.movement.fms_total_source;
    out_.movement_screen = s;
  }

  void y_balance() {
    if (!in_.y_balance) return;
    const auto& y = *in_.y_balance;
    const auto& rules = kb_.movement.y_balance;
    const double diff = std::fabs(y.left.anterior - y.right.anterior);
    std::optional<double> comp_left, comp_right;
    if (y.limb_length_cm) {
      auto comp = [&](const intake::YBalanceSide& s) {
        return (s.anterior + s.posteromedial + s.posterolateral) / (3 * *y.limb_length_cm) * 100;
      };
      comp_left = comp(y.left);
      comp_right = comp(y.right);
    }
    if (diff > rules.anterior_threshold_cm) {
      const Side limited = y.left.anterior < y.right.anterior ? Side::kLeft : Side::kRight;
      Asymmetry a;
      a.measure = "movement.y_balance.anterior";
      a.lsi_percent = std::min(y.left.anterior, y.right.anterior) / std::max(y.left.anterior, y.right.anterior) * 100;
      a.weaker_side = limited;
      a.limited_side = limited;
      a.difference = diff;
      a.difference_cm = diff;
      a.unit = "cm";
      a.threshold = rules.anterior_threshold_cm;
      a.composite_left = comp_left;
      a.composite_right = comp_right;
      a.method = "difference";
      a.source = rules.anterior_source;
      a.inputs = {y.path};
      out_.asymmetries.push_back(a);
      Evidence ev;
      ev.input = y.path + ".anterior";
      ev.test = "y_balance";
      ev.side = limited;
      ev.observed = "anterior reach left " + with_unit(y.left.anterior, "cm") + ", right " + with_unit(y.right.anterior, "cm");
      ev.expected = "a difference ≤ " + with_unit(rules.anterior_threshold_cm, "cm");
      ev.source = rules.anterior_source;
      ev.kind = "asymmetry";
      ev.severity = numeric_severity(diff - rules.anterior_threshold_cm, rules.anterior_threshold_cm, rules.error);
      add_all(rules.implies_anterior_deficit, limited, std::move(ev));
    }
    for (auto [side, comp] : {std::pair{Side::kLeft, comp_left}, std::pair{Side::kRight, comp_right}}) {
      if (!comp || !(*comp < rules.composite_min_percent)) continue;
      Evidence ev;
      ev.input = y.path + "." + side_text(side);
      ev.test = "y_balance";
      ev.side = side;
      ev.observed = "composite reach " + number_text(*comp) + " % of limb length";
      ev.expected = "≥ " + number_text(rules.composite_min_percent) + " %";
      ev.source = rules.composite_source;
      ev.kind = "movement_screen";
      ev.severity = numeric_severity(rules.composite_min_percent - *comp, rules.composite_min_percent, std::nullopt);
      add_all(rules.implies_low_composite, side, std::move(ev));
    }
  }

  // ---- ratios ------------------------------------------------------------

  void ratios() {
    for (const auto& ratio : kb_.ratios) {
      for (Side side : {Side::kLeft, Side::kRight, Side::kBoth}) {
        auto pick = [&](const TestId& test, std::string& method, std::string& path) -> std::optional<double> {
          double sum = 0;
          int n = 0;
          if (ratio.measure == "seconds") {
            const kb::Test* t = kb_.test("endurance", test.str());
            for (const auto& e : in_.endurance) {
              if (e.test != test) continue;
              if (t && t->sided ? (side == Side::kBoth || (e.side != side && e.side != Side::kBoth)) : side != Side::kBoth)
                continue;
              sum += e.seconds;
              ++n;
              path = e.path;
            }
          } else {
            for (const auto& e : in_.strength) {
              if (e.test != test || kind_of(e.unit) == StrengthKind::kMmt) continue;
              if (side == Side::kBoth || (e.side != side && e.side != Side::kBoth)) continue;
              sum += e.canonical;
              ++n;
              path = e.path;
              if (!e.method.empty()) method = e.method;
            }
          }
          if (n == 0) return std::nullopt;
          return sum / n;
        };
        std::string method_num, method_den, path_num, path_den;
        auto num = pick(ratio.numerator, method_num, path_num);
        auto den = pick(ratio.denominator, method_den, path_den);
        if (!num || !den || *den <= 0) continue;
        if (ratio.measure != "seconds" && !same_kind(ratio, side)) continue;
        std::string method = ratio.default_method;
        bool defaulted = true;
        if (!method_num.empty() && method_num == method_den && ratio.methods.count(method_num)) {
          method = method_num;
          defaulted = false;
        }
        const kb::RatioNorm& norm = ratio.methods.at(method);
        RatioResult r;
        r.name = ratio.name;
        r.name_text = ratio.name_text;
        r.side = side;
        r.value = *num / *den;
        r.normal_min = norm.normal_min;
        r.normal_max = norm.normal_max;
        r.method = method;
        r.method_text = norm.method_text;
        r.default_method = defaulted;
        r.source = norm.source;
        r.inputs = {path_num, path_den};
        r.flag = "normal";
        const std::vector<Implication>* implies = nullptr;
        std::string expected;
        if (norm.normal_min && r.value < *norm.normal_min) {
          r.flag = "low";
          implies = &ratio.implies_below;
        } else if (norm.normal_max && r.value > *norm.normal_max) {
          r.flag = "high";
          implies = &ratio.implies_above;
        }
        if (norm.normal_min && norm.normal_max)
          expected = number_text2(*norm.normal_min) + "-" + number_text2(*norm.normal_max);
        else if (norm.normal_min)
          expected = "≥ " + number_text2(*norm.normal_min);
        else if (norm.normal_max)
          expected = "≤ " + number_text2(*norm.normal_max);
        out_.ratios.push_back(r);
        if (implies != nullptr && !implies->empty()) {
          Evidence ev;
          ev.input = path_num;
          ev.test = ratio.name;
          ev.side = side;
          ev.observed = "ratio " + number_text2(r.value);
          ev.expected = expected + " (" + method + ")";
          ev.source = norm.source;
          ev.kind = "ratio";
          ev.protocol = defaulted ? "default method: " + method + "; " + norm.method_text : "";
          const double limit = r.flag == "low" ? *norm.normal_min : *norm.normal_max;
          ev.severity = numeric_severity(std::fabs(r.value - limit), limit, std::nullopt);
          add_all(*implies, side, std::move(ev));
        }
      }
    }
  }

  static std::string number_text2(double v) { return with_decimals(v, 2); }

  // Numerator and denominator on a side must both be force or both torque.
  bool same_kind(const kb::Ratio& ratio, Side side) const {
    std::set<StrengthKind> kinds;
    for (const auto& e : in_.strength) {
      if ((e.test != ratio.numerator && e.test != ratio.denominator) || kind_of(e.unit) == StrengthKind::kMmt) continue;
      if (side == Side::kBoth || (e.side != side && e.side != Side::kBoth)) continue;
      kinds.insert(kind_of(e.unit));
    }
    return kinds.size() == 1;
  }

  // ---- safety ------------------------------------------------------------

  void safety() {
    auto& r = out_.restrictions;
    r.screening = in_.screening.active;
    r.screening_values = in_.screening.values;
    r.equipment = in_.preferences.equipment;
    r.age = in_.client.age;
    for (const auto& e : in_.strength)
      if (e.unit == StrengthUnit::kMmt) r.lowest_mmt = std::min(r.lowest_mmt.value_or(e.value), e.value);
    for (const auto& p : in_.pain) {
      auto it = std::find_if(r.pain.begin(), r.pain.end(), [&](const auto& x) { return x.first == p.region; });
      if (it == r.pain.end())
        r.pain.emplace_back(p.region, p.intensity);
      else
        it->second = std::max(it->second, p.intensity);
      for (const auto& flag_id : p.red_flags) {
        const kb::RedFlag* flag = kb_.red_flag(flag_id);
        if (flag == nullptr) continue;
        Referral ref;
        ref.reason = "red_flag";
        ref.region = p.region;
        ref.flag = flag->id;
        ref.systemic = flag->systemic;
        ref.urgency = flag->urgency;
        ref.detail = flag->detail;
        ref.input = p.path + ".red_flags";
        ref.source = flag->source;
        out_.referrals.push_back(ref);
        stop(ref);
      }
      if (p.red_flags.empty() && p.intensity >= kb_.safety.severe_pain_min) {
        Referral ref;
        ref.reason = "severe_pain";
        ref.region = p.region;
        ref.detail = "Pain of " + std::to_string(p.intensity) + "/10 in the " + kb_.vocabulary.regions.at(p.region) +
                     " region: exercises loading it are left out; see a health professional before loading it.";
        ref.input = p.path + ".intensity";
        ref.source = kb_.safety.severe_pain_source;
        out_.referrals.push_back(ref);
        stop(ref);
      }
    }
    clusters();
    for (const auto& id : in_.screening.active) {
      const kb::ScreeningRule* rule = kb_.screening_rule(id);
      if (rule == nullptr || !rule->referral) continue;
      Referral ref;
      ref.reason = "screening";
      ref.flag = rule->id;
      ref.urgency = rule->referral->urgency;
      ref.detail = rule->referral->detail;
      ref.input = in_.screening.path + "." + rule->id;
      ref.source = rule->source;
      out_.referrals.push_back(ref);
    }
  }

  // What a referral stops: everything (systemic) or its region.
  void stop(const Referral& ref) {
    auto& r = out_.restrictions;
    if (ref.systemic)
      r.stop_all = true;
    else if (!ref.region.empty() &&
             std::find(r.stopped_regions.begin(), r.stopped_regions.end(), ref.region) == r.stopped_regions.end())
      r.stopped_regions.push_back(ref.region);
  }

  // Red flags that together (with age) point to serious pathology raise the
  // urgency of the referral, and may stop the whole program.
  void clusters() {
    for (const auto& cluster : kb_.safety.clusters) {
      std::vector<std::string> present;
      std::string region, input;
      for (const auto& p : in_.pain)
        for (const auto& flag : p.red_flags)
          if (std::find(cluster.flags.begin(), cluster.flags.end(), flag) != cluster.flags.end() &&
              std::find(present.begin(), present.end(), flag) == present.end()) {
            present.push_back(flag);
            if (region.empty()) {
              region = p.region;
              input = p.path + ".red_flags";
            }
          }
      if (present.empty()) continue;
      int count = static_cast<int>(present.size());
      const bool aged = cluster.age_at_least && in_.client.age && *in_.client.age >= *cluster.age_at_least;
      if (aged) ++count;
      if (count < cluster.min_count) continue;
      std::string why;
      for (const auto& f : present) why += (why.empty() ? "" : ", ") + f;
      if (aged) why += ", age " + std::to_string(*in_.client.age);
      Referral ref;
      ref.reason = "red_flag";
      ref.region = region;
      ref.flag = cluster.id;
      ref.systemic = cluster.systemic;
      ref.urgency = cluster.urgency;
      ref.detail = cluster.detail + " (" + why + ")";
      ref.input = input;
      ref.source = cluster.source;
      // The cluster's urgency carries over to the flags it is made of.
      for (auto& other : out_.referrals)
        if (other.reason == "red_flag" && std::find(present.begin(), present.end(), other.flag) != present.end())
          other.urgency = std::max(other.urgency, cluster.urgency);
      out_.referrals.push_back(ref);
      stop(ref);
    }
  }

  // ---- combining evidence ------------------------------------------------

  void build_findings() {
    struct Key {
      std::string_view muscle;
      State state;
      Side side;
      bool operator<(const Key& o) const { return std::tie(muscle, state, side) < std::tie(o.muscle, o.state, o.side); }
    };
    std::map<Key, std::vector<size_t>> grouped;  // -> evidence_
    for (const auto& item : items_) grouped[{item.muscle->str(), item.state, item.side}].push_back(item.evidence);

    std::vector<Finding> per_side;
    for (const auto& [key, evidence] : grouped) {
      std::vector<const Evidence*> support, against;
      for (size_t i : evidence) {
        const Evidence& ev = evidence_[i];
        auto& list = ev.supports ? support : against;
        // The same input and rule can reach a muscle twice (a group and a member).
        const bool seen = std::any_of(list.begin(), list.end(), [&](const Evidence* e) {
          return e->input == ev.input && e->rule == ev.rule && e->test == ev.test;
        });
        if (!seen) list.push_back(&ev);
      }
      if (support.empty()) continue;
      double miss = 1;
      Severity severity = Severity::kMild;
      bool measured = false;
      // Evidence of one cause (desk work and hours of sitting) counts once:
      // independent evidence combines, the same cause said twice does not.
      std::map<std::string_view, double> by_cause;
      for (const Evidence* ev : support) {
        if (!ev->cause.empty())
          by_cause[ev->cause] = std::max(by_cause[ev->cause], params().weight(ev->kind));
        else
          miss *= 1 - params().weight(ev->kind);
        if (ev->kind != "lifestyle") measured = true;
      }
      for (const auto& [cause, weight] : by_cause) miss *= 1 - weight;
      for (const Evidence* ev : support)
        if (measured ? ev->kind != "lifestyle" : true) severity = std::max(severity, ev->severity);
      double confidence = 1 - miss;
      double worst_against = 0;
      for (const Evidence* ev : against) worst_against = std::max(worst_against, params().weight(ev->kind));
      // A test overrules a suspicion no test supports: a negative Thomas
      // test ends what hours of sitting or a posture photo suggested. Two
      // tests that disagree (a side-to-side deficit within normal limits)
      // both stand, and the finding is shown with its conflict.
      const auto test = [&](const Evidence* ev) { return is_test_kind(ev->kind); };
      if (std::none_of(support.begin(), support.end(), test) && std::any_of(against.begin(), against.end(), test)) continue;
      confidence *= 1 - params().conflict_factor * worst_against;
      if (confidence < params().min_confidence) continue;
      Finding f;
      f.muscle = MuscleId(std::string(key.muscle));
      f.state = key.state;
      f.side = key.side;
      f.severity = severity;
      f.confidence = std::round(confidence * 100) / 100;
      f.evidence.reserve(support.size() + against.size());
      for (const Evidence* ev : support) f.evidence.push_back(*ev);
      for (const Evidence* ev : against) f.evidence.push_back(*ev);
      per_side.push_back(std::move(f));
    }
    // Left and right alike become one finding on both sides, but only when
    // both rest on evidence of the same kind: a side measured on its own
    // keeps its side, whatever lands on both sides (lifestyle, a bilateral
    // observation) is added to it, and a side known only from such evidence
    // stays a finding of its own.
    auto sided = [](const Finding& f) {
      return std::any_of(f.evidence.begin(), f.evidence.end(), [](const Evidence& e) {
        return e.supports && e.side && *e.side != Side::kBoth;
      });
    };
    std::map<std::pair<std::string, State>, std::vector<Finding*>> by_muscle;
    for (auto& f : per_side) by_muscle[{f.muscle.str(), f.state}].push_back(&f);
    std::vector<Finding> merged;
    for (auto& [key, list] : by_muscle) {
      Finding* left = nullptr;
      Finding* right = nullptr;
      for (Finding* f : list) {
        if (f->side == Side::kLeft)
          left = f;
        else if (f->side == Side::kRight)
          right = f;
        else
          merged.push_back(std::move(*f));
      }
      if (left && right && left->severity == right->severity && sided(*left) == sided(*right)) {
        Finding both = std::move(*left);
        both.side = Side::kBoth;
        both.confidence = std::min(left->confidence, right->confidence);
        for (const auto& ev : right->evidence) {
          const bool dup = std::any_of(both.evidence.begin(), both.evidence.end(), [&](const Evidence& e) {
            return e.input == ev.input && e.rule == ev.rule && e.test == ev.test && e.supports == ev.supports;
          });
          if (!dup) both.evidence.push_back(ev);
        }
        std::stable_partition(both.evidence.begin(), both.evidence.end(), [](const Evidence& e) { return e.supports; });
        merged.push_back(std::move(both));
        continue;
      }
      if (left) merged.push_back(std::move(*left));
      if (right) merged.push_back(std::move(*right));
    }
    std::sort(merged.begin(), merged.end(), [](const Finding& a, const Finding& b) {
      if (a.state != b.state) return a.state < b.state;
      if (a.severity != b.severity) return a.severity > b.severity;
      if (a.confidence != b.confidence) return a.confidence > b.confidence;
      if (a.muscle != b.muscle) return a.muscle < b.muscle;
      return a.side < b.side;
    });
    out_.findings = std::move(merged);
    out_.lifestyle_only = !measured_any_ && !out_.findings.empty();
  }

  void patterns() {
    // Per finding, worked out once: the muscles it stands for, and whether a
    // test (not an observation or lifestyle) supports it.
    std::vector<const kb::MuscleSet*> finding_muscles;
    std::vector<bool> tested;
    for (const auto& f : out_.findings) {
      finding_muscles.push_back(&kb_.muscle_set(f.muscle));
      tested.push_back(std::any_of(f.evidence.begin(), f.evidence.end(),
                                   [&](const Evidence& e) { return e.supports && is_test_kind(e.kind); }));
    }
    for (const auto& pat : kb_.patterns) {
      PatternResult r;
      r.id = pat.id;
      r.name = pat.name;
      r.source = pat.source;
      int tight = 0, weak = 0, signs = 0;
      double conf_sum = 0;
      // A member counts when a finding covers it (KnowledgeBase::covers); for
      // patterns that ask for it, only a finding with measured or observed
      // (not lifestyle) support.
      auto match = [&](const std::vector<MuscleId>& list, State state, int& count) {
        for (const auto& m : list) {
          double best = 0;
          const kb::MuscleSet& member = kb_.muscle_set(m);
          for (size_t i = 0; i < out_.findings.size(); ++i) {
            const Finding& f = out_.findings[i];
            const bool covers = f.muscle == m || finding_muscles[i]->intersects(member);
            if (f.state == state && covers && (!pat.measured_members || tested[i])) best = std::max(best, f.confidence);
          }
          if (best > 0) {
            ++count;
            conf_sum += best;
            r.matched.push_back(m.str() + (state == State::kTight ? " tight" : " weak"));
          }
        }
      };
      match(pat.tight, State::kTight, tight);
      match(pat.weak, State::kWeak, weak);
      for (const auto& sign : pat.signs) {
        const kb::PostureObservation* ob = kb_.posture_observation(sign);
        for (const auto& e : in_.posture) {
          if (e.key != sign || ob == nullptr) continue;
          const bool present = (e.flag && *e.flag) ||
                               (e.number && ((ob->below && *e.number < *ob->below) || (ob->above && *e.number > *ob->above)));
          if (present) {
            ++signs;
            r.matched.push_back(sign);
          }
        }
      }
      if (tight < pat.min_tight || weak < pat.min_weak || tight + weak < pat.min_members) continue;
      const double members = static_cast<double>(pat.tight.size() + pat.weak.size() + pat.signs.size());
      const double share = (tight + weak + std::min<int>(signs, static_cast<int>(pat.signs.size()))) / members;
      const double mean_conf = conf_sum / (tight + weak);
      const auto& w = kb_.pattern_policy;
      r.confidence = std::round(std::clamp(w.share_weight * share + w.confidence_weight * mean_conf, 0.0, 1.0) * 100) / 100;
      out_.patterns.push_back(r);
    }
  }
};

}  // namespace

bool Finding::conflicting() const {
  return std::any_of(evidence.begin(), evidence.end(), [](const Evidence& e) { return !e.supports; });
}

Assessment assess(const kb::KnowledgeBase& kb, const intake::Intake& in) { return Assessor(kb, in).run(); }

Assessment apply_review(Assessment a, const Review& review) {
  auto same = [](const Finding& f, const FindingKey& k) { return f.muscle == k.muscle && f.side == k.side && f.state == k.state; };
  std::erase_if(a.findings, [&](const Finding& f) {
    for (const auto& k : review.dismissed)
      if (same(f, k)) return true;
    for (const auto& added : review.added)
      if (same(f, FindingKey{added.muscle, added.side, added.state})) return true;
    return false;
  });
  a.findings.insert(a.findings.end(), review.added.begin(), review.added.end());
  return a;
}

}  // namespace rebalance::assess
