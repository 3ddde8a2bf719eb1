// A practitioner's edits to a planned program: swap, dose, remove, add.
#include <algorithm>
#include <cmath>
#include <string>

#include "plan/plan.h"

namespace rebalance::plan {
namespace {

constexpr double kEpsilon = 1e-9;

// The exercise an item is, or started from before it progressed.
bool names(const Item& item, const ExerciseId& id) { return item.exercise == id || item.week1_exercise == id; }

bool in_program(const Program& p, const ExerciseId& id) {
  return std::any_of(p.sessions.begin(), p.sessions.end(), [&](const Session& s) {
    return std::any_of(s.items.begin(), s.items.end(), [&](const Item& i) { return names(i, id); });
  });
}

bool targets_muscle(const kb::KnowledgeBase& kb, const kb::Exercise& e, const MuscleId& muscle) {
  auto hit = [&](const MuscleId& m) { return kb.covers(m, muscle); };
  return std::any_of(e.primary.begin(), e.primary.end(), hit) || std::any_of(e.secondary.begin(), e.secondary.end(), hit);
}

// A stretch serves tight muscles, a strengthening exercise weak ones; a
// functional exercise serves weak ones as a whole movement.
bool serves(const kb::Exercise& e, State state) {
  if (e.phase == Phase::kStretch) return state == State::kTight;
  return state == State::kWeak;
}

void refresh_minutes(const kb::KnowledgeBase& kb, Session& s) {
  double total = 0;
  for (auto& item : s.items) {
    item.minutes = item_minutes(*kb.exercise(item.exercise), item);
    total += item.minutes;
  }
  s.estimated_minutes = std::round(total * 10) / 10;
}

class Editor {
 public:
  Editor(const kb::KnowledgeBase& kb, const assess::Assessment& a, Program& p)
      : kb_(kb), a_(a), p_(p), excluded_(excluded_exercises(kb, a)) {}

  void apply(const Edit& edit, const std::string& path) {
    from_ = edit.from;
    only_on_ = edit.only_on;
    day_ = edit.day;
    if (edit.op == Edit::Op::kReassess) return reassess(edit, path);
    const kb::Exercise* e = kb_.exercise(edit.exercise);
    if (e == nullptr) return problem(path + ".exercise", "a known exercise id", edit.exercise.str());
    if (day_ && (*day_ < 1 || *day_ > 7)) return problem(path + ".day", "a session number 1-7", std::to_string(*day_));
    if (only_on_ || day_) {
      // The session named must exist and, but for an addition, hold the exercise.
      const bool found = std::any_of(p_.sessions.begin(), p_.sessions.end(), [&](const Session& s) {
        return applies(s) && (edit.op == Edit::Op::kAdd ||
                              std::any_of(s.items.begin(), s.items.end(), [&](const Item& i) { return names(i, e->id); }));
      });
      if (!found)
        return only_on_ ? problem(path + ".only_on",
                                  edit.op == Edit::Op::kAdd ? "the date of a session of the program"
                                                            : "the date of a session with " + e->name,
                                  only_on_->iso())
                        : problem(path + ".day",
                                  edit.op == Edit::Op::kAdd ? "the number of a session of the week"
                                                            : "the number of a session with " + e->name,
                                  std::to_string(*day_));
    }
    if (edit.side && edit.op != Edit::Op::kDose) return problem(path + ".side", "a side only for a dose change", std::string(to_string(*edit.side)));
    switch (edit.op) {
      case Edit::Op::kSwap:
        return swap(edit, *e, path);
      case Edit::Op::kDose:
        return dose(edit, *e, path);
      case Edit::Op::kRemove:
        return remove(edit, path);
      case Edit::Op::kAdd:
        return add(*e, path);
      case Edit::Op::kReassess:
        return;  // handled above: it names no exercise
    }
  }

  // Budget and size, once every edit is applied.
  void check(const std::string& path) {
    for (auto& s : p_.sessions) {
      refresh_minutes(kb_, s);
      double total = 0;
      for (const auto& i : s.items) total += i.minutes;
      if (total > p_.minutes_per_session + kEpsilon)
        problem(path, "sessions within " + std::to_string(p_.minutes_per_session) + " minutes",
                "week " + std::to_string(s.week) + " day " + std::to_string(s.day) + " at " + minutes_text(total) + " minutes");
      if (static_cast<int>(s.items.size()) > kb_.progression.hard_max_exercises_per_session)
        problem(path, "at most " + std::to_string(kb_.progression.hard_max_exercises_per_session) + " exercises a session",
                "week " + std::to_string(s.week) + " day " + std::to_string(s.day) + " with " + std::to_string(s.items.size()));
      if (!problems_.empty()) return;  // one session says it; the rest repeat it
    }
  }

  std::vector<Problem> take_problems() { return std::move(problems_); }

 private:
  const kb::KnowledgeBase& kb_;
  const assess::Assessment& a_;
  Program& p_;
  std::map<std::string, std::string> excluded_;
  std::vector<Problem> problems_;
  std::optional<Date> from_;     // of the edit being applied
  std::optional<Date> only_on_;  // of the edit being applied
  std::optional<int> day_;       // of the edit being applied

  bool applies(const Session& s) const {
    return (!from_ || !(s.date < *from_)) && (!only_on_ || s.date == *only_on_) && (!day_ || s.day == *day_);
  }
  // Whether a session the edit applies to holds the exercise.
  bool in_applicable(const ExerciseId& id) const {
    return std::any_of(p_.sessions.begin(), p_.sessions.end(), [&](const Session& s) {
      return applies(s) && std::any_of(s.items.begin(), s.items.end(), [&](const Item& i) { return names(i, id); });
    });
  }

  void problem(std::string path, std::string expected, std::string found) {
    problems_.push_back({"", std::move(path), std::move(expected), std::move(found)});
  }

  static std::string minutes_text(double m) {
    std::string s = std::to_string(std::round(m * 10) / 10);
    return s.substr(0, s.find('.') + 2);
  }

  bool require_in_program(const Edit& edit, const std::string& path) {
    if (in_program(p_, edit.exercise)) return true;
    problem(path + ".exercise", "an exercise of the program", edit.exercise.str());
    return false;
  }

  bool require_allowed(const kb::Exercise& e, const std::string& path) {
    const auto it = excluded_.find(e.id.str());
    if (it == excluded_.end()) return true;
    problem(path, "an exercise this client may do", e.id.str() + " (" + it->second + ")");
    return false;
  }

  void swap(const Edit& edit, const kb::Exercise& old, const std::string& path) {
    if (!require_in_program(edit, path)) return;
    const kb::Exercise* with = edit.with ? kb_.exercise(*edit.with) : nullptr;
    if (with == nullptr) return problem(path + ".with", "a known exercise id", edit.with ? edit.with->str() : "nothing");
    if (in_program(p_, with->id)) return problem(path + ".with", "an exercise not already in the program", with->id.str());
    if (with->phase != old.phase)
      return problem(path + ".with", "a " + std::string(to_string(old.phase)) + " exercise",
                     with->id.str() + " (" + std::string(to_string(with->phase)) + ")");
    if (!require_allowed(*with, path + ".with")) return;
    bool covers = false;
    for (const auto& s : p_.sessions)
      for (const auto& i : s.items)
        if (names(i, old.id))
          for (const auto& t : i.targets) covers = covers || targets_muscle(kb_, *with, t.muscle);
    // A functional item may target nothing in particular; any functional
    // exercise serves it.
    const bool untargeted = old.phase == Phase::kFunctional;
    if (!covers && !untargeted)
      return problem(path + ".with", "an exercise covering a target of " + old.id.str(), with->id.str());
    for (auto& s : p_.sessions)
      for (auto& i : s.items)
        if (applies(s) && names(i, old.id)) {
          i.exercise = with->id;
          i.week1_exercise = with->id;
          i.phase = with->phase;
          i.dose = with->dose;
          i.note = "swapped in for " + old.name + " by the practitioner";
        }
  }

  void dose(const Edit& edit, const kb::Exercise& e, const std::string& path) {
    if (!require_in_program(edit, path)) return;
    if (!edit.sets && !edit.reps && !edit.hold_seconds) return problem(path, "sets, reps or hold_seconds", "none");
    const size_t before = problems_.size();
    if (edit.sets && (*edit.sets < 1 || *edit.sets > 10))
      problem(path + ".sets", "a whole number of sets 1-10", std::to_string(*edit.sets));
    if (edit.reps && !e.dose.reps) problem(path + ".reps", "no reps for a held exercise", std::to_string(*edit.reps));
    if (edit.reps && (*edit.reps < 1 || *edit.reps > 100))
      problem(path + ".reps", "a whole number of reps 1-100", std::to_string(*edit.reps));
    if (edit.hold_seconds && !(*edit.hold_seconds >= 1 && *edit.hold_seconds <= 600))
      problem(path + ".hold_seconds", "a hold of 1-600 seconds", minutes_text(*edit.hold_seconds));
    if (edit.side) {
      if (*edit.side == Side::kBoth) problem(path + ".side", "left or right", "both");
      else if (!e.dose.per_side) problem(path + ".side", "an exercise done one side at a time", e.id.str());
      else if (!edit.sets || edit.reps || edit.hold_seconds) problem(path + ".side", "sets alone for one side", "reps or hold, or no sets");
    }
    if (problems_.size() != before) return;
    if (edit.side) return one_side(e, *edit.side, *edit.sets);
    for (auto& s : p_.sessions)
      for (auto& i : s.items)
        if (applies(s) && names(i, e.id)) {
          // The edit prescribes this exercise itself, not a progressed variant.
          i.exercise = e.id;
          i.dose = e.dose;
          if (edit.sets) i.dose.sets = *edit.sets;
          if (edit.reps) i.dose.reps = *edit.reps;
          if (edit.hold_seconds) kb::set_hold(i.dose, *edit.hold_seconds);
          i.note = "dose set by the practitioner";
        }
  }

  void reassess(const Edit& edit, const std::string& path) {
    const auto it = std::find_if(p_.reassessments.begin(), p_.reassessments.end(),
                                 [&](const Reassessment& r) { return edit.week && r.week == *edit.week; });
    if (it == p_.reassessments.end())
      return problem(path + ".week", "a week with a re-assessment", edit.week ? std::to_string(*edit.week) : "none");
    if (!edit.date) return problem(path + ".date", "a date", "none");
    std::optional<Date> last;
    for (const auto& s : p_.sessions)
      if (s.week == it->week && (!last || *last < s.date)) last = s.date;
    const Date earliest = last.value_or(it->date);
    if (*edit.date < earliest || earliest.days() + 14 < edit.date->days())
      return problem(path + ".date", "a date from " + earliest.iso() + " to 14 days after it", edit.date->iso());
    it->date = *edit.date;
  }

  // One side's sets: the item keeps its dose for the other side, and the
  // smaller count becomes the base with the difference as extra sets.
  void one_side(const kb::Exercise& e, Side side, int sets) {
    for (auto& s : p_.sessions)
      for (auto& i : s.items)
        if (applies(s) && names(i, e.id)) {
          int left = i.dose.sets + i.extra_sets_left.value_or(0);
          int right = i.dose.sets + i.extra_sets_right.value_or(0);
          (side == Side::kLeft ? left : right) = sets;
          i.dose.sets = std::min(left, right);
          i.extra_sets_left = left > i.dose.sets ? std::optional<int>(left - i.dose.sets) : std::nullopt;
          i.extra_sets_right = right > i.dose.sets ? std::optional<int>(right - i.dose.sets) : std::nullopt;
          i.note = std::string("sets of the ") + (side == Side::kLeft ? "left" : "right") + " side set by the practitioner";
        }
  }

  void remove(const Edit& edit, const std::string& path) {
    if (!require_in_program(edit, path)) return;
    std::vector<Target> orphaned;
    for (auto& s : p_.sessions) {
      if (!applies(s)) continue;
      std::vector<Target> lost;
      for (const auto& i : s.items)
        if (names(i, edit.exercise)) lost.insert(lost.end(), i.targets.begin(), i.targets.end());
      std::erase_if(s.items, [&](const Item& i) { return names(i, edit.exercise); });
      for (const auto& t : lost) {
        const bool still = std::any_of(p_.sessions.begin(), p_.sessions.end(), [&](const Session& other) {
          return other.week == s.week && std::any_of(other.items.begin(), other.items.end(), [&](const Item& i) {
                   return std::find(i.targets.begin(), i.targets.end(), t) != i.targets.end();
                 });
        });
        if (!still && std::find(orphaned.begin(), orphaned.end(), t) == orphaned.end()) orphaned.push_back(t);
      }
    }
    for (const auto& t : orphaned)
      p_.omitted.push_back({t, std::nullopt, "its exercise (" + edit.exercise.str() + ") was removed by the practitioner"});
  }

  void add(const kb::Exercise& e, const std::string& path) {
    // Limited to some sessions, an exercise may be added where those sessions lack it.
    const bool limited = only_on_ || day_;
    if (limited ? in_applicable(e.id) : in_program(p_, e.id))
      return problem(path + ".exercise", limited ? "an exercise not already in those sessions" : "an exercise not already in the program",
                     e.id.str());
    if (!require_allowed(e, path + ".exercise")) return;
    Item item;
    item.exercise = e.id;
    item.week1_exercise = e.id;
    item.phase = e.phase;
    item.dose = e.dose;
    item.note = "added by the practitioner";
    for (const auto& f : a_.findings)
      if (serves(e, f.state) && targets_muscle(kb_, e, f.muscle)) item.targets.push_back({f.muscle, f.side, f.state});
    for (auto& s : p_.sessions) {
      if (!applies(s)) continue;
      const auto at = std::find_if(s.items.begin(), s.items.end(), [&](const Item& i) { return i.phase > e.phase; });
      s.items.insert(at, item);
    }
  }
};

}  // namespace

EditResult apply_edits(const kb::KnowledgeBase& kb, const assess::Assessment& assessment, Program program,
                       const std::vector<Edit>& edits) {
  Editor editor(kb, assessment, program);
  for (size_t i = 0; i < edits.size(); ++i) editor.apply(edits[i], "$.edits[" + std::to_string(i) + "]");
  EditResult out;
  out.problems = editor.take_problems();
  if (!out.problems.empty()) return out;
  editor.check("$.edits");
  out.problems = editor.take_problems();
  if (out.problems.empty()) out.program = std::move(program);
  return out;
}

}  // namespace rebalance::plan
