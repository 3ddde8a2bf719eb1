// Helpers shared by the tests: the real knowledge base, intakes from text.
#pragma once

#include <memory>
#include <string>

#include "intake/intake.h"
#include "kb/kb.h"

namespace rebalance::testing {

// The project's knowledge base, loaded once.
const kb::KnowledgeBase& knowledge_base();

// Parses an intake that must be valid (fails the test otherwise).
intake::Intake intake_from(const std::string& json);

std::string read_file(const std::string& path);

}  // namespace rebalance::testing
