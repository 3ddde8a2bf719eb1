#include "track/adherence.h"

#include <algorithm>
#include <map>
#include <set>

namespace rebalance::track {

Adherence adherence(const std::vector<PlannedSession>& planned, const std::vector<SessionLog>& logs, Date as_of) {
  // (week, day) -> exercises logged with at least one set.
  std::map<std::pair<int, int>, std::set<ExerciseId>> done;
  Adherence out;
  out.as_of = as_of;
  for (const auto& log : logs) {
    auto& items = done[{log.week, log.day}];
    for (const auto& item : log.items)
      if (item.sets_done > 0) items.insert(item.exercise);
    if (!out.last_log || *out.last_log < log.date) out.last_log = log.date;
  }

  std::map<int, WeekAdherence> weeks;
  int run = 0;
  for (const auto& session : planned) {
    auto& week = weeks[session.week];
    week.week = session.week;
    ++week.planned_sessions;
    const auto logged = done.find({session.week, session.day});
    const bool completed = logged != done.end();
    const bool due = completed || session.date < as_of;
    if (completed) ++week.completed_sessions;
    if (!completed && !out.next && !(session.date < as_of)) out.next = SessionRef{session.week, session.day, session.date};
    if (!due) continue;
    ++week.due_sessions;
    ++out.due_sessions;
    week.planned_items += static_cast<int>(session.exercises.size());
    if (completed) {
      ++out.completed_sessions;
      week.completed_items += static_cast<int>(std::count_if(session.exercises.begin(), session.exercises.end(),
                                                             [&](const ExerciseId& e) { return logged->second.count(e) > 0; }));
      out.longest_streak = std::max(out.longest_streak, ++run);
    } else {
      out.missed.push_back({session.week, session.day, session.date});
      run = 0;
    }
  }
  out.current_streak = run;
  if (out.due_sessions > 0) out.consistency_percent = 100.0 * out.completed_sessions / out.due_sessions;
  for (auto& [_, w] : weeks) out.weeks.push_back(w);
  return out;
}

}  // namespace rebalance::track
