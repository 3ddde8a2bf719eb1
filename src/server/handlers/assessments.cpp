// Assessments: an intake assessed and stored, read, reviewed by the
// practitioner, compared with an earlier one; intakes checked without
// storing.
#include "render/render.h"
#include "report/progress.h"
#include "server/detail/api_internal.h"
#include "track/compare.h"

namespace rebalance::server {

// Validates a review body into its stored form.
Json Api::Impl::parse_review(const Json& body) {
  if (!body.is_object()) throw HttpError{400, "invalid_body", "expected a JSON object", "$"};
  Json out{{"dismiss", Json::array()}, {"add", Json::array()}, {"notes", ""}};
  auto key_of = [&](const Json& item, const std::string& path, bool added) {
    if (!item.is_object()) throw HttpError{400, "invalid_body", "expected {\"muscle\", \"side\", \"state\"}", path};
    Json k;
    const std::string muscle = item.contains("muscle") && item["muscle"].is_string() ? item["muscle"].get<std::string>() : "";
    if (!kb->is_muscle_or_group(MuscleId(muscle)))
      throw HttpError{400, "invalid_body", "expected a muscle or group id", path + ".muscle"};
    const std::string side = item.contains("side") && item["side"].is_string() ? item["side"].get<std::string>() : "";
    if (!parse_side(side)) throw HttpError{400, "invalid_body", "expected \"left\", \"right\" or \"both\"", path + ".side"};
    const std::string state = item.contains("state") && item["state"].is_string() ? item["state"].get<std::string>() : "";
    if (!parse_state(state)) throw HttpError{400, "invalid_body", "expected \"tight\" or \"weak\"", path + ".state"};
    k["muscle"] = muscle;
    k["side"] = kb->is_midline(MuscleId(muscle)) ? "both" : side;
    k["state"] = state;
    if (added) {
      const std::string severity =
          item.contains("severity") && item["severity"].is_string() ? item["severity"].get<std::string>() : "moderate";
      if (!parse_severity(severity))
        throw HttpError{400, "invalid_body", "expected mild, moderate or severe", path + ".severity"};
      k["severity"] = severity;
      const std::string note =
          item.contains("note") && item["note"].is_string() ? item["note"].get<std::string>() : "added by the practitioner";
      if (note.size() > 500) throw HttpError{400, "invalid_body", "expected a note of at most 500 characters", path + ".note"};
      k["note"] = note;
    }
    return k;
  };
  for (const char* list : {"dismiss", "add"}) {
    if (!body.contains(list)) continue;
    const Json& items = body[list];
    if (!items.is_array() || items.size() > 100)
      throw HttpError{400, "invalid_body", "expected a list of at most 100 findings", std::string("$.") + list};
    for (size_t i = 0; i < items.size(); ++i)
      out[list].push_back(
          key_of(items[i], std::string("$.") + list + "[" + std::to_string(i) + "]", std::string(list) == "add"));
  }
  if (auto notes = optional_string(body, "notes", 5000)) out["notes"] = *notes;
  return out;
}

Response Api::Impl::review_assessment(const Request& req, const Caller& c, const std::string& id) {
  auto d = db->document(store::DocKind::kAssessment, id);
  if (!d) throw HttpError{404, "not_found", "no such assessment"};
  client_for(c, d->client_id, false);
  const Json review = parse_review(parse_body(req));
  db->set_review(id, review.dump());
  d->review = review.dump();
  audit_one(c, "update", "assessment", id, d->client_id);
  return json_response(200, document_view(*d, store::DocKind::kAssessment, Reader::kCareTeam));
}

Response Api::Impl::create_assessment(const Request& req, const Caller& c, const std::string& id) {
  client_for(c, id, false);
  require_json_content(req);
  auto parsed = intake::parse(req.body, *kb, "body");
  if (!parsed.intake) bad_input(parsed.problems, "invalid_intake");
  const auto a = assess::assess(*kb, *parsed.intake);
  // What is stored is the intake as validated, never the raw body.
  store::Document d{store::new_id("a_"), id, "", kb->version, parsed.canonical, render::assessment_json(*kb, a), c.user.id,
                    store::now_ms(),     ""};
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
  audit_one(c, "read", "assessment", id, d->client_id);
  return json_response(200, document_view(*d, store::DocKind::kAssessment, Reader::kCareTeam));
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
  auto before_in = intake::parse(earlier->input, *kb, "stored intake");
  auto after_in = intake::parse(later->input, *kb, "stored intake");
  if (!before_in.intake || !after_in.intake)
    throw HttpError{409, "stale", "a stored intake no longer validates against knowledge base " + kb->version};
  const auto before = assess::apply_review(assess::assess(*kb, *before_in.intake), report::review_of(*earlier));
  const auto after = assess::apply_review(assess::assess(*kb, *after_in.intake), report::review_of(*later));
  const auto comparison = track::compare(*kb, *before_in.intake, before, *after_in.intake, after);
  Json out{{"before", earlier->id}, {"after", later->id}};
  out.update(Json::parse(render::comparison_json(*kb, comparison)));
  audit.record({store::AuditEntry{0, store::now_ms(), c.user.id, "read", "assessment", earlier->id, later->client_id},
                store::AuditEntry{0, store::now_ms(), c.user.id, "read", "assessment", later->id, later->client_id}});
  return json_response(200, out);
}

}  // namespace rebalance::server
