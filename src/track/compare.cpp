#include "track/compare.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace rebalance::track {
namespace {

// One number (or result) of an intake, keyed so the same measurement can be
// found in another intake.
struct Reading {
  std::string key;  // measure|side|unit|position/method
  std::string measure;
  const kb::Test* test = nullptr;
  Side side = Side::kBoth;
  std::string unit;
  std::string norm_measure;  // the key of the test's normal range
  std::optional<double> value;
  std::optional<bool> positive;
};

std::vector<Reading> readings(const kb::KnowledgeBase& kb, const intake::Intake& in) {
  std::vector<Reading> out;
  auto add = [&](const std::string& section, const TestId& id, Side side, std::string unit, std::string norm, std::string variant,
                 std::optional<double> value, std::optional<bool> positive) {
    Reading r;
    r.measure = section + "." + id.str();
    r.test = kb.test(section, id.str());
    r.side = side;
    r.unit = std::move(unit);
    r.norm_measure = std::move(norm);
    r.value = value;
    r.positive = positive;
    r.key = r.measure + "|" + std::string(to_string(side)) + "|" + r.unit + "|" + variant;
    out.push_back(std::move(r));
  };
  for (const auto& e : in.rom) {
    if (e.degrees) add("rom", e.test, e.side, "deg", "degrees", e.position, e.degrees, std::nullopt);
    if (e.cm) add("rom", e.test, e.side, "cm", "cm", e.position, e.cm, std::nullopt);
    if (e.positive) add("rom", e.test, e.side, "result", "result", e.position, std::nullopt, e.positive);
  }
  for (const auto& e : in.strength) {
    const auto kind = kind_of(e.unit);
    const std::string unit = kind == StrengthKind::kForce ? "N" : kind == StrengthKind::kTorque ? "Nm" : "grade";
    add("strength", e.test, e.side, unit, std::string(to_string(kind)), e.method, e.canonical, std::nullopt);
  }
  for (const auto& e : in.endurance) add("endurance", e.test, e.side, "s", "seconds", "", e.seconds, std::nullopt);
  return out;
}

// The knowledge base writes MDC units as deg, cm, s, N, Nm or %.
bool same_unit(const std::string& error_unit, const std::string& unit) { return error_unit == unit; }

bool higher_is_better(const Reading& r) {
  if (r.test == nullptr) return true;
  const auto it = r.test->normal.find(r.norm_measure);
  // A normal range with only a maximum (pectoralis minor length, knee
  // extension lag) means less is better; otherwise more range, force or time is.
  return it == r.test->normal.end() || it->second.min || !it->second.max;
}

FindingChange change_of(std::optional<Severity> before, std::optional<Severity> after) {
  if (before && !after) return FindingChange::kResolved;
  if (!before && after) return FindingChange::kNew;
  if (*after < *before) return FindingChange::kImproved;
  if (*after > *before) return FindingChange::kWorse;
  return FindingChange::kUnchanged;
}

// The verdict on a change derived from several measurements (an asymmetry,
// a ratio): `direction` when at least one of them changed beyond its MDC,
// noise when all that could be judged stayed within it, else not judged.
// `side` kBoth takes every side.
Verdict real_change(const std::vector<MeasureDelta>& measures, const std::vector<std::string>& names, Side side,
                    Verdict direction) {
  bool beyond = false, within = false;
  for (const auto& m : measures) {
    if (std::find(names.begin(), names.end(), m.measure) == names.end()) continue;
    if (side != Side::kBoth && m.side != side && m.side != Side::kBoth) continue;
    beyond = beyond || m.verdict == Verdict::kImproved || m.verdict == Verdict::kWorse;
    within = within || m.verdict == Verdict::kWithinError;
  }
  if (beyond) return direction;
  return within ? Verdict::kWithinError : Verdict::kNotJudged;
}

}  // namespace

std::string_view to_string(FindingChange c) {
  switch (c) {
    case FindingChange::kResolved:
      return "resolved";
    case FindingChange::kImproved:
      return "improved";
    case FindingChange::kUnchanged:
      return "unchanged";
    case FindingChange::kWorse:
      return "worse";
    case FindingChange::kNew:
      return "new";
  }
  return "unchanged";
}

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::kImproved:
      return "improved";
    case Verdict::kWorse:
      return "worse";
    case Verdict::kWithinError:
      return "within_error";
    case Verdict::kNotJudged:
      return "not_judged";
  }
  return "not_judged";
}

Comparison compare(const kb::KnowledgeBase& kb, const intake::Intake& before_intake, const assess::Assessment& before,
                   const intake::Intake& after_intake, const assess::Assessment& after) {
  Comparison out;

  // Findings, by muscle, state and side. A finding on both sides is compared
  // side by side (it may resolve on one side only), then sides that changed
  // alike are reported as one again.
  struct Key {
    MuscleId muscle;
    State state;
    Side side;
    bool operator==(const Key&) const = default;
  };
  auto per_side = [&](const std::vector<assess::Finding>& findings) {
    std::vector<std::pair<Key, Severity>> out;
    for (const auto& f : findings) {
      if (f.side == Side::kBoth && !kb.is_midline(f.muscle)) {
        out.push_back({{f.muscle, f.state, Side::kLeft}, f.severity});
        out.push_back({{f.muscle, f.state, Side::kRight}, f.severity});
      } else {
        out.push_back({{f.muscle, f.state, f.side}, f.severity});
      }
    }
    return out;
  };
  const auto then = per_side(before.findings), now = per_side(after.findings);
  auto find = [](const std::vector<std::pair<Key, Severity>>& list, const Key& k) -> std::optional<Severity> {
    for (const auto& [key, severity] : list)
      if (key == k) return severity;
    return std::nullopt;
  };
  std::vector<FindingDelta> sided;
  for (const auto& [key, severity] : then) {
    FindingDelta d{key.muscle, key.side, key.state, severity, find(now, key), FindingChange::kResolved};
    d.change = change_of(d.before, d.after);
    sided.push_back(d);
  }
  for (const auto& [key, severity] : now)
    if (!find(then, key)) sided.push_back({key.muscle, key.side, key.state, std::nullopt, severity, FindingChange::kNew});
  for (size_t i = 0; i < sided.size(); ++i) {
    auto& d = sided[i];
    if (d.side == Side::kLeft) {
      const auto right = std::find_if(sided.begin() + static_cast<long>(i) + 1, sided.end(), [&](const FindingDelta& r) {
        return r.side == Side::kRight && r.muscle == d.muscle && r.state == d.state && r.before == d.before && r.after == d.after;
      });
      if (right != sided.end()) {
        d.side = Side::kBoth;
        sided.erase(right);
      }
    }
    out.findings.push_back(d);
  }
  for (const auto& d : out.findings) {
    switch (d.change) {
      case FindingChange::kResolved:
        ++out.resolved;
        break;
      case FindingChange::kImproved:
        ++out.improved;
        break;
      case FindingChange::kUnchanged:
        ++out.unchanged;
        break;
      case FindingChange::kWorse:
        ++out.worse;
        break;
      case FindingChange::kNew:
        ++out.added;
        break;
    }
  }

  // Measurements taken both times.
  const auto earlier = readings(kb, before_intake);
  for (const auto& now : readings(kb, after_intake)) {
    const auto then = std::find_if(earlier.begin(), earlier.end(), [&](const Reading& r) { return r.key == now.key; });
    if (then == earlier.end()) continue;
    MeasureDelta m;
    m.measure = now.measure;
    m.side = now.side;
    m.unit = now.unit;
    m.higher_is_better = higher_is_better(now);
    if (now.positive) {
      m.before_positive = then->positive;
      m.after_positive = now.positive;
      m.verdict = *then->positive == *now.positive ? Verdict::kWithinError : *now.positive ? Verdict::kWorse : Verdict::kImproved;
      out.measures.push_back(std::move(m));
      continue;
    }
    m.before = then->value;
    m.after = now.value;
    m.delta = *now.value - *then->value;
    if (now.test != nullptr && now.test->error && now.test->error->mdc && same_unit(now.test->error->unit, now.unit)) {
      m.mdc = now.test->error->mdc;
      m.mdc_source = now.test->error->source;
      if (std::abs(*m.delta) <= *m.mdc)
        m.verdict = Verdict::kWithinError;
      else
        m.verdict = (*m.delta > 0) == m.higher_is_better ? Verdict::kImproved : Verdict::kWorse;
    }
    out.measures.push_back(std::move(m));
  }

  // Asymmetries past their cutoffs, then or now.
  auto lsi = [](const assess::Asymmetry& a) { return a.capacity ? std::optional<double>(a.lsi_percent) : std::nullopt; };
  std::vector<std::string> seen;
  for (const auto* list : {&before.asymmetries, &after.asymmetries})
    for (const auto& a : *list)
      if (std::find(seen.begin(), seen.end(), a.measure) == seen.end()) seen.push_back(a.measure);
  for (const auto& measure : seen) {
    auto find = [&](const std::vector<assess::Asymmetry>& list) -> const assess::Asymmetry* {
      const auto it = std::find_if(list.begin(), list.end(), [&](const auto& a) { return a.measure == measure; });
      return it == list.end() ? nullptr : &*it;
    };
    const auto* b = find(before.asymmetries);
    const auto* a = find(after.asymmetries);
    AsymmetryDelta d;
    d.measure = measure;
    if (b != nullptr) {
      d.before_lsi = lsi(*b);
      d.before_difference = b->difference;
      d.unit = b->unit;
    }
    if (a != nullptr) {
      d.after_lsi = lsi(*a);
      d.after_difference = a->difference;
      d.unit = a->unit;
    }
    if (b == nullptr) {
      d.change = FindingChange::kNew;
    } else if (a == nullptr) {
      d.change = FindingChange::kResolved;
    } else {
      // Still past the cutoff: closer to symmetry is better.
      const double then = d.before_lsi ? 100 - *d.before_lsi : std::abs(d.before_difference.value_or(0));
      const double now = d.after_lsi ? 100 - *d.after_lsi : std::abs(d.after_difference.value_or(0));
      d.change = now < then ? FindingChange::kImproved : now > then ? FindingChange::kWorse : FindingChange::kUnchanged;
    }
    out.asymmetries.push_back(std::move(d));
  }

  // Ratios computed both times.
  for (const auto& r : after.ratios) {
    const auto it = std::find_if(before.ratios.begin(), before.ratios.end(),
                                 [&](const auto& q) { return q.name == r.name && q.side == r.side && q.method == r.method; });
    if (it == before.ratios.end()) continue;
    RatioDelta d{r.name, r.side, it->value, r.value, r.value - it->value, r.normal_min, r.normal_max, it->flag, r.flag};
    const auto norm = std::find_if(kb.ratios.begin(), kb.ratios.end(), [&](const kb::Ratio& k) { return k.name == r.name; });
    if (norm != kb.ratios.end()) {
      const std::string section = norm->measure == "seconds" ? "endurance." : "strength.";
      auto off = [&](double v) { return std::max({0.0, r.normal_min.value_or(v) - v, v - r.normal_max.value_or(v)}); };
      d.verdict = real_change(out.measures, {section + norm->numerator.str(), section + norm->denominator.str()}, r.side,
                              off(d.after) < off(d.before)   ? Verdict::kImproved
                              : off(d.after) > off(d.before) ? Verdict::kWorse
                                                             : Verdict::kWithinError);
    }
    out.ratios.push_back(d);
  }
  for (auto& a : out.asymmetries) {
    const bool better = a.change == FindingChange::kImproved || a.change == FindingChange::kResolved;
    const bool worse = a.change == FindingChange::kWorse || a.change == FindingChange::kNew;
    a.verdict = real_change(out.measures, {a.measure}, Side::kBoth,
                            better  ? Verdict::kImproved
                            : worse ? Verdict::kWorse
                                    : Verdict::kWithinError);
  }
  return out;
}

}  // namespace rebalance::track
