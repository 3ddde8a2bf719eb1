// A client's progress at a glance: adherence to the latest program, the
// latest re-assessment against the one before, and what each logged session
// reported. Built from stored documents by src/report; written by render.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "track/adherence.h"
#include "track/compare.h"

namespace rebalance::track {

struct LoggedSession {
  Date date = Date::from_days(0);
  int week = 1;
  int day = 1;
  int effort = 0;  // 0-10, the session's
  int pain = 0;    // 0-10, the session's
  std::string note;
};

struct Progress {
  std::string client;  // name
  Date as_of = Date::from_days(0);
  std::string program_id;  // empty: no program yet
  std::optional<Adherence> adherence;
  std::string before_id, after_id;  // the two assessments compared, when there are two
  std::optional<Comparison> comparison;
  std::vector<LoggedSession> sessions;  // of the latest program and the versions it revised, by date
};

}  // namespace rebalance::track
