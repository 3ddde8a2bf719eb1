// The assessment codec: `rebalance.assessment/1` and the practitioner's
// review <-> AssessmentRecord. The findings are written by
// render::assessment_json alone; this file reads them back.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "record/detail/read.h"
#include "record/record.h"

namespace rebalance::record {
namespace {

using read::Json;
using read::ObjectReader;
using read::Problems;
using read::take;
using Ordered = nlohmann::ordered_json;

// What a stored figure may be: far beyond any measurement, short of what
// breaks arithmetic on it.
constexpr double kMaxFigure = 1e9;

// A ratio's protocol when the knowledge base's default method applied
// ("default method: METHOD; TEXT").
constexpr std::string_view kPrefix = "default method: ";

std::optional<assess::Evidence> read_evidence(ObjectReader& r) {
  assess::Evidence e;
  bool ok = true;
  take(r.string("input", true), e.input, ok);
  if (auto test = read::optional_string(r, "test", ok)) e.test = *test;
  if (r.has("side")) take(read::side(r, "side", false), e.side, ok);
  take(r.string("observed", true), e.observed, ok);
  if (auto expected = read::optional_string(r, "expected", ok)) e.expected = *expected;
  if (auto rule = read::optional_string(r, "rule", ok)) e.rule = *rule;
  take(r.string("source", true), e.source, ok);
  if (r.has("supports")) take(r.boolean("supports", false), e.supports, ok);
  if (auto protocol = read::optional_string(r, "protocol", ok)) e.protocol = *protocol;
  if (!ok) return std::nullopt;
  return e;
}

std::optional<assess::Finding> read_finding(ObjectReader& r) {
  assess::Finding f;
  bool ok = true;
  if (auto muscle = read::id(r, "muscle", "a muscle or group id"))
    f.muscle = MuscleId(*muscle);
  else
    ok = false;
  take(read::side(r, "side", true), f.side, ok);
  take(read::state(r, "state"), f.state, ok);
  take(read::severity(r, "severity"), f.severity, ok);
  take(r.number("confidence", true, 0, 1, "a confidence 0-1"), f.confidence, ok);
  // Said again by the evidence itself (Finding::conflicting).
  if (r.has("conflicting_evidence")) r.boolean("conflicting_evidence", false);
  read::list(r, "evidence", true, f.evidence, read_evidence, ok);
  if (!ok) return std::nullopt;
  return f;
}

std::optional<assess::Asymmetry> read_asymmetry(ObjectReader& r) {
  assess::Asymmetry x;
  bool ok = true;
  auto number = [&](const char* key) { return read::optional_number(r, key, -kMaxFigure, kMaxFigure, "a number", ok); };
  auto side = [&](const char* key, std::optional<Side>& into) {
    if (r.has(key)) take(read::side(r, key, false), into, ok);
  };
  take(r.string("measure", true), x.measure, ok);
  // Capacities (strength, endurance, reach) are given as a limb symmetry index.
  x.capacity = r.has("lsi_percent");
  if (auto lsi = number("lsi_percent")) x.lsi_percent = *lsi;
  side("weaker_side", x.weaker_side);
  if (auto threshold = number("threshold_percent")) x.threshold_percent = *threshold;
  side("involved_side", x.involved_side);
  x.lsi_involved_percent = number("lsi_involved_percent");
  x.difference = number("difference");
  if (auto unit = read::optional_string(r, "unit", ok)) x.unit = *unit;
  side("limited_side", x.limited_side);
  x.threshold = number("threshold");
  x.difference_cm = number("difference_cm");
  if (const Json* composite = r.get("composite_percent")) {
    ObjectReader c(r.problems(), *composite, r.path_of("composite_percent"));
    if (!c.ok()) ok = false;
    x.composite_left = read::optional_number(c, "left", -kMaxFigure, kMaxFigure, "a number", ok);
    x.composite_right = read::optional_number(c, "right", -kMaxFigure, kMaxFigure, "a number", ok);
  }
  take(r.string("method", true), x.method, ok);
  take(r.string("source", true), x.source, ok);
  take(r.strings("inputs", true), x.inputs, ok);
  if (!ok) return std::nullopt;
  return x;
}

std::optional<assess::RatioResult> read_ratio(ObjectReader& r, const kb::KnowledgeBase& kb) {
  assess::RatioResult x;
  bool ok = true;
  take(r.string("name", true), x.name, ok);
  take(read::side(r, "side", true), x.side, ok);
  take(r.number("value", true, -kMaxFigure, kMaxFigure, "a number"), x.value, ok);
  x.normal_min = read::optional_number(r, "normal_min", -kMaxFigure, kMaxFigure, "a number", ok);
  x.normal_max = read::optional_number(r, "normal_max", -kMaxFigure, kMaxFigure, "a number", ok);
  take(r.string("method", true), x.method, ok);
  if (auto protocol = read::optional_string(r, "protocol", ok)) {
    const std::string head = std::string(kPrefix) + x.method + "; ";
    if (protocol->rfind(head, 0) == 0) {
      x.default_method = true;
      x.method_text = protocol->substr(head.size());
    } else {
      r.problems().add(r.path_of("protocol"), "\"" + head + "...\"", Json(*protocol));
      ok = false;
    }
  }
  take(r.string("flag", true), x.flag, ok);
  take(r.string("source", true), x.source, ok);
  take(r.strings("inputs", true), x.inputs, ok);
  if (!ok) return std::nullopt;
  x.name_text = x.name;
  for (const auto& ratio : kb.ratios) {
    if (ratio.name != x.name) continue;
    x.name_text = ratio.name_text;
    const auto method = ratio.methods.find(x.method);
    if (!x.default_method && method != ratio.methods.end()) x.method_text = method->second.method_text;
  }
  return x;
}

std::optional<assess::PatternResult> read_pattern(ObjectReader& r, const kb::KnowledgeBase& kb) {
  assess::PatternResult p;
  bool ok = true;
  take(r.string("id", true), p.id, ok);
  take(r.number("confidence", true, 0, 1, "a confidence 0-1"), p.confidence, ok);
  take(r.strings("matched", true), p.matched, ok);
  take(r.string("source", true), p.source, ok);
  if (!ok) return std::nullopt;
  const auto known = std::find_if(kb.patterns.begin(), kb.patterns.end(), [&](const kb::Pattern& k) { return k.id == p.id; });
  p.name = known != kb.patterns.end() ? known->name : p.id;
  return p;
}

std::optional<assess::Referral> read_referral(ObjectReader& r) {
  assess::Referral x;
  bool ok = true;
  take(r.string("reason", true), x.reason, ok);
  take(r.string("region", true), x.region, ok);
  if (auto flag = read::optional_string(r, "flag", ok)) x.flag = *flag;
  const auto scope = r.string("scope", true, "\"whole_program\", \"excluded_work\" or \"region\"");
  if (scope) {
    // The scope says what the referral stops; it must agree with its reason.
    x.systemic = *scope == "whole_program";
    const std::string expected = x.systemic ? "whole_program" : x.reason == "screening" ? "excluded_work" : "region";
    if (*scope != expected) {
      r.problems().add(r.path_of("scope"), "\"" + expected + "\" for a referral for " + x.reason, Json(*scope));
      ok = false;
    }
  } else {
    ok = false;
  }
  if (auto urgency = r.string("urgency", true, "\"soon\", \"urgent\" or \"emergency\"")) {
    bool known = false;
    for (auto u : {kb::Urgency::kSoon, kb::Urgency::kUrgent, kb::Urgency::kEmergency})
      if (kb::to_string(u) == *urgency) {
        x.urgency = u;
        known = true;
      }
    if (!known) {
      r.problems().add(r.path_of("urgency"), "\"soon\", \"urgent\" or \"emergency\"", Json(*urgency));
      ok = false;
    }
  } else {
    ok = false;
  }
  take(r.string("detail", true), x.detail, ok);
  take(r.string("input", true), x.input, ok);
  take(r.string("source", true), x.source, ok);
  if (!ok) return std::nullopt;
  return x;
}

// What the referrals say the program must respect (assess.cpp's stop()):
// a systemic one stops everything, red flags and severe pain their region.
void restrictions_from_referrals(assess::Assessment& a) {
  auto& r = a.restrictions;
  for (const auto& ref : a.referrals) {
    if (ref.systemic) r.stop_all = true;
    if (ref.systemic || (ref.reason != "red_flag" && ref.reason != "severe_pain")) continue;
    if (!ref.region.empty() &&
        std::find(r.stopped_regions.begin(), r.stopped_regions.end(), ref.region) == r.stopped_regions.end())
      r.stopped_regions.push_back(ref.region);
  }
}

bool read_assessment(ObjectReader& root, const kb::KnowledgeBase& kb, assess::Assessment& a) {
  bool ok = true;
  auto schema = root.string("schema", true, "\"rebalance.assessment/1\"");
  if (schema && *schema != "rebalance.assessment/1")
    root.problems().add(root.path_of("schema"), "\"rebalance.assessment/1\"", Json(*schema));
  if (!schema || *schema != "rebalance.assessment/1") ok = false;
  take(read::kb_version(root), a.kb_version, ok);
  read::list(root, "findings", true, a.findings, read_finding, ok);
  read::list(root, "asymmetries", true, a.asymmetries, read_asymmetry, ok);
  read::list(root, "ratios", true, a.ratios, [&](ObjectReader& r) { return read_ratio(r, kb); }, ok);
  read::list(root, "patterns", true, a.patterns, [&](ObjectReader& r) { return read_pattern(r, kb); }, ok);
  read::list(root, "referrals", true, a.referrals, read_referral, ok);
  if (const Json* screen = root.get("movement_screen")) {
    ObjectReader s(root.problems(), *screen, root.path_of("movement_screen"));
    assess::ScreenSummary m;
    bool good = s.ok();
    take(s.integer("total", true, 0, 1000, "an FMS total"), m.fms_total, good);
    take(s.boolean("complete", true), m.complete, good);
    take(s.integer("cutoff_at_most", true, 0, 1000, "an FMS cutoff"), m.cutoff, good);
    if (s.has("at_or_below_cutoff")) take(s.boolean("at_or_below_cutoff", false), m.at_or_below_cutoff, good);
    take(s.string("source", true), m.source, good);
    if (good)
      a.movement_screen = m;
    else
      ok = false;
  }
  a.lifestyle_only = read::optional_string(root, "note", ok).has_value();
  restrictions_from_referrals(a);
  return ok;
}

// ---- review ------------------------------------------------------------------

std::optional<assess::FindingKey> read_key(ObjectReader& r) {
  auto muscle = read::id(r, "muscle", "a muscle or group id");
  auto side = read::side(r, "side", true);
  auto state = read::state(r, "state");
  if (!muscle || !side || !state) return std::nullopt;
  return assess::FindingKey{MuscleId(*muscle), *side, *state};
}

bool read_review(ObjectReader& root, Review& review) {
  bool ok = true;
  read::list(root, "dismiss", false, review.dismissed, read_key, ok);
  read::each(
      root, "add", false,
      [&](ObjectReader& r) {
        ReviewAddition added;
        bool good = true;
        take(read_key(r), added.finding, good);
        take(read::severity(r, "severity"), added.severity, good);
        take(r.string("note", true), added.note, good);
        if (good)
          review.added.push_back(std::move(added));
        else
          ok = false;
      },
      ok);
  if (auto notes = read::optional_string(root, "notes", ok)) review.notes = *notes;
  return ok;
}

Ordered key_value(const assess::FindingKey& k) {
  return Ordered{
      {"muscle", k.muscle.str()}, {"side", std::string(to_string(k.side))}, {"state", std::string(to_string(k.state))}};
}

}  // namespace

Decoded<assess::Assessment> decode_assessment(std::string_view json, const kb::KnowledgeBase& kb, const std::string& file) {
  return read::document<assess::Assessment>(
      json, file, [&](ObjectReader& root, assess::Assessment& a) { return read_assessment(root, kb, a); });
}

std::string encode_assessment(const kb::KnowledgeBase& kb, const assess::Assessment& assessment) {
  return render::assessment_json(kb, assessment);
}

Decoded<Review> decode_review(std::string_view json, const std::string& file) {
  return read::document<Review>(json, file, read_review);
}

std::string encode_review(const Review& review) {
  Ordered dismiss = Ordered::array(), add = Ordered::array();
  for (const auto& k : review.dismissed) dismiss.push_back(key_value(k));
  for (const auto& a : review.added) {
    Ordered j = key_value(a.finding);
    j["severity"] = std::string(to_string(a.severity));
    j["note"] = a.note;
    add.push_back(j);
  }
  return Ordered{{"dismiss", dismiss}, {"add", add}, {"notes", review.notes}}.dump();
}

assess::Review engine_review(const Review& review) {
  assess::Review out;
  out.dismissed = review.dismissed;
  for (const auto& a : review.added) {
    assess::Finding f;
    f.muscle = a.finding.muscle;
    f.side = a.finding.side;
    f.state = a.finding.state;
    f.severity = a.severity;
    f.confidence = 1.0;
    assess::Evidence e;
    e.input = "review";
    e.observed = a.note;
    e.rule = "practitioner";
    e.source = "practitioner's clinical judgement";
    e.kind = "practitioner";
    f.evidence.push_back(std::move(e));
    out.added.push_back(std::move(f));
  }
  return out;
}

assess::Assessment AssessmentRecord::reviewed() const {
  return review ? assess::apply_review(findings, engine_review(*review)) : findings;
}

Decoded<AssessmentRecord> decode_assessment_record(const kb::KnowledgeBase& kb, const store::Document& row) {
  Decoded<AssessmentRecord> out;
  AssessmentRecord r;
  r.id = row.id;
  r.client_id = row.client_id;
  r.kb_version = row.kb_version;
  r.created_at = row.created_at;
  r.created_by = row.created_by;
  r.intake_text = row.input;
  const std::string name = "stored assessment " + row.id;
  auto findings = decode_assessment(row.output, kb, name + " output");
  out.problems = std::move(findings.problems);
  if (findings.value && findings.value->kb_version != row.kb_version)
    out.problems.push_back(Problem{name + " output", "$.knowledge_base.version",
                                   "the row's knowledge base version " + Json(row.kb_version).dump(),
                                   Json(findings.value->kb_version).dump()});
  if (!row.review.empty()) {
    auto review = decode_review(row.review, name + " review");
    out.problems.insert(out.problems.end(), review.problems.begin(), review.problems.end());
    r.review = std::move(review.value);
  }
  if (!out.problems.empty()) return out;
  r.findings = std::move(*findings.value);
  auto parsed = intake::parse(row.input, kb, name + " intake");
  r.intake = std::move(parsed.intake);
  r.intake_problems = std::move(parsed.problems);
  out.value = std::move(r);
  return out;
}

store::Document encode_assessment_record(const kb::KnowledgeBase& kb, const AssessmentRecord& r) {
  return store::Document{r.id,         r.client_id,   "",
                         r.kb_version, r.intake_text, encode_assessment(kb, r.findings),
                         r.created_by, r.created_at,  r.review ? encode_review(*r.review) : ""};
}

}  // namespace rebalance::record
