// A session log (contract section 6, `rebalance.log/1`): what a client
// reports after a session. Parsed and validated like an intake.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/types.h"
#include "kb/kb.h"

namespace rebalance::track {

struct LogItem {
  ExerciseId exercise;
  int sets_done = 0;
  std::vector<int> reps_done;
  std::optional<double> hold_seconds_done;
  std::optional<Side> side;
  std::optional<int> effort;  // 0-10; the session's applies when absent
  std::optional<int> pain;    // 0-10; the session's applies when absent
};

struct SessionLog {
  std::string program;  // may be empty when the program is known from elsewhere
  int week = 1;
  int day = 1;
  Date date = Date::from_days(0);
  int effort = 0;
  int pain = 0;
  std::string note;
  std::vector<LogItem> items;  // an exercise not listed was not done
};

struct LogParseResult {
  std::optional<SessionLog> log;
  std::vector<Problem> problems;
  // With `log`: the log as validated, re-serialised (every field the
  // validator read, nothing else): what a service stores and serves.
  std::string canonical;
  // With `log`: JSON paths of the unknown fields left out of `canonical`.
  std::vector<std::string> ignored;
};

// The largest log text parse_log accepts.
inline constexpr size_t kMaxLogBytes = 256u << 10;

// Validates a log under the untrusted-JSON policy (at most 256 KiB, nesting
// at most 8 levels, no repeated keys, at most 100 items): `schema` (when given) "rebalance.log/1"; `week`, `day`
// (>= 1), `date`, `effort` and `pain` (0-10) required; `note` at most 2000
// characters; items with a known exercise id, `sets_done` 0-20, `reps_done`
// (0-500 each, at most sets_done entries), `hold_seconds_done` 0-3600,
// `side`, and per-item effort and pain 0-10. Every problem in one pass.
LogParseResult parse_log(std::string_view text, const kb::KnowledgeBase& kb, const std::string& file_name);

}  // namespace rebalance::track
