#include "track/adapt.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace rebalance::track {
namespace {

constexpr double kEpsilon = 1e-9;

// What one logged session showed of one exercise.
struct Occurrence {
  Date date = Date::from_days(0);
  bool done = false;      // listed with at least one set
  bool complete = false;  // every prescribed set (and rep, and hold)
  int effort = 0;
  int pain = 0;
};

bool complete(const plan::Item& planned, const LogItem& done) {
  if (done.sets_done < planned.dose.sets) return false;
  if (planned.dose.reps && !done.reps_done.empty()) {
    if (static_cast<int>(done.reps_done.size()) < planned.dose.sets) return false;
    if (std::any_of(done.reps_done.begin(), done.reps_done.end(), [&](int r) { return r < *planned.dose.reps; })) return false;
  }
  if (!planned.dose.reps && planned.dose.hold_seconds > 0 && done.hold_seconds_done &&
      *done.hold_seconds_done + kEpsilon < planned.dose.hold_seconds)
    return false;
  return true;
}

std::string figure(int v) { return std::to_string(v) + "/10"; }

class Adapter {
 public:
  Adapter(const kb::KnowledgeBase& kb, const assess::Assessment& a, const plan::Program& p, const std::vector<SessionLog>& logs,
          Date as_of)
      : kb_(kb), rules_(kb.progression.from_logs), original_(p), as_of_(as_of), excluded_(plan::excluded_exercises(kb, a)) {
    for (const auto& l : logs) {
      auto& slot = logs_[{l.week, l.day}];
      if (slot == nullptr || slot->date < l.date) slot = &l;
    }
    out_.program = p;
  }

  Adaptation run() {
    auto& sessions = out_.program.sessions;
    const auto first = std::find_if(sessions.begin(), sessions.end(), [&](const plan::Session& s) { return !(s.date < as_of_); });
    if (first == sessions.end()) return std::move(out_);
    week_ = first->week;
    out_.first_changed_week = week_;
    repeat_missed_week();
    for (const auto& [base, history] : occurrences()) decide(base, history);
    keep_within_budget();
    return std::move(out_);
  }

 private:
  const kb::KnowledgeBase& kb_;
  const kb::LogRules& rules_;
  const plan::Program& original_;
  Date as_of_;
  std::map<std::string, std::string> excluded_;
  std::map<std::pair<int, int>, const SessionLog*> logs_;
  Adaptation out_;
  // Per flag of out_.flags: the reason it groups by and its exercises' names.
  std::vector<std::string> flag_why_;
  std::vector<std::vector<std::string>> flag_names_;
  int week_ = 0;  // the first week with a session on or after as_of

  bool ahead(const plan::Session& s) const { return !(s.date < as_of_); }

  // The latest logged session reported pain at the back-off level: nothing
  // steps up until a session without it.
  bool in_pain() const {
    const SessionLog* latest = nullptr;
    for (const auto& [key, log] : logs_)
      if (log->date < as_of_ && (latest == nullptr || latest->date < log->date)) latest = log;
    return latest != nullptr && latest->pain >= rules_.regress_min_pain;
  }

  const plan::Session* original_session(int week, int day) const {
    for (const auto& s : original_.sessions)
      if (s.week == week && s.day == day) return &s;
    return nullptr;
  }

  void repeat_missed_week() {
    if (!rules_.repeat_missed_week || week_ < 2) return;
    const int previous = week_ - 1;
    for (const auto& s : original_.sessions)
      if (s.week == previous && (ahead(s) || logs_.count({s.week, s.day}))) return;
    for (auto& s : out_.program.sessions) {
      if (!ahead(s)) continue;
      if (const plan::Session* source = original_session(s.week - 1, s.day)) s.items = source->items;
    }
    out_.changes.push_back({ProgramChange::Kind::kRepeatedWeek, week_, std::nullopt, std::nullopt,
                            "no session of week " + std::to_string(previous) + " was logged: week " + std::to_string(week_) +
                                " repeats it instead of moving ahead",
                            rules_.missed_week_source, std::nullopt});
  }

  // For each exercise (by its week-1 choice), what the logged sessions before
  // as_of showed, oldest first.
  std::map<std::string, std::vector<Occurrence>> occurrences() const {
    std::map<std::string, std::vector<Occurrence>> out;
    for (const auto& s : original_.sessions) {
      if (ahead(s)) continue;
      const auto it = logs_.find({s.week, s.day});
      if (it == logs_.end()) {
        // A session not logged is a session not done.
        for (const auto& item : s.items) out[item.week1_exercise.str()].push_back(Occurrence{s.date, false, false, 0, 0});
        continue;
      }
      const SessionLog& log = *it->second;
      for (const auto& item : s.items) {
        Occurrence o{log.date, false, false, log.effort, log.pain};
        for (const auto& done : log.items) {
          if (done.exercise != item.exercise || done.sets_done == 0) continue;
          o.done = true;
          o.complete = complete(item, done);
          o.effort = done.effort.value_or(log.effort);
          o.pain = done.pain.value_or(log.pain);
        }
        out[item.week1_exercise.str()].push_back(o);
      }
    }
    return out;
  }

  void decide(const std::string& base, const std::vector<Occurrence>& history) {
    std::vector<Occurrence> done;
    std::copy_if(history.begin(), history.end(), std::back_inserter(done), [](const Occurrence& o) { return o.done; });
    const ExerciseId id(base);
    std::vector<std::pair<Date, int>> pains;
    for (const auto& o : done) pains.emplace_back(o.date, o.pain);
    if (auto why = back_off_reason(pains, rules_)) return regress(id, done.back().date, *why);
    const int n = rules_.progress_sessions;
    if (!in_pain() && static_cast<int>(history.size()) >= n &&
        std::all_of(history.end() - n, history.end(), [&](const Occurrence& o) {
          return o.done && o.complete && o.effort <= rules_.progress_max_effort && o.pain <= rules_.progress_max_pain;
        }))
      return progress(id, "done completely in the last " + std::to_string(n) + " sessions at effort at most " +
                              figure(rules_.progress_max_effort) + " and pain at most " + figure(rules_.progress_max_pain));
    if (history.empty()) return;
    const Occurrence& last = history.back();
    if (!last.done || !last.complete)
      hold(id, std::string("the latest session (") + last.date.iso() + ") " +
                   (last.done ? "was not done completely" : "left it out"));
    else if (last.effort > rules_.progress_max_effort)
      hold(id, "effort " + figure(last.effort) + " on " + last.date.iso() + " (more than " + figure(rules_.progress_max_effort) +
                   ")");
  }

  // The future items of an exercise (with its progressed variants).
  template <class F>
  void each_ahead(const ExerciseId& base, F f) {
    for (auto& s : out_.program.sessions)
      if (ahead(s))
        for (auto& item : s.items)
          if (item.week1_exercise == base) f(s, item);
  }

  bool may_use(const kb::Exercise& e) const { return !excluded_.count(e.id.str()); }

  void regress(const ExerciseId& base, Date date, const std::string& why) {
    std::optional<ExerciseId> replacement;
    each_ahead(base, [&](plan::Session&, plan::Item& item) {
      const kb::Exercise* e = kb_.exercise(item.exercise);
      const kb::Exercise* easier = e != nullptr && e->regression ? kb_.exercise(*e->regression) : nullptr;
      if (easier != nullptr && may_use(*easier)) {
        replacement = easier->id;
        item.exercise = easier->id;
        item.phase = easier->phase;
        item.dose = easier->dose;
        item.note = "eased to " + easier->name + " after " + why;
      } else {
        item.dose.sets = std::max(1, item.dose.sets - 1);
        item.note = "one set fewer after " + why;
      }
    });
    const std::string name = kb_.exercise(base) ? kb_.exercise(base)->name : base.str();
    out_.changes.push_back({ProgramChange::Kind::kRegressed, week_, base, replacement,
                            name + ": " + why + "; " +
                                (replacement ? "changed to " + kb_.exercise(*replacement)->name : std::string("one set fewer")),
                            rules_.regress_source, date});
    flag(date, base, name, why);
  }

  // One flag per session and reason: a painful session is one thing to look
  // at, however many exercises it touched.
  void flag(Date date, const ExerciseId& base, const std::string& name, const std::string& why) {
    auto it = std::find_if(out_.flags.begin(), out_.flags.end(), [&](const Flag& f) {
      return f.date == date && flag_why_[static_cast<size_t>(&f - out_.flags.data())] == why;
    });
    if (it == out_.flags.end()) {
      out_.flags.push_back({date, {}, "", rules_.regress_source});
      flag_why_.push_back(why);
      flag_names_.emplace_back();
      it = out_.flags.end() - 1;
    }
    const size_t i = static_cast<size_t>(it - out_.flags.begin());
    it->exercises.push_back(base);
    flag_names_[i].push_back(name);
    std::string names;
    for (size_t k = 0; k < flag_names_[i].size(); ++k)
      names += (k == 0 ? "" : k + 1 == flag_names_[i].size() ? " and " : ", ") + flag_names_[i][k];
    it->reason = why + ": " + names + ". Check in with the client before the next session.";
  }

  void progress(const ExerciseId& base, const std::string& why) {
    bool any = false;
    std::optional<ExerciseId> replacement;
    each_ahead(base, [&](plan::Session&, plan::Item& item) {
      const kb::Exercise* e = kb_.exercise(item.exercise);
      if (e == nullptr) return;
      const auto step = plan::next_step(kb_, *e, item.dose, [&](const kb::Exercise& x) { return may_use(x); });
      if (!step) return;
      any = true;
      before_[&item] = item;
      if (step->exercise != e) replacement = step->exercise->id;
      item.exercise = step->exercise->id;
      item.phase = step->exercise->phase;
      item.dose = step->dose;
      item.note = "a step ahead of plan: " + why;
    });
    if (!any) return;
    const std::string name = kb_.exercise(base) ? kb_.exercise(base)->name : base.str();
    out_.changes.push_back({ProgramChange::Kind::kProgressed, week_, base, replacement,
                            name + ": " + why + "; one progression step ahead", rules_.progress_source, std::nullopt});
  }

  void hold(const ExerciseId& base, const std::string& why) {
    // The prescription of its latest session before as_of, for the first week ahead.
    const plan::Item* latest = nullptr;
    for (const auto& s : out_.program.sessions)
      if (!ahead(s))
        for (const auto& item : s.items)
          if (item.week1_exercise == base) latest = &item;
    if (latest == nullptr) return;
    const plan::Item kept = *latest;
    bool changed = false;
    each_ahead(base, [&](plan::Session& s, plan::Item& item) {
      if (s.week != week_ || (item.exercise == kept.exercise && item.dose.sets == kept.dose.sets &&
                              item.dose.reps == kept.dose.reps && item.dose.hold_seconds == kept.dose.hold_seconds))
        return;
      item.exercise = kept.exercise;
      item.phase = kept.phase;
      item.dose = kept.dose;
      item.note = "kept at last week's prescription: " + why;
      changed = true;
    });
    if (!changed) return;
    const std::string name = kb_.exercise(base) ? kb_.exercise(base)->name : base.str();
    out_.changes.push_back({ProgramChange::Kind::kHeld, week_, base, std::nullopt,
                            name + ": " + why + "; week " + std::to_string(week_) + " keeps last week's prescription",
                            rules_.progress_source, std::nullopt});
  }

  std::map<const plan::Item*, plan::Item> before_;  // progressed items as planned

  void keep_within_budget() {
    for (auto& s : out_.program.sessions) {
      if (!ahead(s)) continue;
      auto total = [&] {
        double t = 0;
        for (auto& item : s.items) t += item.minutes = plan::item_minutes(*kb_.exercise(item.exercise), item);
        return t;
      };
      double minutes = total();
      for (auto& item : s.items) {
        if (minutes <= out_.program.minutes_per_session + kEpsilon) break;
        const auto it = before_.find(&item);
        if (it == before_.end()) continue;
        item = it->second;
        minutes = total();
      }
      s.estimated_minutes = std::round(minutes * 10) / 10;
      if (s.estimated_minutes > out_.program.minutes_per_session && minutes <= out_.program.minutes_per_session + kEpsilon)
        s.estimated_minutes = out_.program.minutes_per_session;
    }
  }
};

}  // namespace

std::optional<std::string> back_off_reason(const std::vector<std::pair<Date, int>>& pains, const kb::LogRules& rules) {
  if (pains.empty()) return std::nullopt;
  const int pain = pains.back().second;
  if (pain >= rules.regress_min_pain)
    return "pain " + figure(pain) + " (at least " + figure(rules.regress_min_pain) + ")";
  const size_t k = static_cast<size_t>(rules.regress_rising_sessions);
  if (pains.size() < k) return std::nullopt;
  std::string trail;
  for (size_t i = pains.size() - k; i < pains.size(); ++i) {
    if (i > pains.size() - k && pains[i].second <= pains[i - 1].second) return std::nullopt;
    trail += (trail.empty() ? "" : ", ") + std::to_string(pains[i].second);
  }
  return "pain rising over " + std::to_string(k) + " sessions (" + trail + ")";
}

std::string_view to_string(ProgramChange::Kind kind) {
  switch (kind) {
    case ProgramChange::Kind::kProgressed:
      return "progressed";
    case ProgramChange::Kind::kHeld:
      return "held";
    case ProgramChange::Kind::kRegressed:
      return "regressed";
    case ProgramChange::Kind::kRepeatedWeek:
      return "repeated_week";
  }
  return "progressed";
}

Adaptation adapt(const kb::KnowledgeBase& kb, const assess::Assessment& assessment, const plan::Program& program,
                 const std::vector<SessionLog>& logs, Date as_of) {
  return Adapter(kb, assessment, program, logs, as_of).run();
}

}  // namespace rebalance::track
