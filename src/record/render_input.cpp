// A stored program as every writer reads it.
#include <algorithm>

#include "record/record.h"

namespace rebalance::record {

RenderInput render_input(const ProgramRecord& program, const AssessmentRecord* assessment, const std::string& client_name) {
  RenderInput out;
  out.program = program.program;
  out.header.client_name = client_name;
  if (assessment != nullptr) {
    out.assessment = assessment->reviewed();
    if (assessment->intake) out.header.timezone = assessment->intake->preferences.timezone;
  } else {
    out.assessment.kb_version = program.kb_version;
  }
  return out;
}

std::vector<track::PlannedSession> planned_sessions(const plan::Program& program) {
  std::vector<track::PlannedSession> out;
  out.reserve(program.sessions.size());
  for (const auto& s : program.sessions) {
    track::PlannedSession ps{s.week, s.day, s.date, {}};
    for (const auto& item : s.items) ps.exercises.push_back(item.exercise);
    out.push_back(std::move(ps));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.date < y.date; });
  return out;
}

}  // namespace rebalance::record
