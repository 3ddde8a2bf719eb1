// Session logs, adherence and the progress report.
#include "render/render.h"
#include "report/progress.h"
#include "server/detail/api_internal.h"
#include "track/adherence.h"

namespace rebalance::server {

Response Api::Impl::create_log(const Request& req, const Caller& c, const std::string& program_id) {
  const auto program = program_head(c, program_id, true).head;
  require_json_content(req);
  auto parsed = track::parse_log(req.body, *kb, "body");
  if (!parsed.log) bad_input(parsed.problems, "invalid_log");
  if (!parsed.log->program.empty() && parsed.log->program != program_id)
    throw HttpError{400, "invalid_log", "expected the program of the URL", "$.program"};
  // What is stored is the log as validated, never the raw body.
  store::Document d{store::new_id("l_"), program.client_id, program_id, kb->version, parsed.canonical, "",
                    c.user.id,           store::now_ms(),    ""};
  Json out{{"id", d.id}, {"program", program_id}};
  out["log"] = Json::parse(parsed.canonical);
  if (!parsed.ignored.empty()) out["ignored_fields"] = parsed.ignored;
  // The log and its audit entry commit together, in a shared group commit,
  // before the 201 goes out.
  Response r = audited(json_response(201, out), c, "create", "log", d.id, program.client_id);
  r.durable_documents.push_back({store::DocKind::kLog, std::move(d)});
  return r;
}

Response Api::Impl::list_logs(const Caller& c, const std::string& program_id) {
  const auto program = program_head(c, program_id, true).head;
  Json list = Json::array();
  for (const auto& d : db->logs_of_program(program_id))
    list.push_back({{"id", d.id},
                    {"created_at", d.created_at},
                    {"created_by", d.created_by},
                    {"log", stored_input(d, store::DocKind::kLog)}});
  return audited(json_response(200, Json{{"logs", list}}), c, "read", "log", program_id, program.client_id);
}

// Adherence to a program version: the sessions it stores, and the logs of
// every version of it.
track::Adherence Api::Impl::adherence_of(const record::ProgramRecord& program) {
  const auto programs = db->documents_of_client(store::DocKind::kProgram, program.client_id);
  const auto logs = db->documents_of_client(store::DocKind::kLog, program.client_id);
  return track::adherence(record::planned_sessions(program.program),
                          report::logs_of_versions(*kb, program, programs, logs, supersedes_reader()), today());
}

Response Api::Impl::program_adherence(const Caller& c, const std::string& id) {
  const auto [client, version, renderings] = program_for(c, id, true);
  Json out{{"program_id", id}};
  out.update(Json::parse(render::adherence_json(adherence_of(*version))));
  return audited(json_response(200, out), c, "read", "adherence", id, client.id);
}

Response Api::Impl::progress(const Caller& c, const std::string& id, bool html) {
  const auto cl = client_for(c, id, false);
  report::ClientDocuments docs{cl.name, db->documents_of_client(store::DocKind::kAssessment, id),
                               db->documents_of_client(store::DocKind::kProgram, id),
                               db->documents_of_client(store::DocKind::kLog, id)};
  const auto p = report::progress_of(*kb, docs, today(), program_reader(), supersedes_reader());
  if (!html) return audited(raw_json(render::progress_json(*kb, p)), c, "read", "progress", id, id);
  Response r;
  r.content_type = "text/html; charset=utf-8";
  r.body = render::progress_html(*kb, p);
  return audited(std::move(r), c, "read", "progress", id, id);
}

}  // namespace rebalance::server
