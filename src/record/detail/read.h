// Readers shared by the record codecs: the engine's small value types read
// from a stored document with ObjectReader, each problem recorded with its
// path. A reader that returns nothing has recorded why (or the field was
// optional and absent). Only the codecs include this header.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/detail/json_reader.h"
#include "core/types.h"
#include "record/record.h"

namespace rebalance::record::read {

using detail::Json;
using detail::ObjectReader;
using detail::Problems;

// Stores a value read, or remembers that reading it failed.
template <class T, class U>
void take(std::optional<T> value, U& into, bool& ok) {
  if (value)
    into = std::move(*value);
  else
    ok = false;
}

// A required id: a non-empty string of at most 200 characters.
std::optional<std::string> id(ObjectReader& r, const std::string& key, const std::string& expected);
std::optional<Side> side(ObjectReader& r, const std::string& key, bool required);
std::optional<State> state(ObjectReader& r, const std::string& key);
std::optional<Severity> severity(ObjectReader& r, const std::string& key);
std::optional<Phase> phase(ObjectReader& r, const std::string& key);
// A date `YYYY-MM-DD`.
std::optional<Date> date(ObjectReader& r, const std::string& key, bool required);
// `knowledge_base.version` of a document.
std::optional<std::string> kb_version(ObjectReader& root);
// An optional number within [min, max]; `ok` becomes false when it is
// present and wrong.
std::optional<double> optional_number(ObjectReader& r, const std::string& key, double min, double max,
                                      const std::string& expected, bool& ok);
// An optional string; `ok` becomes false when it is present and not a string.
std::optional<std::string> optional_string(ObjectReader& r, const std::string& key, bool& ok);
// Calls `fn` with a reader of each object of the array at `key`; `ok`
// becomes false when the array is missing (and required), not an array, or
// holds something that is not an object.
void each(ObjectReader& r, const std::string& key, bool required, const std::function<void(ObjectReader&)>& fn, bool& ok);
// Reads each object of the array at `key` with `read_one` (ObjectReader& ->
// std::optional<T>) and appends what it returns to `into`; `ok` becomes false
// as with each(), and when `read_one` returns nothing.
template <class T, class ReadOne>
void list(ObjectReader& r, const std::string& key, bool required, std::vector<T>& into, ReadOne read_one, bool& ok) {
  each(
      r, key, required,
      [&](ObjectReader& element) {
        if (auto value = read_one(element))
          into.push_back(std::move(*value));
        else
          ok = false;
      },
      ok);
}

// Reads `json` as a stored document of `file` under the stored-document
// policy: `fill(root, value)` reads the root object into `value` and says
// whether all went well.
template <class T, class Fill>
Decoded<T> document(std::string_view json, const std::string& file, Fill fill) {
  Decoded<T> out;
  Problems problems(file);
  const auto doc = detail::parse_untrusted<Json>(json, problems, {kMaxStoredBytes, kMaxStoredDepth});
  T value{};
  bool ok = false;
  if (doc) {
    ObjectReader root(problems, *doc, "$");
    ok = root.ok() && fill(root, value);
  }
  out.problems = problems.list();
  if (ok && out.problems.empty()) out.value = std::move(value);
  // A reader that failed without saying why is a bug in this module; the
  // answer must still say the document was not read.
  if (!out.value && out.problems.empty()) out.problems.push_back(Problem{file, "$", "a readable document", "a problem"});
  return out;
}

}  // namespace rebalance::record::read
