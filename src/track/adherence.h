// Adherence: planned sessions against the session logs a client reported
// (issue "consistency and progress"). Pure: dates in, figures out.
#pragma once

#include <optional>
#include <vector>

#include "core/date.h"
#include "core/types.h"
#include "track/log.h"

namespace rebalance::track {

// One planned session of a program (contract section 5): its place and the
// exercises it prescribes.
struct PlannedSession {
  int week = 1;
  int day = 1;
  Date date = Date::from_days(0);
  std::vector<ExerciseId> exercises;
};

struct SessionRef {
  int week = 1;
  int day = 1;
  Date date = Date::from_days(0);
  bool operator==(const SessionRef&) const = default;
};

struct WeekAdherence {
  int week = 1;
  int planned_sessions = 0;
  int due_sessions = 0;        // of them, due by `as_of` (see Adherence)
  int completed_sessions = 0;  // of the planned ones, logged (due or early)
  int planned_items = 0;       // exercises prescribed over the due sessions
  int completed_items = 0;     // of those, logged with at least one set
};

struct Adherence {
  Date as_of = Date::from_days(0);
  // A session is due once its date has passed, or when it was logged (a
  // session done early counts); today's unlogged session is not yet due, so
  // consistency does not drop in the morning of a training day.
  int due_sessions = 0;
  int completed_sessions = 0;
  std::optional<double> consistency_percent;  // none before anything is due
  int current_streak = 0;                     // completed due sessions in a row, back from the latest
  int longest_streak = 0;
  std::vector<SessionRef> missed;    // due and never logged, in date order
  std::optional<SessionRef> next;    // the first unlogged session on or after as_of
  std::optional<Date> last_log;      // the latest date a log reports
  std::vector<WeekAdherence> weeks;  // one per week of the program, in order
};

// Matches logs to planned sessions by (week, day); a log naming a session
// the program does not have is ignored, and several logs of one session
// count once (their items are merged). REQUIRES: `planned` in date order.
Adherence adherence(const std::vector<PlannedSession>& planned, const std::vector<SessionLog>& logs, Date as_of);

}  // namespace rebalance::track
