#include "plan/plan.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <tuple>

namespace rebalance::plan {
namespace {

using assess::Finding;

constexpr double kEpsilon = 1e-9;

// A finding the week must target, with its planning priority; or guideline
// work a co-prescription adds (`guideline` names it).
struct Need {
  Target target;
  double priority = 0;
  Severity severity = Severity::kMild;
  double confidence = 0;
  bool sided = false;  // measured on its side (not only evidence landing on both sides)
  std::string region;
  const kb::CoPrescription* guideline = nullptr;
};

struct Choice {
  const kb::Exercise* exercise = nullptr;
  std::vector<size_t> covers;   // indexes into needs
  std::vector<size_t> secondary;  // those of `covers` it serves through a secondary target
  double minutes = 0;
};

std::vector<int> even_spread(int days) {
  switch (days) {
    case 1:
      return {0};
    case 2:
      return {0, 3};
    case 3:
      return {0, 2, 4};
    case 4:
      return {0, 1, 3, 4};
    case 5:
      return {0, 1, 2, 3, 4};
    case 6:
      return {0, 1, 2, 3, 4, 5};
    default:
      return {0, 1, 2, 3, 4, 5, 6};
  }
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

class Planner {
 public:
  Planner(const kb::KnowledgeBase& kb, const assess::Assessment& a, const Constraints& c) : kb_(kb), a_(a), c_(c) {}

  Program run() {
    program_.kb_version = kb_.version;
    program_.weeks = c_.weeks;
    program_.days_per_week = c_.days_per_week;
    program_.minutes_per_session = c_.minutes;
    program_.start = c_.start;
    exclusions();
    needs();
    prepare();
    if (a_.restrictions.stop_all) {
      // Referral only: no sessions, no dates, no calendar events.
      for (size_t n = 0; n < needs_.size(); ++n)
        if (!needs_[n].guideline) program_.omitted.push_back({needs_[n].target, std::nullopt, why_not(n)});
      return std::move(program_);
    }
    const auto week = plan_week();
    schedule(week);
    return std::move(program_);
  }

 private:
  const kb::KnowledgeBase& kb_;
  const assess::Assessment& a_;
  const Constraints& c_;
  Program program_;
  std::map<std::string, std::string> excluded_;  // exercise id -> reason
  std::vector<Need> needs_;
  // Worked out once per plan (prepare()), by exercise index or need index:
  // the searches below ask the same questions thousands of times.
  std::vector<const std::string*> exclusion_;  // why an exercise is excluded; null when allowed
  std::string start_easy_;                     // start_easy_reason()
  std::vector<std::vector<char>> primary_, secondary_;  // [need][exercise]: covers(e, need, false / true)
  std::vector<char> preferred_serves_;                  // [need]

  int max_items() const { return kb_.progression.max_exercises_per_session; }

  size_t index_of(const kb::Exercise& e) const { return static_cast<size_t>(&e - kb_.exercises.data()); }

  void prepare() {
    exclusion_.assign(kb_.exercises.size(), nullptr);
    for (size_t i = 0; i < kb_.exercises.size(); ++i)
      if (auto it = excluded_.find(kb_.exercises[i].id.str()); it != excluded_.end()) exclusion_[i] = &it->second;
    start_easy_ = start_easy_reason();
    primary_.assign(needs_.size(), std::vector<char>(kb_.exercises.size(), 0));
    secondary_ = primary_;
    std::vector<const kb::MuscleSet*> muscles;
    for (const Need& n : needs_) muscles.push_back(&kb_.muscle_set(n.target.muscle));
    for (size_t i = 0; i < kb_.exercises.size(); ++i) {
      const kb::Exercise& e = kb_.exercises[i];
      const kb::MuscleSet& primary = kb_.targets(e, false);
      const kb::MuscleSet& secondary = kb_.targets(e, true);
      for (size_t n = 0; n < needs_.size(); ++n) {
        if (e.phase != phase_for(needs_[n].target.state)) continue;
        primary_[n][i] = primary.intersects(*muscles[n]);
        secondary_[n][i] = primary_[n][i] || secondary.intersects(*muscles[n]);
      }
    }
    preferred_serves_.assign(needs_.size(), 0);
    const int cap = week1_max_difficulty();
    for (size_t n = 0; n < needs_.size(); ++n)
      preferred_serves_[n] = std::any_of(kb_.exercises.begin(), kb_.exercises.end(), [&](const kb::Exercise& e) {
        return e.preferred && allowed(e) && e.difficulty <= cap && e.phase != Phase::kFunctional && covers(e, n, false);
      });
  }

  // Why this client starts easy (data/planning.json start_easy), or empty.
  std::string start_easy_reason() const {
    const auto& pl = kb_.planning;
    const auto& r = a_.restrictions;
    if (r.lowest_mmt && *r.lowest_mmt <= pl.start_easy_mmt_at_most)
      return "a manual muscle test grade of " + format(*r.lowest_mmt) + "/5";
    for (const auto& [region, intensity] : r.pain)
      if (intensity >= pl.start_easy_pain_at_least)
        return "pain of " + std::to_string(intensity) + "/10 in the " + region;
    if (r.age && *r.age >= pl.start_easy_age_at_least) return "age " + std::to_string(*r.age);
    return "";
  }

  // The hardest exercise week 1 may hold.
  int week1_max_difficulty() const {
    return start_easy_.empty() ? kb_.progression.start_max_difficulty : kb_.planning.start_easy_max_difficulty;
  }
  bool starts_easy() const { return !start_easy_.empty(); }

  // ---- what may be prescribed -------------------------------------------

  void exclusions() { excluded_ = excluded_exercises(kb_, a_); }

  bool allowed(const kb::Exercise& e) const { return exclusion_[index_of(e)] == nullptr; }

  // Allowed, and easy enough for week 1 when the client must start easy.
  bool startable(const kb::Exercise& e) const {
    return allowed(e) && (!starts_easy() || e.difficulty <= kb_.planning.start_easy_max_difficulty);
  }

  static Phase phase_for(State s) { return s == State::kTight ? Phase::kStretch : Phase::kStrengthen; }

  // True when `e` is of the need's phase and targets its muscle (primarily,
  // or also secondarily with `secondary`).
  bool covers(const kb::Exercise& e, size_t need, bool secondary) const {
    return (secondary ? secondary_ : primary_)[need][index_of(e)] != 0;
  }

  // ---- what must be targeted ---------------------------------------------

  void needs() {
    const auto& pl = kb_.planning;
    for (const Finding& f : a_.findings) {
      Need n;
      n.target = {f.muscle, f.side, f.state};
      n.severity = f.severity;
      n.confidence = f.confidence;
      n.sided = std::any_of(f.evidence.begin(), f.evidence.end(),
                            [](const assess::Evidence& e) { return e.supports && e.side && *e.side != Side::kBoth; });
      const auto members = kb_.members(f.muscle);
      if (const kb::Muscle* m = kb_.muscle(members.front())) n.region = m->region;
      const bool painful = std::any_of(a_.restrictions.pain.begin(), a_.restrictions.pain.end(),
                                       [&](const auto& p) { return p.first == n.region && p.second > 0; });
      n.priority = pl.severity_weight(f.severity) * f.confidence + (painful ? pl.painful_region_bonus : 0.0);
      needs_.push_back(n);
    }
    co_prescriptions();
    std::stable_sort(needs_.begin(), needs_.end(), [](const Need& x, const Need& y) { return x.priority > y.priority; });
  }

  // Guideline work: pain in a region with a weakness that calls for more
  // (knee pain with weak hips: the knee is strengthened too), unless a
  // finding already asks for it. Ranked just behind the weakness that
  // triggered it.
  void co_prescriptions() {
    for (const auto& co : kb_.planning.co_prescriptions) {
      const bool pain = std::any_of(a_.restrictions.pain.begin(), a_.restrictions.pain.end(),
                                    [&](const auto& p) { return p.first == co.pain_region && p.second > 0; });
      if (!pain) continue;
      double trigger = -1;
      for (const auto& n : needs_)
        if (n.target.state == State::kWeak && !n.guideline)
          for (const auto& m : co.weak_any)
            if (kb_.covers(m, n.target.muscle)) trigger = std::max(trigger, n.priority);
      if (trigger < 0) continue;
      for (const auto& add : co.adds) {
        const bool found = std::any_of(needs_.begin(), needs_.end(), [&](const Need& n) {
          return n.target.state == add.state && kb_.covers(add.muscle, n.target.muscle);
        });
        if (found) continue;
        Need n;
        n.target = {add.muscle, Side::kBoth, add.state};
        n.severity = kb_.planning.frequency_min_severity;
        // Ranked just below the need that triggered it, so the guideline's
        // addition never outranks the finding it supports (ordering only).
        n.priority = trigger * 0.99;
        if (const kb::Muscle* m = kb_.muscle(kb_.members(add.muscle).front())) n.region = m->region;
        n.guideline = &co;
        needs_.push_back(n);
      }
    }
  }

  std::string why_not(size_t need) const {
    // The reason of the exercise that would otherwise have served best.
    for (bool secondary : {false, true})
      for (const auto& e : kb_.exercises)
        if (covers(e, need, secondary) && !allowed(e)) return *exclusion_[index_of(e)];
    for (bool secondary : {false, true})
      for (const auto& e : kb_.exercises)
        if (covers(e, need, secondary) && allowed(e) && !startable(e))
          return "no exercise easy enough to start with (difficulty " +
                 std::to_string(kb_.planning.start_easy_max_difficulty) + " or less, for " + start_easy_ + ")";
    return "no exercise in the knowledge base targets it";
  }

  // ---- the week ----------------------------------------------------------

  struct Week {
    std::vector<std::vector<Choice>> sessions;    // corrective choices per day
    std::vector<const kb::Exercise*> functional;  // per day, may be null
  };

  std::vector<const kb::Exercise*> functional_candidates() const {
    std::vector<const kb::Exercise*> out;
    for (const auto& e : kb_.exercises)
      if (e.phase == Phase::kFunctional && allowed(e) && e.difficulty <= week1_max_difficulty()) out.push_back(&e);
    // Those covering the most findings first, then easier, then shorter.
    std::vector<int> score(kb_.exercises.size(), 0);
    for (const kb::Exercise* e : out)
      for (const auto& need : needs_)
        if (need.target.state == State::kWeak && kb_.targets(*e, false).intersects(kb_.muscle_set(need.target.muscle)))
          ++score[index_of(*e)];
    std::stable_sort(out.begin(), out.end(), [&](const kb::Exercise* x, const kb::Exercise* y) {
      const int sx = score[index_of(*x)], sy = score[index_of(*y)];
      if (sx != sy) return sx > sy;
      if (x->difficulty != y->difficulty) return x->difficulty < y->difficulty;
      return x->minutes(x->dose) < y->minutes(y->dose);
    });
    return out;
  }

  // The share of a need's priority a choice earns: less through a secondary
  // target, and less for a one-sided, measured weakness served by an
  // exercise for both sides at once (its weaker side cannot get more).
  double credit(const Choice& c, size_t need) const {
    const auto& pl = kb_.planning;
    const bool secondary = std::find(c.secondary.begin(), c.secondary.end(), need) != c.secondary.end();
    double share = secondary ? pl.secondary_credit : 1.0;
    const Need& n = needs_[need];
    if (n.target.state == State::kWeak && n.target.side != Side::kBoth && n.sided && !c.exercise->dose.per_side)
      share *= pl.bilateral_credit;
    // The source method has an exercise for this need that this client may
    // start with (prepare()): it comes first for its targets.
    if (!c.exercise->preferred && preferred_serves_[need]) share *= pl.non_preferred_credit;
    return share;
  }

  // Weighted greedy set cover over `must` needs, then pruning of redundant
  // picks and replacement by cheaper exercises covering the same needs.
  std::vector<Choice> cover(const std::vector<size_t>& must) const {
    std::vector<Choice> candidates;
    candidates.reserve(kb_.exercises.size());
    const int cap = week1_max_difficulty();
    const auto& pl = kb_.planning;
    for (const auto& e : kb_.exercises) {
      if (!allowed(e) || e.phase == Phase::kFunctional || e.difficulty > cap) continue;
      Choice c;
      c.exercise = &e;
      c.minutes = e.minutes(e.dose);
      // A secondary target serves a need below the frequency rule's severity
      // (a mild finding), for part of the credit; the others need their
      // primary-target exercise.
      for (size_t i : must)
        if (covers(e, i, false)) {
          c.covers.push_back(i);
        } else if (needs_[i].severity < pl.frequency_min_severity && covers(e, i, true)) {
          c.covers.push_back(i);
          c.secondary.push_back(i);
        }
      if (!c.covers.empty()) candidates.push_back(std::move(c));
    }
    // Needs no easy primary target reaches: any difficulty (none harder than
    // the start for a client who must start easy), then secondary targets.
    for (size_t i : must) {
      const bool reachable = std::any_of(candidates.begin(), candidates.end(), [&](const Choice& c) {
        return std::find(c.covers.begin(), c.covers.end(), i) != c.covers.end();
      });
      if (reachable) continue;
      const bool primary = std::any_of(kb_.exercises.begin(), kb_.exercises.end(), [&](const kb::Exercise& e) {
        return startable(e) && e.phase != Phase::kFunctional && covers(e, i, false);
      });
      for (const auto& e : kb_.exercises) {
        if (!startable(e) || e.phase == Phase::kFunctional || !covers(e, i, !primary)) continue;
        auto it = std::find_if(candidates.begin(), candidates.end(), [&](const Choice& c) { return c.exercise == &e; });
        if (it == candidates.end()) {
          Choice c;
          c.exercise = &e;
          c.minutes = e.minutes(e.dose);
          c.covers.push_back(i);
          candidates.push_back(c);
        } else {
          it->covers.push_back(i);
        }
      }
    }
    auto cost = [&](const Choice& c) {
      // Easier exercises first; the source method's own exercises win over
      // alternatives of similar cost.
      return c.minutes * (1 + pl.difficulty_step * (c.exercise->difficulty - 1)) *
             (c.exercise->preferred ? pl.preferred_factor : 1.0);
    };
    std::vector<char> open(needs_.size(), 0);  // by need
    size_t open_count = 0;
    for (size_t i : must)
      if (!open[i]) {
        open[i] = 1;
        ++open_count;
      }
    std::vector<Choice> picked;
    while (open_count > 0) {
      const Choice* best = nullptr;
      double best_value = 0;
      for (const auto& c : candidates) {
        double gain = 0;
        for (size_t i : c.covers)
          // + 0.01: a need of priority 0 still counts as covered (ordering only).
          if (open[i]) gain += (needs_[i].priority + 0.01) * credit(c, i);
        const double value = gain / cost(c);
        if (gain > 0 && value > best_value + kEpsilon) {
          best = &c;
          best_value = value;
        }
      }
      if (best == nullptr) break;  // the rest cannot be covered
      for (size_t i : best->covers)
        if (open[i]) {
          open[i] = 0;
          --open_count;
        }
      picked.push_back(*best);
    }
    // Drop picks whose needs the others serve at least as well, most
    // expensive first.
    std::vector<size_t> order(picked.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return cost(picked[x]) > cost(picked[y]); });
    std::vector<bool> keep(picked.size(), true);
    for (size_t idx : order) {
      bool redundant = true;
      for (size_t need : picked[idx].covers) {
        if (std::find(must.begin(), must.end(), need) == must.end()) continue;
        bool elsewhere = false;
        for (size_t j = 0; j < picked.size() && !elsewhere; ++j)
          if (j != idx && keep[j] && std::find(picked[j].covers.begin(), picked[j].covers.end(), need) != picked[j].covers.end() &&
              credit(picked[j], need) + kEpsilon >= credit(picked[idx], need))
            elsewhere = true;
        if (!elsewhere) redundant = false;
      }
      if (redundant) keep[idx] = false;
    }
    std::vector<Choice> out;
    for (size_t i = 0; i < picked.size(); ++i)
      if (keep[i]) out.push_back(picked[i]);
    // Swap a pick for a cheaper candidate covering at least what only it covers.
    for (auto& pick : out) {
      std::vector<size_t> unique;
      for (size_t need : pick.covers) {
        bool elsewhere = false;
        for (const auto& other : out)
          if (&other != &pick && std::find(other.covers.begin(), other.covers.end(), need) != other.covers.end())
            elsewhere = true;
        if (!elsewhere) unique.push_back(need);
      }
      for (const auto& c : candidates) {
        if (cost(c) + kEpsilon >= cost(pick)) continue;
        if (std::any_of(out.begin(), out.end(), [&](const Choice& o) { return o.exercise == c.exercise; })) continue;
        // Cheaper, and serving each of them at least as well.
        const bool enough = std::all_of(unique.begin(), unique.end(), [&](size_t need) {
          return std::find(c.covers.begin(), c.covers.end(), need) != c.covers.end() &&
                 credit(c, need) + kEpsilon >= credit(pick, need);
        });
        if (enough) pick = c;
      }
    }
    return out;
  }

  // Packs choices into the days (worst fit by minutes, at most max_items per
  // day). Returns false when something does not fit.
  bool pack(const std::vector<Choice>& choices, const std::vector<double>& capacity, const std::vector<int>& slots,
            std::vector<std::vector<Choice>>& days) const {
    days.assign(capacity.size(), {});
    std::vector<double> left = capacity;
    std::vector<int> free_slots = slots;
    std::vector<Choice> sorted = choices;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Choice& x, const Choice& y) { return x.minutes > y.minutes; });
    for (const auto& c : sorted) {
      int best = -1;
      for (size_t d = 0; d < days.size(); ++d) {
        if (free_slots[d] <= 0 || c.minutes > left[d] + kEpsilon) continue;
        if (best < 0 || left[d] > left[static_cast<size_t>(best)] + kEpsilon) best = static_cast<int>(d);
      }
      if (best < 0) return false;
      days[static_cast<size_t>(best)].push_back(c);
      left[static_cast<size_t>(best)] -= c.minutes;
      --free_slots[static_cast<size_t>(best)];
    }
    return true;
  }

  Week plan_week() {
    Week week;
    const int days = c_.days_per_week;
    const double budget = c_.minutes;
    // Functional days: 2-3 a week from the guidance, every day below 2 days.
    int functional_days = days < kb_.guidance.functional_days_min ? days : kb_.guidance.functional_days_min;
    auto candidates = functional_candidates();
    week.functional.assign(static_cast<size_t>(days), nullptr);
    std::vector<double> capacity(static_cast<size_t>(days), budget);
    std::vector<int> slots(static_cast<size_t>(days), max_items());
    if (candidates.empty()) {
      program_.omitted.push_back(
          {std::nullopt, std::nullopt,
           "functional days: every functional exercise is excluded (" + functional_exclusion_reason() + ")"});
    } else {
      // Spread the functional days over the week: day 1, then the latest days.
      std::vector<int> chosen;
      if (functional_days >= days) {
        for (int d = 0; d < days; ++d) chosen.push_back(d);
      } else {
        for (int k = 0; k < functional_days; ++k)
          chosen.push_back(static_cast<int>(std::lround(k * (days - 1) / std::max(1.0, functional_days - 1.0))));
      }
      size_t rotate = 0;
      for (int d : chosen) {
        // The next candidate that fits this session on its own.
        const kb::Exercise* pick = nullptr;
        for (size_t k = 0; k < candidates.size() && pick == nullptr; ++k) {
          const kb::Exercise* e = candidates[(rotate + k) % candidates.size()];
          if (e->minutes(e->dose) <= budget + kEpsilon) {
            pick = e;
            rotate = (rotate + k + 1) % candidates.size();
          }
        }
        if (pick == nullptr) continue;
        week.functional[static_cast<size_t>(d)] = pick;
        capacity[static_cast<size_t>(d)] -= pick->minutes(pick->dose);
        slots[static_cast<size_t>(d)] -= 1;
      }
      const bool any =
          std::any_of(week.functional.begin(), week.functional.end(), [](const kb::Exercise* e) { return e != nullptr; });
      if (!any)
        program_.omitted.push_back(
            {std::nullopt, std::nullopt,
             "functional days: no functional exercise fits a " + std::to_string(c_.minutes) + "-minute session"});
    }

    // Needs no allowed exercise can serve are omitted with the reason.
    std::vector<size_t> must;
    for (size_t i = 0; i < needs_.size(); ++i) {
      const bool reachable = std::any_of(kb_.exercises.begin(), kb_.exercises.end(), [&](const kb::Exercise& e) {
        return startable(e) && e.phase != Phase::kFunctional && covers(e, i, true);
      });
      if (reachable)
        must.push_back(i);
      else
        program_.omitted.push_back({needs_[i].target, std::nullopt, why_not(i)});
    }
    // Fit: sessions grow from the preferred number of exercises up to the
    // hard maximum before the lowest-priority needs are dropped.
    std::vector<Choice> chosen;
    int cap = max_items();
    while (true) {
      chosen = cover(must);
      std::vector<int> cap_slots = slots;
      for (auto& s : cap_slots) s += cap - max_items();
      std::vector<std::vector<Choice>> packed;
      if (pack(chosen, capacity, cap_slots, packed)) {
        week.sessions = packed;
        slots = cap_slots;
        break;
      }
      if (cap < kb_.progression.hard_max_exercises_per_session) {
        ++cap;
        continue;
      }
      if (must.empty()) {
        week.sessions.assign(static_cast<size_t>(days), {});
        break;
      }
      const size_t dropped = must.back();  // needs_ is sorted by priority
      must.pop_back();
      program_.omitted.push_back({needs_[dropped].target, std::nullopt,
                                  "does not fit " + std::to_string(days) + " session(s) of " + std::to_string(c_.minutes) +
                                      " minutes with at most " + std::to_string(kb_.progression.hard_max_exercises_per_session) +
                                      " exercises each; higher-priority findings come first"});
    }
    frequency(week, capacity, chosen);
    // Repeats only while a session stays within the preferred size.
    std::vector<int> preferred(static_cast<size_t>(days), max_items());
    for (size_t d = 0; d < preferred.size(); ++d)
      if (week.functional[d]) --preferred[d];
    fill(week, capacity, preferred, chosen);
    return week;
  }

  // The frequency rule (data/planning.json): each need of its severity is
  // trained on its minimum days a week, by repeating the exercise that
  // serves it on the days with the most time left, up to the hard maximum of
  // exercises per session; what still does not fit is said in `omitted`.
  void frequency(Week& week, std::vector<double> capacity, const std::vector<Choice>& chosen) {
    const auto& pl = kb_.planning;
    const size_t days = week.sessions.size();
    if (static_cast<int>(days) < pl.frequency_when_days) return;
    const int need_days = std::min<int>(pl.frequency_min_days, static_cast<int>(days));
    std::vector<int> items(days, 0);
    for (size_t d = 0; d < days; ++d) {
      items[d] = static_cast<int>(week.sessions[d].size()) + (week.functional[d] ? 1 : 0);
      for (const auto& c : week.sessions[d]) capacity[d] -= c.minutes;
    }
    const int hard = kb_.progression.hard_max_exercises_per_session;
    for (size_t i = 0; i < needs_.size(); ++i) {
      if (needs_[i].severity < pl.frequency_min_severity) continue;
      auto serves = [&](const Choice& c) { return std::find(c.covers.begin(), c.covers.end(), i) != c.covers.end(); };
      const Choice* best = nullptr;
      for (const auto& c : chosen)
        if (serves(c) && (best == nullptr || c.minutes < best->minutes)) best = &c;
      if (best == nullptr) continue;  // not served at all: omitted already says why
      auto on_day = [&](size_t d) { return std::any_of(week.sessions[d].begin(), week.sessions[d].end(), serves); };
      int have = 0;
      for (size_t d = 0; d < days; ++d) have += on_day(d) ? 1 : 0;
      while (have < need_days) {
        int pick = -1;
        for (size_t d = 0; d < days; ++d) {
          if (on_day(d) || items[d] >= hard || best->minutes > capacity[d] + kEpsilon) continue;
          const bool same = std::any_of(week.sessions[d].begin(), week.sessions[d].end(),
                                        [&](const Choice& x) { return x.exercise == best->exercise; });
          if (same) continue;
          if (pick < 0 || capacity[d] > capacity[static_cast<size_t>(pick)] + kEpsilon) pick = static_cast<int>(d);
        }
        if (pick < 0) break;
        week.sessions[static_cast<size_t>(pick)].push_back(*best);
        capacity[static_cast<size_t>(pick)] -= best->minutes;
        ++items[static_cast<size_t>(pick)];
        ++have;
      }
      if (have < need_days)
        program_.omitted.push_back(
            {needs_[i].target, std::nullopt,
             "trained on " + std::to_string(have) + " day(s) a week instead of " + std::to_string(need_days) + ": " +
                 std::to_string(days) + " session(s) of " + std::to_string(c_.minutes) + " minutes with at most " +
                 std::to_string(hard) + " exercises each are full; more minutes per session would allow it"});
    }
  }

  // Repeats chosen exercises on more days while time and slots allow: more
  // frequent stretching and activation, highest priority first.
  void fill(Week& week, std::vector<double> capacity, std::vector<int> slots, const std::vector<Choice>& chosen) const {
    for (size_t d = 0; d < week.sessions.size(); ++d)
      for (const auto& c : week.sessions[d]) {
        capacity[d] -= c.minutes;
        --slots[d];
      }
    std::vector<Choice> order = chosen;
    auto weight = [&](const Choice& c) {
      double w = 0;
      for (size_t i : c.covers) w += needs_[i].priority;
      return w;
    };
    std::stable_sort(order.begin(), order.end(), [&](const Choice& x, const Choice& y) { return weight(x) > weight(y); });
    for (size_t d = 0; d < week.sessions.size(); ++d)
      for (const auto& c : order) {
        if (slots[d] <= 0 || c.minutes > capacity[d] + kEpsilon) continue;
        auto& day = week.sessions[d];
        if (std::any_of(day.begin(), day.end(), [&](const Choice& x) { return x.exercise == c.exercise; })) continue;
        day.push_back(c);
        capacity[d] -= c.minutes;
        --slots[d];
      }
  }

  std::string functional_exclusion_reason() const {
    for (const auto& e : kb_.exercises)
      if (e.phase == Phase::kFunctional && !allowed(e)) return *exclusion_[index_of(e)];
    return "none in the knowledge base";
  }

  // ---- doses over the weeks ----------------------------------------------

  struct Prescription {
    const kb::Exercise* exercise;
    kb::Dose dose;
    std::string note;
  };

  // The prescription of `base` after `level` progression steps.
  Prescription progress(const kb::Exercise* base, int level, const std::vector<Target>& targets) const {
    Prescription p{base, base->dose, ""};
    std::optional<Step> last;
    const kb::Exercise* replaced = nullptr;
    const auto may_use = [&](const kb::Exercise& e) { return allowed(e) && covers_all(e, targets); };
    int volume_steps = 0;  // on the current exercise
    for (int step = 0; step < level; ++step) {
      const kb::ProgressionRule* rule = kb_.progression.rule_for(p.exercise->phase, p.dose);
      const bool variant_first = rule != nullptr && rule->variant_after > 0 && volume_steps >= rule->variant_after;
      auto next = next_step(kb_, *p.exercise, p.dose, may_use, variant_first);
      if (!next) continue;
      volume_steps = next->exercise != p.exercise ? 0 : volume_steps + 1;
      if (next->exercise != p.exercise)
        replaced = p.exercise;
      else
        replaced = nullptr;
      p.exercise = next->exercise;
      p.dose = next->dose;
      last = next;
    }
    if (replaced != nullptr)
      p.note = "progressed to a harder variant: " + p.exercise->name + " (replaces " + replaced->name + ")";
    else if (last && !last->field.empty())
      p.note = "progressed: " + last->field + " " + format(last->from) + " → " + format(last->to);
    else if (p.exercise != base)
      p.note = "harder variant of " + base->name;
    return p;
  }

  // As printf's "%.0f" for whole numbers, else "%.1f" (std::to_chars
  // promises the same text, several times faster).
  static std::string format(double v) {
    char buf[400];  // the longest double in fixed notation, with room to spare
    const int decimals = std::fabs(v - std::round(v)) < 1e-9 ? 0 : 1;
    return {buf, std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals).ptr};
  }

  bool covers_all(const kb::Exercise& e, const std::vector<Target>& targets) const {
    return std::all_of(targets.begin(), targets.end(), [&](const Target& t) {
      const kb::MuscleSet& muscle = kb_.muscle_set(t.muscle);
      return kb_.targets(e, false).intersects(muscle) || kb_.targets(e, true).intersects(muscle);
    });
  }

  std::vector<Target> targets_of(const kb::Exercise& e, const Choice* choice) const {
    std::vector<Target> out;
    if (choice != nullptr) {
      for (size_t i : choice->covers) out.push_back(needs_[i].target);
      return out;
    }
    for (const auto& n : needs_)
      if (n.target.state == State::kWeak && kb_.targets(e, false).intersects(kb_.muscle_set(n.target.muscle)))
        out.push_back(n.target);
    return out;
  }

  // More sets on the weaker side of a unilateral strengthening exercise
  // (data/planning.json weaker_side: how many, from which week): the side
  // whose weak target is worse (more severe, or as severe but measured on
  // that side where the other rests only on evidence landing on both sides),
  // or the only side it targets.
  void weaker_side_volume(Item& item, int week) const {
    const auto& pl = kb_.planning;
    if (week < pl.weaker_side_from_week || pl.weaker_side_extra_sets <= 0 || !item.dose.per_side ||
        item.phase != Phase::kStrengthen || item.targets.empty())
      return;
    // A finding on both sides counts for each side alike.
    std::optional<std::tuple<Severity, bool>> left, right;
    for (const auto& t : item.targets) {
      if (t.state != State::kWeak) continue;
      const auto need = std::find_if(needs_.begin(), needs_.end(), [&](const Need& n) { return n.target == t; });
      if (need == needs_.end()) continue;
      const std::tuple<Severity, bool> score{need->severity, need->sided};
      for (Side s : {Side::kLeft, Side::kRight}) {
        if (t.side != Side::kBoth && t.side != s) continue;
        auto& slot = s == Side::kLeft ? left : right;
        if (!slot || score > *slot) slot = score;
      }
    }
    std::optional<Side> side;
    if (left && !right)
      side = Side::kLeft;
    else if (right && !left)
      side = Side::kRight;
    else if (left && right && *left != *right)
      side = *left > *right ? Side::kLeft : Side::kRight;
    if (!side) return;
    if (*side == Side::kLeft)
      item.extra_sets_left = pl.weaker_side_extra_sets;
    else
      item.extra_sets_right = pl.weaker_side_extra_sets;
  }

  // An exercise as each week holds it: its week-1 choice and the targets it
  // serves (the same every week; the dose and variant change).
  struct Slot {
    const kb::Exercise* base = nullptr;
    std::vector<Target> targets;
    // Its items once made (item()), by level, extra sets and week; sized
    // for every level at the start, so references to them stay valid.
    std::vector<std::optional<Item>> items;
  };

  struct Level {
    int level = 0;
    bool extra = true;
  };

  // Each day's slots in session order: stretch before strengthen, within a
  // phase by priority, the functional exercise last.
  std::vector<std::vector<size_t>> session_slots(const Week& week) {
    std::vector<std::vector<size_t>> days;
    for (int d = 0; d < c_.days_per_week; ++d) {
      std::vector<const Choice*> corrective;
      for (const auto& c : week.sessions[static_cast<size_t>(d)]) corrective.push_back(&c);
      std::stable_sort(corrective.begin(), corrective.end(), [&](const Choice* x, const Choice* y) {
        if (x->exercise->phase != y->exercise->phase) return x->exercise->phase < y->exercise->phase;
        double wx = 0, wy = 0;
        for (size_t i : x->covers) wx += needs_[i].priority;
        for (size_t i : y->covers) wy += needs_[i].priority;
        return wx > wy;
      });
      std::vector<size_t> day;
      for (const Choice* c : corrective) day.push_back(slot(c->exercise, targets_of(*c->exercise, c)));
      if (const kb::Exercise* f = week.functional[static_cast<size_t>(d)]) day.push_back(slot(f, targets_of(*f, nullptr)));
      days.push_back(std::move(day));
    }
    return days;
  }

  size_t slot(const kb::Exercise* base, std::vector<Target> targets) {
    for (size_t i = 0; i < slots_.size(); ++i)
      if (slots_[i].base == base && slots_[i].targets == targets) return i;
    const int levels = (c_.weeks - 1) / kb_.progression.every_weeks + 1;
    slots_.push_back({base, std::move(targets), std::vector<std::optional<Item>>(static_cast<size_t>(levels) * 4)});
    return slots_.size() - 1;
  }

  // A session's estimate, rounded to a tenth of a minute; rounding never
  // pushes it over the budget.
  double estimate(double total) const {
    const double rounded = std::round(total * 10) / 10;
    return rounded > c_.minutes && total <= c_.minutes + kEpsilon ? c_.minutes : rounded;
  }

  void schedule(const Week& week) {
    const std::vector<int> weekdays = !c_.weekdays.empty() && static_cast<int>(c_.weekdays.size()) == c_.days_per_week
                                          ? c_.weekdays
                                          : even_spread(c_.days_per_week);
    // The dates: the chosen weekdays from the start date on.
    std::vector<Date> dates;
    for (Date d = c_.start; static_cast<int>(dates.size()) < c_.weeks * c_.days_per_week; d = d.plus_days(1))
      if (std::find(weekdays.begin(), weekdays.end(), d.weekday()) != weekdays.end()) dates.push_back(d);

    const auto days = session_slots(week);
    const int every = kb_.progression.every_weeks;
    for (int w = 1; w <= c_.weeks; ++w) {
      // One progression level per exercise (by its week-1 choice) for the
      // week; extra weaker-side sets are allowed until taken back.
      std::vector<std::optional<Level>> levels(kb_.exercises.size());
      const int level = (w - 1) / every;
      const auto level_of = [&](const std::vector<std::optional<Level>>& chosen, size_t s) {
        return chosen[index_of(*slots_[s].base)].value_or(Level{level, true});
      };
      std::vector<std::optional<Level>> built;  // the levels the week's sessions are built with
      for (int attempt = 0; attempt < 256; ++attempt) {
        built = levels;
        std::optional<size_t> over;  // the last session over budget
        for (size_t d = 0; d < days.size(); ++d) {
          double total = 0;
          for (size_t s : days[d]) total += item(s, level_of(built, s), w).minutes;
          if (estimate(total) > c_.minutes + kEpsilon || total > c_.minutes + kEpsilon) over = d;
        }
        if (!over) break;
        // Over budget: take back the step that saves this session the most.
        const kb::Exercise* worst = nullptr;
        Level worst_back;
        // A step back may even lengthen the item (a harder variant can be
        // shorter than its predecessor at full volume); the loop goes on.
        double saving = -std::numeric_limits<double>::infinity();
        for (size_t s : days[*over]) {
          const Level current = level_of(built, s);
          const Item& now = item(s, current, w);
          Level back = current;
          if (back.extra && (now.extra_sets_left || now.extra_sets_right))
            back.extra = false;
          else if (back.level > 0)
            --back.level;
          else
            continue;
          const double smaller = item(s, back, w).minutes;
          if (now.minutes - smaller > saving) {
            saving = now.minutes - smaller;
            worst = slots_[s].base;
            worst_back = back;
          }
        }
        if (worst == nullptr) break;  // week-1 doses fit by construction
        levels[index_of(*worst)] = worst_back;
      }
      for (size_t d = 0; d < days.size(); ++d) {
        Session session;
        session.week = w;
        session.day = static_cast<int>(d) + 1;
        session.date = dates[static_cast<size_t>((w - 1) * c_.days_per_week) + d];
        double total = 0;
        session.items.reserve(days[d].size());
        for (size_t s : days[d]) {
          session.items.push_back(item(s, level_of(built, s), w));
          total += session.items.back().minutes;
        }
        session.estimated_minutes = estimate(total);
        program_.sessions.push_back(std::move(session));
      }
    }
    for (int w = kb_.progression.reassess_every_weeks; w <= c_.weeks; w += kb_.progression.reassess_every_weeks) {
      const size_t last = static_cast<size_t>(w * c_.days_per_week - 1);
      if (last < dates.size()) program_.reassessments.push_back({w, dates[last]});
    }
    for (const auto& rule : kb_.progression.rules) {
      std::string steps;
      for (const auto& s : rule.steps)
        steps += (steps.empty() ? "" : ", then ") + s.field + " +" + format(s.by) + " up to " + format(s.max);
      program_.progression_notes.push_back(std::string(to_string(rule.phase)) + " (" + rule.kind + "): every " +
                                           std::to_string(every) + " weeks " + steps + ", then the harder variant (" +
                                           rule.source + ")");
    }
  }

  // The item of slot `s` at level `lv` in week `week`, made once: the same
  // exercise recurs on several days and in every budget attempt.
  const Item& item(size_t s, const Level& lv, int week) {
    // The week matters only through the weaker side's extra sets.
    const bool extra_weeks = week >= kb_.planning.weaker_side_from_week;
    auto& made = slots_[s].items[static_cast<size_t>(lv.level) * 4 + (lv.extra ? 2 : 0) + (extra_weeks ? 1 : 0)];
    if (!made) made = make_item(slots_[s].base, slots_[s].targets, lv, week);
    return *made;
  }

  Item make_item(const kb::Exercise* base, const std::vector<Target>& targets, const Level& lv, int week) const {
    const Prescription p = progress(base, lv.level, targets);
    Item item;
    item.exercise = p.exercise->id;
    item.week1_exercise = base->id;
    item.phase = p.exercise->phase;
    item.dose = p.dose;
    item.targets = targets;
    item.note = p.note;
    // Guideline work says why it is there (functional work serves it anyway).
    if (item.phase != Phase::kFunctional)
      for (const auto& t : targets)
        for (const auto& n : needs_)
          if (n.guideline && n.target == t && item.note.empty()) item.note = n.guideline->note;
    if (lv.extra) weaker_side_volume(item, week);
    item.minutes = item_minutes(*p.exercise, item);
    return item;
  }

  std::deque<Slot> slots_;  // a deque: item() hands out references into slots
};

}  // namespace

std::map<std::string, std::string> excluded_exercises(const kb::KnowledgeBase& kb, const assess::Assessment& a) {
  std::map<std::string, std::string> excluded;
  const auto& r = a.restrictions;
  std::string systemic;
  for (const auto& ref : a.referrals)
    if (ref.systemic) systemic = ref.flag;
  for (const auto& e : kb.exercises) {
    std::string reason;
    if (r.stop_all) {
      reason = "red flag (" + systemic + "): the whole program stops; see a professional first";
    }
    for (const auto& region : e.loads) {
      if (!reason.empty()) break;
      if (std::find(r.stopped_regions.begin(), r.stopped_regions.end(), region) == r.stopped_regions.end()) continue;
      const bool flagged = std::any_of(a.referrals.begin(), a.referrals.end(), [&](const assess::Referral& ref) {
        return ref.region == region && ref.reason == "red_flag";
      });
      reason = flagged ? "red flag for " + region + ": see a professional first"
                       : "severe pain in the " + region + " region: see a professional first";
    }
    for (const auto& ci : e.contraindications) {
      if (!reason.empty()) break;
      for (const auto& [region, intensity] : r.pain)
        if (region == ci.region && intensity >= ci.min_intensity)
          reason = "pain " + std::to_string(intensity) + "/10 in the " + region + ": " + ci.reason;
    }
    for (const auto& id : r.screening) {
      if (!reason.empty()) break;
      const kb::ScreeningRule* rule = kb.screening_rule(id);
      if (rule == nullptr) continue;
      const bool tagged = std::any_of(rule->tags.begin(), rule->tags.end(), [&](const std::string& tag) {
        return std::find(e.tags.begin(), e.tags.end(), tag) != e.tags.end();
      });
      const bool position = std::find(rule->positions.begin(), rule->positions.end(), e.position) != rule->positions.end();
      const bool named = std::find(rule->exercises.begin(), rule->exercises.end(), e.id) != rule->exercises.end();
      if (tagged || position || named) reason = "screening (" + rule->name + "): " + rule->note;
      if (!rule->loading_parameter.empty()) {
        const auto region = r.screening_values.find(rule->loading_parameter);
        if (region != r.screening_values.end() && std::find(e.loads.begin(), e.loads.end(), region->second) != e.loads.end())
          reason = "screening (" + rule->name + ", " + region->second + "): " + rule->note;
      }
    }
    for (const auto& [tag, why] : r.excluded_tags) {
      if (!reason.empty()) break;
      if (std::find(e.tags.begin(), e.tags.end(), tag) != e.tags.end()) reason = why;
    }
    if (reason.empty()) {
      std::vector<std::string> missing;
      for (const auto& item : e.equipment)
        if (std::find(r.equipment.begin(), r.equipment.end(), item) == r.equipment.end()) missing.push_back(item);
      if (!missing.empty()) reason = "needs equipment not available: " + join(missing, ", ");
    }
    if (!reason.empty()) excluded[e.id.str()] = reason;
  }
  return excluded;
}

std::optional<Step> next_step(const kb::KnowledgeBase& kb, const kb::Exercise& exercise, const kb::Dose& dose,
                              const std::function<bool(const kb::Exercise&)>& may_use, bool variant_first) {
  if (variant_first && exercise.progression)
    if (const kb::Exercise* next = kb.exercise(*exercise.progression); next != nullptr && may_use(*next))
      return Step{next, next->dose, "", 0, 0};
  if (const kb::ProgressionRule* rule = kb.progression.rule_for(exercise.phase, dose))
    for (const auto& s : rule->steps) {
      double value = 0;
      if (s.field == "reps" && dose.reps)
        value = *dose.reps;
      else if (s.field == "hold_seconds")
        value = dose.hold_seconds;
      else if (s.field == "sets")
        value = dose.sets;
      else
        continue;
      if (value + kEpsilon >= s.max) continue;
      Step out{&exercise, dose, s.field, value, std::min(s.max, value + s.by)};
      if (s.field == "reps")
        out.dose.reps = static_cast<int>(out.to);
      else if (s.field == "hold_seconds")
        kb::set_hold(out.dose, out.to);
      else
        out.dose.sets = static_cast<int>(out.to);
      return out;
    }
  // Every field at its maximum: the harder variant, at its standard dose.
  if (exercise.progression)
    if (const kb::Exercise* next = kb.exercise(*exercise.progression); next != nullptr && may_use(*next))
      return Step{next, next->dose, "", 0, 0};
  return std::nullopt;
}

double item_minutes(const kb::Exercise& exercise, const Item& item) {
  double minutes = exercise.minutes(item.dose);
  const int extra = item.extra_sets_left.value_or(0) + item.extra_sets_right.value_or(0);
  if (extra > 0) {
    const double per_set =
        item.dose.reps ? *item.dose.reps * (exercise.duration.seconds_per_rep + item.dose.hold_seconds) : item.dose.hold_seconds;
    minutes += extra * (per_set + item.dose.rest_seconds) / 60.0;
  }
  return minutes;
}

Constraints resolve(const kb::KnowledgeBase& kb, const intake::Intake& in, const Overrides& o, Date today) {
  Constraints c;
  const auto& p = in.preferences;
  const auto& d = kb.planning;
  c.weeks = o.weeks.value_or(p.weeks.value_or(d.default_weeks));
  c.days_per_week = o.days_per_week.value_or(
      p.days_per_week.value_or(p.days.empty() ? d.default_days_per_week : static_cast<int>(p.days.size())));
  c.minutes = o.minutes.value_or(p.minutes_per_session.value_or(d.default_minutes));
  if (o.start)
    c.start = *o.start;
  else if (p.start_date)
    c.start = *p.start_date;
  else
    c.start = today.plus_days((7 - today.weekday()) % 7);
  if (static_cast<int>(p.days.size()) == c.days_per_week) c.weekdays = p.days;
  return c;
}

Program plan(const kb::KnowledgeBase& kb, const assess::Assessment& assessment, const Constraints& constraints) {
  return Planner(kb, assessment, constraints).run();
}

}  // namespace rebalance::plan
