// Helpers shared by the tests: the real knowledge base, intakes from text.
#pragma once

#include <memory>
#include <string>

#include "assess/assess.h"
#include "intake/intake.h"
#include "kb/kb.h"
#include "plan/plan.h"

namespace rebalance::testing {

// The project's knowledge base, loaded once.
const kb::KnowledgeBase& knowledge_base();

// Parses an intake that must be valid (fails the test otherwise).
intake::Intake intake_from(const std::string& json);

std::string read_file(const std::string& path);

// An intake of examples/ assessed and planned to start 2026-11-30 (as if on
// 2026-11-25), as the rendering tests read it.
struct PlannedExample {
  assess::Assessment a;
  plan::Program p;
};
PlannedExample planned_example(const std::string& file);

}  // namespace rebalance::testing
