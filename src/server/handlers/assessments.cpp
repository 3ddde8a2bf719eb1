// Assessments: an intake assessed and stored, read, reviewed by the
// practitioner, compared with an earlier one; intakes checked without
// storing.
#include "render/render.h"
#include "report/progress.h"
#include "server/detail/api_internal.h"
#include "track/compare.h"

namespace rebalance::server {

// Validates a review body into the review it records.
record::Review Api::Impl::parse_review(const Json& body) {
  if (!body.is_object()) throw HttpError{400, "invalid_body", "expected a JSON object", "$"};
  record::Review out;
  auto text = [](const Json& item, const char* key, const char* otherwise) {
    return item.contains(key) && item[key].is_string() ? item[key].get<std::string>() : std::string(otherwise);
  };
  auto key_of = [&](const Json& item, const std::string& path) {
    if (!item.is_object()) throw HttpError{400, "invalid_body", "expected {\"muscle\", \"side\", \"state\"}", path};
    const MuscleId muscle(text(item, "muscle", ""));
    if (!kb->is_muscle_or_group(muscle)) throw HttpError{400, "invalid_body", "expected a muscle or group id", path + ".muscle"};
    const auto side = parse_side(text(item, "side", ""));
    if (!side) throw HttpError{400, "invalid_body", "expected \"left\", \"right\" or \"both\"", path + ".side"};
    const auto state = parse_state(text(item, "state", ""));
    if (!state) throw HttpError{400, "invalid_body", "expected \"tight\" or \"weak\"", path + ".state"};
    return assess::FindingKey{muscle, kb->is_midline(muscle) ? Side::kBoth : *side, *state};
  };
  for (const char* list : {"dismiss", "add"}) {
    if (!body.contains(list)) continue;
    const Json& items = body[list];
    if (!items.is_array() || items.size() > 100)
      throw HttpError{400, "invalid_body", "expected a list of at most 100 findings", std::string("$.") + list};
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string path = std::string("$.") + list + "[" + std::to_string(i) + "]";
      const auto key = key_of(items[i], path);
      if (std::string(list) == "dismiss") {
        out.dismissed.push_back(key);
        continue;
      }
      const auto severity = parse_severity(text(items[i], "severity", "moderate"));
      if (!severity) throw HttpError{400, "invalid_body", "expected mild, moderate or severe", path + ".severity"};
      std::string note = text(items[i], "note", "added by the practitioner");
      if (note.size() > 500) throw HttpError{400, "invalid_body", "expected a note of at most 500 characters", path + ".note"};
      out.added.push_back({key, *severity, std::move(note)});
    }
  }
  if (auto notes = optional_string(body, "notes", 5000)) out.notes = *notes;
  return out;
}

Response Api::Impl::review_assessment(const Request& req, const Caller& c, const std::string& id) {
  auto d = db->document(store::DocKind::kAssessment, id);
  if (!d) throw HttpError{404, "not_found", "no such assessment"};
  client_for(c, d->client_id, false);
  d->review = record::encode_review(parse_review(parse_body(req)));
  db->set_review(id, d->review);
  audit_one(c, "update", "assessment", id, d->client_id);
  return json_response(200, document_view(*d, store::DocKind::kAssessment, Reader::kCareTeam));
}

Response Api::Impl::create_assessment(const Request& req, const Caller& c, const std::string& id) {
  client_for(c, id, false);
  require_json_content(req);
  auto parsed = intake::parse(req.body, *kb, "body");
  if (!parsed.intake) bad_input(parsed.problems, "invalid_intake");
  // What is stored is the intake as validated, never the raw body, and the
  // findings it gives: read back, never assessed again.
  record::AssessmentRecord r;
  r.id = store::new_id("a_");
  r.client_id = id;
  r.kb_version = kb->version;
  r.created_at = store::now_ms();
  r.created_by = c.user.id;
  r.intake_text = parsed.canonical;
  r.findings = assess::assess(*kb, *parsed.intake);
  const store::Document d = record::encode_assessment_record(*kb, r);
  db->add_document(store::DocKind::kAssessment, d);
  audit_one(c, "create", "assessment", d.id, id);
  Json out = Json::parse(d.output);
  out["id"] = d.id;
  out["client_id"] = id;
  if (!parsed.ignored.empty()) out["ignored_fields"] = parsed.ignored;
  return json_response(201, out);
}

Response Api::Impl::get_assessment(const Caller& c, const std::string& id) {
  auto d = db->document(store::DocKind::kAssessment, id);
  if (!d) throw HttpError{404, "not_found", "no such assessment"};
  client_for(c, d->client_id, false);
  return audited(json_response(200, document_view(*d, store::DocKind::kAssessment, Reader::kCareTeam)), c, "read",
                 "assessment", id, d->client_id);
}

Response Api::Impl::validate_intake(const Request& req) {
  parse_body(req);
  const auto parsed = intake::parse(req.body, *kb, "body");
  return json_response(200, Json{{"valid", parsed.intake.has_value()}, {"problems", problems_json(parsed.problems)}});
}

Response Api::Impl::compare_assessments(const Request& req, const Caller& c, const std::string& id) {
  auto later = db->document(store::DocKind::kAssessment, id);
  if (!later) throw HttpError{404, "not_found", "no such assessment"};
  client_for(c, later->client_id, false);
  std::optional<store::Document> earlier;
  const std::string with = query_param(req, "with");
  if (!with.empty()) {
    earlier = db->document(store::DocKind::kAssessment, with);
    if (!earlier || earlier->client_id != later->client_id)
      throw HttpError{400, "invalid_query", "expected an assessment of the same client", "with"};
  } else {
    const auto all = db->documents_of_client(store::DocKind::kAssessment, later->client_id);
    for (const auto& d : all) {
      if (d.id == later->id) break;
      earlier = d;
    }
    if (!earlier) throw HttpError{409, "conflict", "no earlier assessment of this client to compare with"};
  }
  // The stored findings as reviewed; the intakes give the measurements.
  const auto before = assessment_record(*earlier);
  const auto after = assessment_record(*later);
  if (!before.intake || !after.intake)
    throw HttpError{409, "stale", "a stored intake no longer validates against knowledge base " + kb->version};
  const auto comparison = track::compare(*kb, *before.intake, before.reviewed(), *after.intake, after.reviewed());
  Json out{{"before", earlier->id}, {"after", later->id}};
  out.update(Json::parse(render::comparison_json(*kb, comparison)));
  audit.record({store::AuditEntry{0, store::now_ms(), c.user.id, "read", "assessment", earlier->id, later->client_id},
                store::AuditEntry{0, store::now_ms(), c.user.id, "read", "assessment", later->id, later->client_id}});
  return json_response(200, out);
}

}  // namespace rebalance::server
