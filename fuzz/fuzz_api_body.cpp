// Fuzzes one JSON body parser of the service through its real route, chosen
// at build time (REBALANCE_FUZZ_ROUTE): a session log, a review, a program
// revision or a program request. Findings: a crash, a sanitizer report, a
// 5xx, or a stored document that is not what was validated (it must parse
// again, to the same canonical text, and stay within twice the body: a
// number may be written longer, nothing unvalidated may be kept).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz/service.h"
#include "track/log.h"

namespace {

using rebalance::fuzz::expect_no_server_error;
using rebalance::fuzz::service;

std::string route_path() {
  auto& s = service();
  const std::string route = REBALANCE_FUZZ_ROUTE;
  if (route == "log") return "/api/v1/programs/" + s.program + "/logs";
  if (route == "review") return "/api/v1/assessments/" + s.assessment;
  if (route == "revision") return "/api/v1/programs/" + s.program + "/revisions";
  if (route == "program") return "/api/v1/clients/" + s.client + "/programs";
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto& s = service();
  static const std::string path = route_path();
  static const std::string route = REBALANCE_FUZZ_ROUTE;
  const std::string body(reinterpret_cast<const char*>(data), size);
  const bool log = route == "log";
  const auto r = s.call(route == "review" ? "PATCH" : "POST", path, log ? s.client_token : s.practitioner, body);
  expect_no_server_error(r);
  if (log && r.status == 201) {
    const auto id = nlohmann::json::parse(r.body)["id"].get<std::string>();
    const auto stored = s.db->document(rebalance::store::DocKind::kLog, id);
    if (!stored || stored->input.size() > 2 * body.size() + 64) std::abort();
    const auto again = rebalance::track::parse_log(stored->input, *s.kb, "stored");
    if (!again.log || again.canonical != stored->input) std::abort();
  }
  return 0;
}
