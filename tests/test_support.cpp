#include "test_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace rebalance::testing {

const kb::KnowledgeBase& knowledge_base() {
  static const auto kb = kb::load(REBALANCE_DATA_DIR);
  return *kb;
}

intake::Intake intake_from(const std::string& json) {
  auto result = intake::parse(json, knowledge_base(), "test.json");
  std::string problems;
  for (const auto& p : result.problems) problems += format_problem(p) + "\n";
  EXPECT_TRUE(result.intake.has_value()) << problems;
  if (!result.intake) return {};
  return *result.intake;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace rebalance::testing
