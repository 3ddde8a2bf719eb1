#include "report/progress.h"

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "assess/assess.h"
#include "core/detail/json_reader.h"
#include "intake/intake.h"
#include "track/log.h"

namespace rebalance::report {
namespace {

using Json = nlohmann::json;

// Stored documents are read under the same policy as request bodies: a
// document stored before that policy existed cannot exhaust the reader.
Json parse_stored(const std::string& text, const char* what) {
  detail::Problems problems(what);
  auto doc = detail::parse_untrusted<Json>(text, problems, {64u << 20, 32});
  if (!doc) throw store::StoreError(std::string("stored ") + what + " is not a readable JSON document");
  return std::move(*doc);
}

}  // namespace

assess::Review review_of(const store::Document& assessment) {
  assess::Review review;
  if (assessment.review.empty()) return review;
  const Json j = parse_stored(assessment.review, "review");
  for (const auto& k : j["dismiss"])
    review.dismissed.push_back({MuscleId(k["muscle"].get<std::string>()), *parse_side(k["side"].get<std::string>()),
                                *parse_state(k["state"].get<std::string>())});
  for (const auto& k : j["add"]) {
    assess::Finding f;
    f.muscle = MuscleId(k["muscle"].get<std::string>());
    f.side = *parse_side(k["side"].get<std::string>());
    f.state = *parse_state(k["state"].get<std::string>());
    f.severity = *parse_severity(k["severity"].get<std::string>());
    f.confidence = 1.0;
    assess::Evidence e;
    e.input = "review";
    e.observed = k["note"].get<std::string>();
    e.rule = "practitioner";
    e.source = "practitioner's clinical judgement";
    e.kind = "practitioner";
    f.evidence.push_back(e);
    review.added.push_back(f);
  }
  return review;
}

std::vector<track::PlannedSession> planned_sessions(const store::Document& program) {
  std::vector<track::PlannedSession> out;
  const Json p = parse_stored(program.output, "program");
  try {
    for (const auto& s : p.at("sessions")) {
      track::PlannedSession ps;
      ps.week = s.at("week").get<int>();
      ps.day = s.at("day").get<int>();
      const auto date = Date::parse(s.at("date").get<std::string>());
      if (!date) throw store::StoreError("stored program has a bad date");
      ps.date = *date;
      for (const auto& item : s.at("items")) ps.exercises.emplace_back(item.at("exercise").get<std::string>());
      out.push_back(std::move(ps));
    }
  } catch (const Json::exception&) {
    throw store::StoreError("stored program " + program.id + " is not a rebalance.program/1 document");
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.date < y.date; });
  return out;
}

std::vector<store::Document> log_documents_of_versions(const store::Document& program,
                                                       const std::vector<store::Document>& programs,
                                                       const std::vector<store::Document>& logs) {
  std::set<std::string> chain;
  const store::Document* d = &program;
  while (d != nullptr && chain.insert(d->id).second) {
    const Json input = parse_stored(d->input, "program constraints");
    const std::string previous = input.value("supersedes", "");
    const auto it = std::find_if(programs.begin(), programs.end(), [&](const auto& p) { return p.id == previous; });
    d = it == programs.end() ? nullptr : &*it;
  }
  std::vector<store::Document> out;
  std::copy_if(logs.begin(), logs.end(), std::back_inserter(out), [&](const auto& l) { return chain.count(l.parent_id) > 0; });
  return out;
}

std::vector<track::SessionLog> logs_of_versions(const kb::KnowledgeBase& kb, const store::Document& program,
                                                const std::vector<store::Document>& programs,
                                                const std::vector<store::Document>& logs) {
  std::vector<track::SessionLog> out;
  for (const auto& l : log_documents_of_versions(program, programs, logs))
    if (auto parsed = track::parse_log(l.input, kb, "stored log"); parsed.log) out.push_back(std::move(*parsed.log));
  return out;
}

track::Progress progress_of(const kb::KnowledgeBase& kb, const ClientDocuments& docs, Date as_of) {
  track::Progress out;
  out.client = docs.client_name;
  out.as_of = as_of;
  if (!docs.programs.empty()) {
    const auto& latest = docs.programs.back();
    out.program_id = latest.id;
    const auto logs = logs_of_versions(kb, latest, docs.programs, docs.logs);
    out.adherence = track::adherence(planned_sessions(latest), logs, as_of);
    for (const auto& l : logs) out.sessions.push_back({l.date, l.week, l.day, l.effort, l.pain, l.note});
    std::stable_sort(out.sessions.begin(), out.sessions.end(), [](const auto& x, const auto& y) { return x.date < y.date; });
  }
  if (docs.assessments.size() >= 2) {
    const auto& before = docs.assessments[docs.assessments.size() - 2];
    const auto& after = docs.assessments.back();
    auto b = intake::parse(before.input, kb, "stored intake");
    auto a = intake::parse(after.input, kb, "stored intake");
    // An intake that no longer validates (an older knowledge base) is left out
    // of the comparison rather than failing the whole report.
    if (b.intake && a.intake) {
      out.before_id = before.id;
      out.after_id = after.id;
      out.comparison = track::compare(kb, *b.intake, assess::apply_review(assess::assess(kb, *b.intake), review_of(before)),
                                      *a.intake, assess::apply_review(assess::assess(kb, *a.intake), review_of(after)));
    }
  }
  return out;
}

ExportReadResult read_export(const std::string& text, const std::string& file_name) {
  ExportReadResult out;
  detail::Problems problems(file_name);
  const auto doc = detail::parse_untrusted<Json>(text, problems, {256u << 20, 32});
  if (!doc) {
    out.problems = problems.list();
    return out;
  }
  detail::ObjectReader root(problems, *doc, "$");
  if (!root.ok()) {
    out.problems = problems.list();
    return out;
  }
  ClientDocuments docs;
  if (auto schema = root.string("schema", true, "\"rebalance.export/1\""); schema && *schema != "rebalance.export/1")
    problems.add(root.path_of("schema"), "\"rebalance.export/1\"", Json(*schema));
  if (const Json* client = root.require("client", "the client object")) {
    detail::ObjectReader c(problems, *client, root.path_of("client"));
    if (auto name = c.string("name", true)) docs.client_name = *name;
  }
  // A client's own export has no assessments (they are the practitioner's).
  auto documents = [&](const char* key, std::vector<store::Document>& into, bool required) {
    const Json* list = required ? root.require(key, "a list of documents") : root.get(key);
    if (list == nullptr) return;
    if (!list->is_array()) return problems.add(root.path_of(key), "a list of documents", *list);
    for (size_t i = 0; i < list->size(); ++i) {
      detail::ObjectReader d(problems, (*list)[i], detail::child_path(root.path_of(key), i));
      if (!d.ok()) continue;
      store::Document doc;
      doc.id = d.string("id", true).value_or("");
      doc.client_id = d.string("client_id", false).value_or("");
      doc.parent_id = d.string("parent_id", false).value_or("");
      doc.kb_version = d.string("knowledge_base", false).value_or("");
      if (const Json* input = d.require("input", "the stored input (a JSON object)")) {
        if (input->is_object())
          doc.input = input->dump();
        else
          problems.add(d.path_of("input"), "the stored input (a JSON object)", *input);
      }
      if (const Json* output = d.get("output"); output != nullptr && !output->is_null()) doc.output = output->dump();
      if (const Json* review = d.get("review"); review != nullptr && !review->is_null()) doc.review = review->dump();
      into.push_back(std::move(doc));
    }
  };
  documents("assessments", docs.assessments, false);
  documents("programs", docs.programs, true);
  documents("logs", docs.logs, true);
  for (const auto& p : docs.programs)
    if (p.output.empty()) problems.add("$.programs", "every program with its output", Json(p.id));
  out.problems = problems.list();
  if (out.problems.empty()) out.documents = std::move(docs);
  return out;
}

}  // namespace rebalance::report
