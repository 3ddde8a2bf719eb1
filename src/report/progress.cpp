#include "report/progress.h"

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "core/detail/json_reader.h"
#include "track/compare.h"
#include "track/log.h"

namespace rebalance::report {
namespace {

using Json = nlohmann::json;

// The problems of a stored document that does not decode, as one message.
[[noreturn]] void damaged(const std::vector<Problem>& problems) {
  std::string message;
  for (size_t i = 0; i < problems.size() && i < 3; ++i) message += (i == 0 ? "" : "; ") + format_problem(problems[i]);
  if (problems.size() > 3) message += "; and " + std::to_string(problems.size() - 3) + " more";
  throw store::StoreError(message);
}

record::AssessmentRecord assessment_record(const kb::KnowledgeBase& kb, const store::Document& row) {
  auto decoded = record::decode_assessment_record(kb, row);
  if (!decoded.value) damaged(decoded.problems);
  return std::move(*decoded.value);
}

}  // namespace

std::shared_ptr<const record::ProgramRecord> decoded(const store::Document& row) {
  auto decoded = record::decode_program_record(row);
  if (!decoded.value) damaged(decoded.problems);
  return std::make_shared<const record::ProgramRecord>(std::move(*decoded.value));
}

std::string supersedes(const store::Document& row) {
  auto decoded = record::decode_program_supersedes(row);
  if (!decoded.value) damaged(decoded.problems);
  return std::move(*decoded.value);
}

namespace {

// The log documents of version `id` (which revised `revised`) and of the
// versions before it.
std::vector<store::Document> logs_of_chain(const std::string& id, const std::string& revised,
                                           const std::vector<store::Document>& programs,
                                           const std::vector<store::Document>& logs, const SupersedesReader& read) {
  std::set<std::string> chain{id};
  // A version names the one it revised; a chain that loops or leaves the
  // client's programs ends there.
  std::string previous = revised;
  while (!previous.empty() && chain.insert(previous).second) {
    const auto it = std::find_if(programs.begin(), programs.end(), [&](const auto& p) { return p.id == previous; });
    if (it == programs.end()) break;
    previous = read(*it);
  }
  std::vector<store::Document> out;
  std::copy_if(logs.begin(), logs.end(), std::back_inserter(out), [&](const auto& l) { return chain.count(l.parent_id) > 0; });
  return out;
}

std::vector<track::SessionLog> parsed(const kb::KnowledgeBase& kb, const std::vector<store::Document>& documents) {
  std::vector<track::SessionLog> out;
  for (const auto& l : documents)
    if (auto parsed = track::parse_log(l.input, kb, "stored log"); parsed.log) out.push_back(std::move(*parsed.log));
  return out;
}

}  // namespace

std::vector<store::Document> log_documents_of_versions(const record::ProgramRecord& program,
                                                       const std::vector<store::Document>& programs,
                                                       const std::vector<store::Document>& logs, const SupersedesReader& read) {
  return logs_of_chain(program.id, program.supersedes, programs, logs, read);
}

std::vector<track::SessionLog> logs_of_versions(const kb::KnowledgeBase& kb, const record::ProgramRecord& program,
                                                const std::vector<store::Document>& programs,
                                                const std::vector<store::Document>& logs, const SupersedesReader& read) {
  return parsed(kb, logs_of_chain(program.id, program.supersedes, programs, logs, read));
}

std::vector<track::SessionLog> logs_of_versions(const kb::KnowledgeBase& kb, const store::Document& program,
                                                const std::vector<store::Document>& programs,
                                                const std::vector<store::Document>& logs, const SupersedesReader& read) {
  return parsed(kb, logs_of_chain(program.id, read(program), programs, logs, read));
}

track::Progress progress_of(const kb::KnowledgeBase& kb, const ClientDocuments& docs, Date as_of, const ProgramReader& read,
                            const SupersedesReader& read_supersedes) {
  track::Progress out;
  out.client = docs.client_name;
  out.as_of = as_of;
  if (!docs.programs.empty()) {
    const auto latest = read(docs.programs.back());
    out.program_id = latest->id;
    const auto logs = logs_of_versions(kb, *latest, docs.programs, docs.logs, read_supersedes);
    out.adherence = track::adherence(record::planned_sessions(latest->program), logs, as_of);
    for (const auto& l : logs) out.sessions.push_back({l.date, l.week, l.day, l.effort, l.pain, l.note});
    std::stable_sort(out.sessions.begin(), out.sessions.end(), [](const auto& x, const auto& y) { return x.date < y.date; });
  }
  if (docs.assessments.size() >= 2) {
    const auto before = assessment_record(kb, docs.assessments[docs.assessments.size() - 2]);
    const auto after = assessment_record(kb, docs.assessments.back());
    // The stored findings, as reviewed; the intakes give the measurements.
    // An intake that no longer validates (an older knowledge base) leaves
    // the comparison out rather than failing the whole report.
    if (before.intake && after.intake) {
      out.before_id = before.id;
      out.after_id = after.id;
      out.comparison = track::compare(kb, *before.intake, before.reviewed(), *after.intake, after.reviewed());
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
