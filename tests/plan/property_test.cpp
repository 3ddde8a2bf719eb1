// Property tests: random intakes (fixed seed) built from the knowledge base's
// own vocabularies; the contract's invariants hold on every one, the program
// is deterministic, and nothing crashes.
#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>

#include "plan/invariants.h"
#include "plan/plan.h"
#include "test_support.h"

namespace rebalance {
namespace {

using rebalance::testing::knowledge_base;

// A tiny deterministic generator (the standard distributions differ between
// library versions; this does not).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  int between(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<uint64_t>(hi - lo + 1)); }
  bool chance(int percent) { return between(1, 100) <= percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[next() % v.size()];
  }

 private:
  uint64_t state_;
};

nlohmann::json random_intake(Random& r) {
  const auto& kb = knowledge_base();
  nlohmann::json j{{"schema", "rebalance.intake/1"}};
  const std::vector<std::string> sides{"left", "right"};
  if (r.chance(70))
    j["client"] = {{"age", r.between(12, 90)},
                   {"sex", r.pick(std::vector<std::string>{"female", "male", "other"})},
                   {"dominant_side", r.pick(sides)}};
  if (r.chance(80)) {
    nlohmann::json acts = nlohmann::json::array();
    for (const auto& a : kb.activities)
      if (r.chance(25)) acts.push_back(a.id);
    j["lifestyle"] = {{"sitting_hours_per_day", r.between(0, 14)}, {"activities", acts}};
  }
  nlohmann::json prefs{{"days_per_week", r.between(1, 7)},
                       {"minutes_per_session", r.pick(std::vector<int>{5, 10, 15, 20, 30, 45, 90})},
                       {"weeks", r.between(1, 12)}};
  nlohmann::json eq = nlohmann::json::array();
  for (const auto& [id, name] : kb.vocabulary.equipment)
    if (r.chance(30)) eq.push_back(id);
  prefs["equipment"] = eq;
  j["preferences"] = prefs;
  if (r.chance(50)) {
    nlohmann::json pain = nlohmann::json::array();
    for (int i = r.between(1, 3); i > 0; --i) {
      nlohmann::json p{
          {"region", r.pick(std::vector<std::string>{"neck", "low_back", "shoulder", "knee", "hip", "ankle", "wrist"})},
          {"intensity", r.between(0, 10)}};
      if (r.chance(15)) {
        nlohmann::json flags = nlohmann::json::array();
        for (const auto& f : kb.safety.red_flags)
          if (r.chance(15)) flags.push_back(f.id);
        p["red_flags"] = flags;
      }
      pain.push_back(p);
    }
    j["pain"] = pain;
  }
  if (r.chance(50)) {
    nlohmann::json posture = nlohmann::json::object();
    for (const auto& o : kb.posture) {
      if (!r.chance(40)) continue;
      if (o.kind == kb::PostureKind::kBoolean)
        posture[o.id] = r.chance(60);
      else if (o.kind == kb::PostureKind::kNumber)
        posture[o.id] = r.between(static_cast<int>(*o.min), static_cast<int>(*o.max));
    }
    for (const auto& o : kb.posture)
      if (o.kind == kb::PostureKind::kNumber && !o.side_key.empty() && posture.contains(o.id))
        posture[o.side_key] = r.pick(sides);
    j["posture"] = posture;
  }
  nlohmann::json rom = nlohmann::json::array(), strength = nlohmann::json::array(), endurance = nlohmann::json::array();
  for (const auto& t : kb.tests) {
    if (!r.chance(25)) continue;
    for (const auto& side : sides) {
      nlohmann::json e{{"test", t.id.str()}};
      if (t.sided) e["side"] = side;
      if (t.section == kb::Section::kRom) {
        if (t.measures.count("degrees"))
          e["degrees"] = r.between(-10, 180);
        else if (t.measures.count("cm"))
          e["cm"] = r.between(0, 20);
        if (t.measures.count("result")) e["result"] = r.chance(50) ? "positive" : "negative";
        rom.push_back(e);
      } else if (t.section == kb::Section::kStrength) {
        if (t.measures.count("mmt") && r.chance(40)) {
          e["value"] = r.between(0, 10) / 2.0;
          e["unit"] = "mmt";
        } else if (t.measures.count("force")) {
          e["value"] = r.between(20, 400);
          e["unit"] = r.pick(std::vector<std::string>{"N", "kg", "lb"});
        } else {
          e["value"] = r.between(10, 300);
          e["unit"] = "Nm";
        }
        strength.push_back(e);
      } else {
        e["seconds"] = r.between(0, 240);
        endurance.push_back(e);
      }
      if (!t.sided) break;
    }
  }
  j["rom"] = rom;
  j["strength"] = strength;
  j["endurance"] = endurance;
  if (r.chance(40)) {
    nlohmann::json ohs = nlohmann::json::object();
    for (const auto& o : kb.movement.overhead_squat)
      if (r.chance(30)) ohs[o.id] = r.chance(50) ? nlohmann::json(true) : nlohmann::json::array({r.pick(sides)});
    nlohmann::json fms = nlohmann::json::object();
    for (const auto& t : kb.movement.fms_tests)
      if (r.chance(60))
        fms[t.id] =
            t.sided ? nlohmann::json{{"left", r.between(0, 3)}, {"right", r.between(0, 3)}} : nlohmann::json(r.between(0, 3));
    j["movement"] = {{"overhead_squat", ohs}, {"fms", fms}};
  }
  if (r.chance(30)) {
    // Every screening item of the knowledge base, with the values it asks for.
    nlohmann::json screening = nlohmann::json::object();
    for (const auto& rule : kb.safety.screening) {
      if (!r.chance(40)) continue;
      screening[rule.id] = true;
      for (const auto& param : rule.parameters)
        screening[param.id] = r.pick(std::vector<std::string>{"neck", "low_back", "shoulder", "knee", "hip", "ankle"});
    }
    j["screening"] = screening;
  }
  return j;
}

TEST(Property, RandomIntakesKeepEveryInvariantAndAreDeterministic) {
  Random r(20261125);
  int findings = 0;
  for (int i = 0; i < 300; ++i) {
    const std::string text = random_intake(r).dump();
    auto parsed = intake::parse(text, knowledge_base(), "random.json");
    ASSERT_TRUE(parsed.intake) << text << "\n" << (parsed.problems.empty() ? "" : format_problem(parsed.problems[0]));
    const auto a = assess::assess(knowledge_base(), *parsed.intake);
    findings += static_cast<int>(a.findings.size());
    plan::Overrides ov;
    ov.start = Date::parse("2026-11-30");
    const auto c = plan::resolve(knowledge_base(), *parsed.intake, ov, *Date::parse("2026-11-25"));
    const auto p = plan::plan(knowledge_base(), a, c);
    rebalance::testing::expect_program_invariants(knowledge_base(), a, c, p, "random intake " + std::to_string(i) + ": " + text);
    rebalance::testing::expect_safety_and_dosing(knowledge_base(), *parsed.intake, a, c, p,
                                                 "random intake " + std::to_string(i) + ": " + text);
    const auto again = plan::plan(knowledge_base(), assess::assess(knowledge_base(), *parsed.intake), c);
    ASSERT_EQ(p.sessions.size(), again.sessions.size());
    for (size_t s = 0; s < p.sessions.size(); ++s) {
      ASSERT_EQ(p.sessions[s].items.size(), again.sessions[s].items.size());
      for (size_t k = 0; k < p.sessions[s].items.size(); ++k)
        EXPECT_EQ(p.sessions[s].items[k].exercise, again.sessions[s].items[k].exercise);
    }
    if (HasFailure()) break;
  }
  EXPECT_GT(findings, 300) << "the generator should exercise the assessor";
}

}  // namespace
}  // namespace rebalance
