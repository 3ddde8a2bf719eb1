// Fuzzes the intake parser with arbitrary bytes; whatever parses is assessed
// and planned, so the whole engine is exercised. A crash, a sanitizer report,
// a broken program invariant, or a canonical intake (what the service
// stores) that does not parse back to itself is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "assess/assess.h"
#include "intake/intake.h"
#include "kb/kb.h"
#include "plan/plan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto kb = rebalance::kb::load(REBALANCE_DATA_DIR);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = rebalance::intake::parse(text, *kb, "fuzz.json");
  if (!result.intake) {
    if (result.problems.empty()) std::abort();  // rejected without a reason
    return 0;
  }
  const auto again = rebalance::intake::parse(result.canonical, *kb, "canonical.json");
  if (!again.intake || again.canonical != result.canonical) std::abort();
  const auto a = rebalance::assess::assess(*kb, *result.intake);
  rebalance::plan::Overrides ov;
  ov.start = rebalance::Date::from_civil(2026, 11, 30);
  const auto c = rebalance::plan::resolve(*kb, *result.intake, ov, rebalance::Date::from_civil(2026, 11, 25));
  const auto p = rebalance::plan::plan(*kb, a, c);
  for (const auto& s : p.sessions)
    if (s.estimated_minutes > c.minutes) std::abort();
  return 0;
}
