// Stored documents as typed records (issue 14): a program version and an
// assessment, each with ONE codec between the record and the store's row.
// The service and the reports read these records, so the JSON, the
// calendar, the handout, adherence and progress all read the same stored
// program, and the stored findings, instead of re-planning or re-assessing.
//
// Decoding treats a row as hostile (a damaged database): it is read under
// the untrusted-JSON policy (core/detail/json_reader.h), bounded in size and
// nesting, every problem is reported with its JSON path, and nothing throws
// or crashes. Encoding is exact: for every program and assessment the
// engine makes, encode(decode(x)) == x byte for byte.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assess/assess.h"
#include "core/date.h"
#include "core/types.h"
#include "intake/intake.h"
#include "kb/kb.h"
#include "plan/plan.h"
#include "render/render.h"
#include "store/store.h"
#include "track/adherence.h"

namespace rebalance::record {

// A decoder's answer: the value, or every problem found (`file` names the
// document, `path` the place in it). `problems` is empty when `value` is set.
template <class T>
struct Decoded {
  std::optional<T> value;
  std::vector<Problem> problems;
};

// Stored documents are read at most this large and this deep: larger than
// any request body (a 52-week program is a few MB), and far deeper than any
// document Rebalance writes.
inline constexpr size_t kMaxStoredBytes = 64u << 20;
inline constexpr int kMaxStoredDepth = 32;

// ---- the engine's values as stored -----------------------------------------

// `rebalance.program/1` (contract section 5) -> plan::Program. What the
// document does not hold is left at its default, except each item's
// `week1_exercise`, which is the item's own exercise.
Decoded<plan::Program> decode_program(std::string_view json, const std::string& file);
// plan::Program -> `rebalance.program/1`: render::program_json, which writes
// the program's own knowledge-base version.
std::string encode_program(const kb::KnowledgeBase& kb, const plan::Program& program);

// `rebalance.assessment/1` (contract section 4) -> assess::Assessment. The
// document holds no display names: a pattern's `name` and a ratio's
// `name_text` and `method_text` come from `kb` (the id when `kb` lacks it).
// Of the restrictions it holds what its referrals say: `stop_all` (a
// whole-program referral) and `stopped_regions` (the regions of red-flag and
// severe-pain referrals); the rest (pain, screening, equipment, ...) is the
// intake's and stays empty. Evidence `kind`, `cause` and `severity` are not
// stored and stay empty (mild).
Decoded<assess::Assessment> decode_assessment(std::string_view json, const kb::KnowledgeBase& kb, const std::string& file);
// assess::Assessment -> `rebalance.assessment/1`: render::assessment_json,
// which writes the assessment's own knowledge-base version.
std::string encode_assessment(const kb::KnowledgeBase& kb, const assess::Assessment& assessment);

// A practitioner's change to a program, as stored in a version's
// constraints (and as the API receives it): {"op", "exercise", "with",
// "sets", "reps", "hold_seconds", "from", "only_on", "day", "side"}, or
// {"op": "reassess", "week", "date"}. Shape only: what an edit means is the
// engine's to judge (plan::apply_edits). At most 200 edits. Problems are
// named under `path`, the list's own path in its document.
Decoded<std::vector<plan::Edit>> decode_edits(std::string_view json, const std::string& file, const std::string& path = "$");
// A JSON array, compact.
std::string encode_edits(const std::vector<plan::Edit>& edits);

// ---- a practitioner's review of an assessment --------------------------------

struct ReviewAddition {
  assess::FindingKey finding;
  Severity severity = Severity::kModerate;
  std::string note;
};

// As stored: {"dismiss": [{muscle, side, state}], "add": [{muscle, side,
// state, severity, note}], "notes": "..."}.
struct Review {
  std::vector<assess::FindingKey> dismissed;
  std::vector<ReviewAddition> added;
  std::string notes;
};

Decoded<Review> decode_review(std::string_view json, const std::string& file);
// Compact JSON, as the service stores it.
std::string encode_review(const Review& review);
// The review as the engine applies it: each added finding with confidence 1
// and one evidence entry (rule "practitioner", the note as observed).
assess::Review engine_review(const Review& review);

// ---- stored documents ------------------------------------------------------

struct TemplateRef {
  std::string id;
  std::string name;
};

// The shape a version was planned with (contract section 1's flags).
struct Shape {
  int weeks = 8;
  int days_per_week = 3;
  int minutes_per_session = 20;
  Date start_date = Date::from_days(0);
};

// A version adapted to session logs (track::adapt): when, and which logs.
struct Adaptation {
  Date as_of = Date::from_days(0);
  std::vector<std::string> logs;
};

// One program version as stored. Versions never change once stored: a
// revision or an adaptation is a new version that `supersedes` this one.
struct ProgramRecord {
  std::string id;  // "p_..."; empty for a version not stored (a dry run)
  std::string client_id;
  std::string assessment_id;
  std::string kb_version;  // the knowledge base the version was made with
  int64_t created_at = 0;  // unix milliseconds
  std::string created_by;
  int version = 1;                    // 1 for the planned one
  std::string supersedes;             // the version it revised; empty for version 1
  std::optional<std::string> reason;  // why it was made (the care team's)
  std::optional<TemplateRef> from_template;
  Shape shape;
  std::vector<plan::Edit> edits;  // every edit so far, in order
  std::vector<Adaptation> adaptations;
  plan::Program program;  // as planned, edited and adapted when stored
};

// A program row: `input` the version's constraints, `output` its
// `rebalance.program/1`. Problems name the row and `input` or `output`.
Decoded<ProgramRecord> decode_program_record(const store::Document& row);
// The id of the version `row` revised ("" for a first version), from the
// row's small input alone: what following a chain of versions needs,
// without decoding each version's program.
Decoded<std::string> decode_program_supersedes(const store::Document& row);
store::Document encode_program_record(const kb::KnowledgeBase& kb, const ProgramRecord& record);
// The constraints as stored in a program row's `input` (compact JSON).
std::string encode_constraints(const ProgramRecord& record);

// One assessment as stored.
struct AssessmentRecord {
  std::string id;  // "a_..."
  std::string client_id;
  std::string kb_version;  // the knowledge base that assessed it
  int64_t created_at = 0;  // unix milliseconds
  std::string created_by;
  std::string intake_text;  // the intake as validated when stored (canonical)
  // The intake parsed against the knowledge base given to the decoder; none
  // when it no longer validates (`intake_problems` says why).
  std::optional<intake::Intake> intake;
  std::vector<Problem> intake_problems;
  assess::Assessment findings;   // as stored
  std::optional<Review> review;  // none when none was stored

  // The findings as the practitioner confirmed them: the stored findings
  // with the stored review applied (assess::apply_review). Never re-assessed.
  assess::Assessment reviewed() const;
};

// An assessment row: `input` the canonical intake, `output` the findings,
// `review` the review (may be empty). An intake that no longer validates is
// not a decoding problem (see `intake`); damaged findings or review are.
Decoded<AssessmentRecord> decode_assessment_record(const kb::KnowledgeBase& kb, const store::Document& row);
store::Document encode_assessment_record(const kb::KnowledgeBase& kb, const AssessmentRecord& record);

// ---- what the renderers read ----------------------------------------------------

// A stored program as every writer reads it: the JSON, the calendar, the
// handout, adherence and progress.
struct RenderInput {
  plan::Program program;          // as stored
  assess::Assessment assessment;  // the findings it was made from, reviewed, as stored
  render::Header header;          // the client's name; the intake's time zone
};

// `assessment` is the version's assessment (none when it is gone: the
// findings are then empty and the calendar's dates floating).
RenderInput render_input(const ProgramRecord& program, const AssessmentRecord* assessment, const std::string& client_name);

// The sessions a program plans, in date order, for adherence.
std::vector<track::PlannedSession> planned_sessions(const plan::Program& program);

// ---- decoded versions, kept --------------------------------------------------------

// Program versions decoded once and kept (a stored version never changes),
// at most `capacity` of them, the least recently used leaving first. Safe
// to call from several threads.
//
// The cache spares decoding, never reading or authorization: a caller reads
// the row from the store (and checks who may see its client) first, then
// asks the cache for the row's record. A kept record is used only for a row
// with the same id, client, creation time, knowledge base and text lengths;
// forget_client() drops a client's versions (when the client is deleted).
//
// With each kept record go its renderings: texts made from the record alone
// (the served JSON, as each kind of reader sees it), made once and dropped
// with the record.
class Renderings {
 public:
  static constexpr size_t kSlots = 4;
  // The text in `slot` (< kSlots), made by `make` the first time it is asked
  // for. `make` must depend on nothing but the record and the slot.
  std::shared_ptr<const std::string> get(size_t slot, const std::function<std::string()>& make);

 private:
  std::mutex mutex_;
  std::array<std::shared_ptr<const std::string>, kSlots> texts_;
};

class ProgramCache {
 public:
  // `capacity` decoded versions; `plan_capacity` versions' planned sessions
  // (planned()), which are small.
  explicit ProgramCache(size_t capacity = 256, size_t plan_capacity = 8192);
  ProgramCache(const ProgramCache&) = delete;
  ProgramCache& operator=(const ProgramCache&) = delete;
  ~ProgramCache();

  // The record of `row`: kept, or decoded (and kept when it decodes). A
  // row that does not decode is never kept: its problems are answered.
  struct Answer {
    std::shared_ptr<const ProgramRecord> record;
    std::shared_ptr<Renderings> renderings;  // of `record`; null when it did not decode
    std::vector<Problem> problems;
  };
  Answer decode(const store::Document& row);
  // The record kept for the row `head` is the head of
  // (store::Store::document_head), if any; nothing is decoded.
  std::optional<Answer> kept(const store::Document& head);
  // The sessions `row`'s program plans (planned_sessions()), as adherence
  // counts them: kept apart from the records, many more of them, so that a
  // list of every client's adherence neither decodes every version each
  // time nor pushes out the versions being read. Null sessions, and the
  // problems, when the row does not decode.
  struct Plan {
    std::shared_ptr<const std::vector<track::PlannedSession>> sessions;
    std::vector<Problem> problems;
  };
  Plan planned(const store::Document& row);
  // Keeps a record just stored (encoded from it, so no decoding is needed).
  void keep(const store::Document& row, ProgramRecord record);
  // Forgets a client's versions and plans (when the client is deleted).
  void forget_client(const std::string& client_id);
  size_t size() const;        // records kept
  size_t plans_kept() const;  // planned sessions kept

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace rebalance::record
