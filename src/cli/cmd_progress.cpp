// `rebalance progress`: a client's adherence, logged sessions and latest
// re-assessment, from an export file or straight from the service's database.
#include <filesystem>

#include "cli/commands.h"
#include "render/render.h"
#include "report/progress.h"

namespace rebalance::cli {

Run add_progress(CLI::App& app, const Globals& globals) {
  struct Options {
    std::string source, client, as_of, out;
    StoreOptions store;
    bool json = false, html = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("progress", "A client's adherence, effort and pain, and re-assessment against MDC");
  sub->add_option("EXPORT", o->source,
                  "A client export (rebalance.export/1, from GET /api/v1/clients/{id}/export), or - for standard input");
  add_store_options(sub, o->store);
  sub->add_option("--client", o->client, "With --db or --postgres: the client's id");
  auto* json = sub->add_flag("--json", o->json, "Write rebalance.progress/1 JSON");
  auto* html = sub->add_flag("--html", o->html, "Write an HTML report with charts");
  json->excludes(html);
  sub->add_option("--as-of", o->as_of, "The day adherence is counted to, YYYY-MM-DD (default today)")
      ->check(CLI::Validator(
          [](std::string& s) { return Date::parse(s) ? std::string() : "expected a date YYYY-MM-DD, found \"" + s + "\""; },
          "YYYY-MM-DD"));
  sub->add_option("-o,--output", o->out, "Write to FILE instead of standard output");
  sub->footer(
      "Either EXPORT, or --db PATH / --postgres URL with --client ID.\n"
      "Exit codes: 0 success, 1 internal error, 2 bad input (every problem is listed on stderr).");
  return [o, &globals]() {
    const bool from_store = !o->store.db.empty() || !o->store.postgres.empty();
    if (from_store == !o->source.empty())
      throw Failure{kExitBadInput, {"rebalance progress: expected either EXPORT or --db/--postgres with --client"}};
    if (from_store && o->client.empty())
      throw Failure{kExitBadInput, {"rebalance progress: --db/--postgres: expected --client ID, found none"}};
    check_writable(o->out);
    auto kb = load_kb(globals, kb::Parts::kWithoutDrawings);
    report::ClientDocuments docs;
    if (from_store) {
      if (!o->store.db.empty() && !std::filesystem::is_regular_file(o->store.db))
        throw Failure{kExitBadInput, {"rebalance progress: --db " + o->store.db + ": no such database file"}};
      auto db = open_store(o->store);
      const auto client = db->client(o->client);
      if (!client) throw Failure{kExitBadInput, {"rebalance progress: --client " + o->client + ": no such client"}};
      docs.client_name = client->name;
      docs.assessments = db->documents_of_client(store::DocKind::kAssessment, client->id);
      docs.programs = db->documents_of_client(store::DocKind::kProgram, client->id);
      docs.logs = db->documents_of_client(store::DocKind::kLog, client->id);
    } else {
      auto read = report::read_export(read_input(o->source), input_name(o->source));
      if (!read.documents) fail_with(read.problems);
      docs = std::move(*read.documents);
    }
    track::Progress progress;
    try {
      progress = report::progress_of(*kb, docs, o->as_of.empty() ? today() : *Date::parse(o->as_of));
    } catch (const store::StoreError& e) {
      throw Failure{kExitBadInput, {std::string("rebalance progress: ") + e.what()}};
    }
    write_output(o->json   ? render::progress_json(*kb, progress)
                 : o->html ? render::progress_html(*kb, progress)
                           : render::progress_text(*kb, progress),
                 o->out);
    return kExitOk;
  };
}

}  // namespace rebalance::cli
