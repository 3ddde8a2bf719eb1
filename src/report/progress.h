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

// The id of the version a program row revised ("" for a first version), as
// a chain of versions needs it (record::decode_program_supersedes: the
// row's small input only). The service passes one that answers a row that
// does not decode as it sees fit; `supersedes` throws store::StoreError
// naming the row's first problems.
using SupersedesReader = std::function<std::string(const store::Document&)>;
std::string supersedes(const store::Document& row);

// The log documents of `program` and of the versions it revised (following
// `supersedes` through `programs`, a client's program rows), in the order
// given.
std::vector<store::Document> log_documents_of_versions(const record::ProgramRecord& program,
                                                       const std::vector<store::Document>& programs,
                                                       const std::vector<store::Document>& logs,
                                                       const SupersedesReader& read = supersedes);

// Session logs of `program` and of the versions it revised (one schedule),
// parsed. Logs that no longer validate against the knowledge base are
// skipped.
std::vector<track::SessionLog> logs_of_versions(const kb::KnowledgeBase& kb, const record::ProgramRecord& program,
                                                const std::vector<store::Document>& programs,
                                                const std::vector<store::Document>& logs,
                                                const SupersedesReader& read = supersedes);
// The same for the version stored in row `program`, without decoding its
// program.
std::vector<track::SessionLog> logs_of_versions(const kb::KnowledgeBase& kb, const store::Document& program,
                                                const std::vector<store::Document>& programs,
                                                const std::vector<store::Document>& logs,
                                                const SupersedesReader& read = supersedes);

// The stored documents of one client, oldest first within each kind.
struct ClientDocuments {
  std::string client_name;
  std::vector<store::Document> assessments, programs, logs;
};

// Adherence to the latest program (its stored sessions; logs of all its
// versions), the latest assessment's stored findings against the one
// before's (both as reviewed; left out when either intake no longer
// validates), and the logged sessions by date. Throws store::StoreError on
// a stored assessment that does not decode, and whatever `read` and
// `read_supersedes` throw on a program.
track::Progress progress_of(const kb::KnowledgeBase& kb, const ClientDocuments& docs, Date as_of,
                            const ProgramReader& read = decoded, const SupersedesReader& read_supersedes = supersedes);

// Reads a `rebalance.export/1` document (GET /api/v1/clients/{id}/export):
// problems name their JSON path, like an intake's.
struct ExportReadResult {
  std::optional<ClientDocuments> documents;
  std::vector<Problem> problems;
};
ExportReadResult read_export(const std::string& text, const std::string& file_name);

}  // namespace rebalance::report
