// Reading untrusted JSON with JSON-path tracking: every accessor records a
// Problem instead of throwing, so one pass reports everything wrong. Only the
// parsers (knowledge base, intake) include this header: it pulls in
// nlohmann/json.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/types.h"

namespace rebalance::detail {

using Json = nlohmann::json;

// How a JSON value is described in "found ..." (strings quoted, at most 60
// characters).
std::string describe(const Json& value);

// `$.a` + "b" -> `$.a.b`; + 3 -> `$.a[3]`.
std::string child_path(const std::string& path, const std::string& key);
std::string child_path(const std::string& path, size_t index);

class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}
  void add(const std::string& path, std::string expected, std::string found);
  void add(const std::string& path, std::string expected, const char* found) {
    add(path, std::move(expected), std::string(found));
  }
  void add(const std::string& path, std::string expected, const Json& found) { add(path, std::move(expected), describe(found)); }
  const std::vector<Problem>& list() const { return list_; }
  bool empty() const { return list_.empty(); }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<Problem> list_;
};

// A JSON object being read; remembers which keys were read so that `strict()`
// can report the others.
class ObjectReader {
 public:
  // Records a problem when `value` is not an object; `ok()` then is false and
  // every accessor returns nothing.
  ObjectReader(Problems& problems, const Json& value, std::string path);

  bool ok() const { return ok_; }
  const std::string& path() const { return path_; }
  std::string path_of(const std::string& key) const { return child_path(path_, key); }
  bool has(const std::string& key) const;
  // The raw member (marked as read), or null when absent.
  const Json* get(const std::string& key);
  // A member that must be present; reports `expected` when absent.
  const Json* require(const std::string& key, const std::string& expected);

  std::optional<std::string> string(const std::string& key, bool required, const std::string& expected = "a string");
  // Numbers within [min, max]; integers additionally must be whole.
  std::optional<double> number(const std::string& key, bool required, double min, double max, const std::string& expected);
  std::optional<int> integer(const std::string& key, bool required, int min, int max, const std::string& expected);
  std::optional<bool> boolean(const std::string& key, bool required);
  // An array of strings (possibly empty).
  std::optional<std::vector<std::string>> strings(const std::string& key, bool required);

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
  std::set<std::string> read_;
};

}  // namespace rebalance::detail
