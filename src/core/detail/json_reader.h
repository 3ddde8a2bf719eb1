// Reading untrusted JSON: one parsing policy for every document Rebalance
// accepts (intakes, session logs, knowledge-base files, exports, request
// bodies), then accessors with JSON-path tracking that record a Problem
// instead of throwing, so one pass reports everything wrong, and remember what
// they read, so that what is stored is what was validated. Only parsers
// include this header: it pulls in nlohmann/json.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/types.h"

namespace rebalance::detail {

using Json = nlohmann::json;

// How a JSON value is described in "found ..." (strings quoted, at most 60
// characters).
std::string describe(const Json& value);

// `$.a` + "b" -> `$.a.b`; + 3 -> `$.a[3]`.
std::string child_path(const std::string& path, std::string_view key);
std::string child_path(const std::string& path, size_t index);

// Problems found in one document, and which members of which objects the
// validator read (ObjectReader records them), for validated_only().
class Problems {
 public:
  // Past this many, one last problem says there are more: a hostile document
  // cannot make the answer grow with its size.
  static constexpr size_t kMaxProblems = 100;

  explicit Problems(std::string file) : file_(std::move(file)) {}
  void add(const std::string& path, std::string expected, std::string found);
  void add(const std::string& path, std::string expected, const char* found) {
    add(path, std::move(expected), std::string(found));
  }
  void add(const std::string& path, std::string expected, const Json& found) { add(path, std::move(expected), describe(found)); }
  const std::vector<Problem>& list() const { return list_; }
  bool empty() const { return list_.empty(); }
  const std::string& file() const { return file_; }

  // Whether to remember which members the validator read (on by default;
  // validated_only() needs it). A reader that keeps no copy of the document,
  // such as the knowledge base's, turns it off.
  void remember_reads(bool on) { remember_reads_ = on; }
  // Records that the validator read the member whose value is `member`.
  void mark_read(const Json* member) {
    if (remember_reads_) read_.insert(member);
  }
  // True when the validator read the member whose value is `member`.
  bool was_read(const Json* member) const { return read_.count(member) > 0; }

 private:
  std::string file_;
  std::vector<Problem> list_;
  bool remember_reads_ = true;
  std::unordered_set<const Json*> read_;
};

// The parsing policy for untrusted JSON. Depth counts nested arrays and
// objects (a scalar document is depth 0); every document Rebalance reads is
// far shallower than the default.
struct JsonLimits {
  size_t max_bytes = 1u << 20;
  int max_depth = 32;
};

// Parses `text` under `limits`: at most max_bytes, nesting at most max_depth,
// each key at most once per object, numbers a double can hold. Never throws
// and never recurses on the input's nesting: on any breach it records
// Problems (with the JSON path where it happened) and returns nothing. J is
// nlohmann::json or nlohmann::ordered_json.
template <class J>
std::optional<J> parse_untrusted(std::string_view text, Problems& problems, const JsonLimits& limits = {});

// `doc` with only what the validator read: every object keeps the members
// an ObjectReader read from it (through `problems`), arrays and scalars are
// kept as they are. An object no reader saw becomes empty. The paths of the
// dropped members are appended to `dropped` when given. Call it on the very
// `doc` that was read (readers remember addresses).
Json validated_only(const Json& doc, const Problems& problems, std::vector<std::string>* dropped = nullptr);

// A JSON object being read; remembers which keys were read so that `strict()`
// can report the others.
class ObjectReader {
 public:
  // Records a problem when `value` is not an object; `ok()` then is false and
  // every accessor returns nothing.
  ObjectReader(Problems& problems, const Json& value, std::string path);

  bool ok() const { return ok_; }
  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const { return child_path(path_, key); }
  bool has(std::string_view key) const;
  // The raw member (marked as read), or null when absent.
  const Json* get(std::string_view key);
  // A member that must be present; reports `expected` when absent.
  const Json* require(std::string_view key, std::string_view expected);

  std::optional<std::string> string(std::string_view key, bool required, std::string_view expected = "a string");
  // Numbers within [min, max]; integers additionally must be whole.
  std::optional<double> number(std::string_view key, bool required, double min, double max, std::string_view expected);
  std::optional<int> integer(std::string_view key, bool required, int min, int max, std::string_view expected);
  std::optional<bool> boolean(std::string_view key, bool required);
  // An array of strings (possibly empty).
  std::optional<std::vector<std::string>> strings(std::string_view key, bool required);

  // Reports every key not read, as "no field KEY (known: ...)".
  void strict();
  // The keys not read.
  std::vector<std::string> unread() const;

  Problems& problems() { return problems_; }

 private:
  Problems& problems_;
  const Json* value_;
  std::string path_;
  bool ok_;
  // The keys read, as the object's own key strings: objects are small, and
  // this costs no copy of a key.
  std::vector<const std::string*> read_;
};

// Calls `fn` with a reader for each object of the array at `key` of `r`
// (an entry that is not an object is reported, and skipped); a missing key is
// a problem when `required`, and a non-array always is.
void each_object(ObjectReader& r, std::string_view key, bool required, const std::function<void(ObjectReader&)>& fn);

}  // namespace rebalance::detail
