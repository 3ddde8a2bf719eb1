// Progress from what the service stores (or exports): a client's
// assessments, programs and session logs as documents in, a progress report
// out. Shared by `rebalance serve` and `rebalance progress`. Stored
// documents are read through their records (src/record): the stored
// program and the stored findings, never re-planned or re-assessed.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kb/kb.h"
#include "record/record.h"
#include "store/store.h"
#include "track/adherence.h"
#include "track/progress.h"

namespace rebalance::report {

// Reads a program row as its record. The service passes its cache's (and
// answers a row that does not decode as it sees fit); `decoded` decodes
// every time and throws store::StoreError naming the row's first problems.
using ProgramReader = std::function<std::shared_ptr<const record::ProgramRecord>(const store::Document&)>;
std::shared_ptr<const record::ProgramRecord> decoded(const store::Document& row);

// The log documents of `program` and of the versions it revised (following
// `supersedes` through `programs`, a client's program rows), in the order
// given.
std::vector<store::Document> log_documents_of_versions(const record::ProgramRecord& program,
                                                       const std::vector<store::Document>& programs,
                                                       const std::vector<store::Document>& logs,
                                                       const ProgramReader& read = decoded);

// Session logs of `program` and of the versions it revised (one schedule),
// parsed. Logs that no longer validate against the knowledge base are
// skipped.
std::vector<track::SessionLog> logs_of_versions(const kb::KnowledgeBase& kb, const record::ProgramRecord& program,
                                                const std::vector<store::Document>& programs,
                                                const std::vector<store::Document>& logs, const ProgramReader& read = decoded);

// The stored documents of one client, oldest first within each kind.
struct ClientDocuments {
  std::string client_name;
  std::vector<store::Document> assessments, programs, logs;
};

// Adherence to the latest program (its stored sessions; logs of all its
// versions), the latest assessment's stored findings against the one
// before's (both as reviewed; left out when either intake no longer
// validates), and the logged sessions by date. Throws store::StoreError on
// a stored assessment that does not decode, and whatever `read` throws on a
// program.
track::Progress progress_of(const kb::KnowledgeBase& kb, const ClientDocuments& docs, Date as_of,
                            const ProgramReader& read = decoded);

// Reads a `rebalance.export/1` document (GET /api/v1/clients/{id}/export):
// problems name their JSON path, like an intake's.
struct ExportReadResult {
  std::optional<ClientDocuments> documents;
  std::vector<Problem> problems;
};
ExportReadResult read_export(const std::string& text, const std::string& file_name);

}  // namespace rebalance::report
