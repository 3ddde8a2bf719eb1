// Progress from what the service stores (or exports): a client's
// assessments, programs and session logs as documents in, a progress report
// out. Shared by `rebalance serve` and `rebalance progress`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "assess/assess.h"
#include "kb/kb.h"
#include "store/store.h"
#include "track/adherence.h"
#include "track/progress.h"

namespace rebalance::report {

// The practitioner's stored review of an assessment (findings dismissed and
// added) as the engine applies it; an empty review changes nothing.
assess::Review review_of(const store::Document& assessment);

// The sessions a stored program plans (its `rebalance.program/1` output).
// Throws store::StoreError when the stored program is not one.
std::vector<track::PlannedSession> planned_sessions(const store::Document& program);

// The log documents of `program` and of the versions it revised, in the
// order given.
std::vector<store::Document> log_documents_of_versions(const store::Document& program,
                                                       const std::vector<store::Document>& programs,
                                                       const std::vector<store::Document>& logs);

// Session logs of `program` and of the versions it revised (one schedule),
// parsed, from a client's programs and logs. Logs that no longer validate
// against the knowledge base are skipped.
std::vector<track::SessionLog> logs_of_versions(const kb::KnowledgeBase& kb, const store::Document& program,
                                                const std::vector<store::Document>& programs,
                                                const std::vector<store::Document>& logs);

// The stored documents of one client, oldest first within each kind.
struct ClientDocuments {
  std::string client_name;
  std::vector<store::Document> assessments, programs, logs;
};

// Adherence to the latest program (logs of all its versions), the latest
// assessment against the one before, and the logged sessions by date.
// Throws store::StoreError on a stored document that is not what its kind says.
track::Progress progress_of(const kb::KnowledgeBase& kb, const ClientDocuments& docs, Date as_of);

// Reads a `rebalance.export/1` document (GET /api/v1/clients/{id}/export):
// problems name their JSON path, like an intake's.
struct ExportReadResult {
  std::optional<ClientDocuments> documents;
  std::vector<Problem> problems;
};
ExportReadResult read_export(const std::string& text, const std::string& file_name);

}  // namespace rebalance::report
