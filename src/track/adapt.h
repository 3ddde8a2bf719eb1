// The weeks ahead regenerated from what the client logged (issue
// "consistency and progress"), by the knowledge base's rules
// (data/progression.json, from_logs). Pure and deterministic.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "assess/assess.h"
#include "core/date.h"
#include "kb/kb.h"
#include "plan/plan.h"
#include "track/log.h"

namespace rebalance::track {

struct ProgramChange {
  enum class Kind { kProgressed, kHeld, kRegressed, kRepeatedWeek };
  Kind kind = Kind::kProgressed;
  int from_week = 1;
  std::optional<ExerciseId> exercise;  // none for a repeated week
  std::optional<ExerciseId> replacement;
  std::string reason;  // for people: what the logs showed, against which rule
  std::string source;  // the rule's source (guideline, paper), shown on demand
  std::optional<Date> date;  // the session that set it off, when one did (an eased exercise)
};
std::string_view to_string(ProgramChange::Kind kind);

// Something the practitioner should look at (pain, rising pain): one per
// session and reason, naming every exercise it concerns.
struct Flag {
  Date date = Date::from_days(0);  // the session it is about: dates are the reader's to write
  std::vector<ExerciseId> exercises;
  std::string reason;  // without the date
  std::string source;  // the rule's source
};

struct Adaptation {
  plan::Program program;               // past sessions exactly as planned
  std::vector<ProgramChange> changes;  // empty: the logs change nothing
  std::vector<Flag> flags;
  int first_changed_week = 0;  // 0: nothing ahead to change
};

// Why to back off, by the knowledge base's rules, from pain figures (0-10)
// in date order: the latest at least regress.min_pain ("pain 6/10 (at least
// 5/10)"), or pain rising over the last regress.rising_sessions ("pain
// rising over 3 sessions (1, 2, 3)"). Nothing when neither holds. The
// reason names no date: it is about the latest session of `pains`.
std::optional<std::string> back_off_reason(const std::vector<std::pair<Date, int>>& pains, const kb::LogRules& rules);

// Regenerates the sessions dated on or after `as_of` from the logs of the
// sessions before it:
// - a week before `as_of` with no logged session is repeated: the weeks
//   ahead shift back by one, and the program's last week is dropped;
// - an exercise (with its progressed variants) whose latest logged session
//   reports pain at least regress.min_pain, or pain rising over
//   regress.rising_sessions sessions, changes to its regression at the
//   standard dose (or one set fewer when it has none), and is flagged;
// - one done completely (every set, and every rep prescribed) in its last
//   progress.sessions logged sessions at effort and pain within the limits
//   goes one progression step ahead of the plan;
// - one whose latest logged session was incomplete or harder than the limit
//   keeps last week's prescription instead of stepping up.
// Sessions that would exceed the minute budget keep the planned prescription.
// REQUIRES: `program` and `assessment` are the ones the logs were made on.
Adaptation adapt(const kb::KnowledgeBase& kb, const assess::Assessment& assessment, const plan::Program& program,
                 const std::vector<SessionLog>& logs, Date as_of);

}  // namespace rebalance::track
