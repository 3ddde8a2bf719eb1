#include "record/detail/read.h"

namespace rebalance::record::read {

std::optional<std::string> id(ObjectReader& r, const std::string& key, const std::string& expected) {
  auto value = r.string(key, true, expected);
  if (value && (value->empty() || value->size() > 200)) {
    r.problems().add(r.path_of(key), expected, Json(*value));
    return std::nullopt;
  }
  return value;
}

namespace {

template <class T>
std::optional<T> parsed(ObjectReader& r, const std::string& key, bool required, const std::string& expected,
                        std::optional<T> (*parse)(std::string_view)) {
  auto text = r.string(key, required, expected);
  if (!text) return std::nullopt;
  auto value = parse(*text);
  if (!value) r.problems().add(r.path_of(key), expected, Json(*text));
  return value;
}

}  // namespace

std::optional<Side> side(ObjectReader& r, const std::string& key, bool required) {
  return parsed<Side>(r, key, required, "\"left\", \"right\" or \"both\"", &parse_side);
}

std::optional<State> state(ObjectReader& r, const std::string& key) {
  return parsed<State>(r, key, true, "\"tight\" or \"weak\"", &parse_state);
}

std::optional<Severity> severity(ObjectReader& r, const std::string& key) {
  return parsed<Severity>(r, key, true, "\"mild\", \"moderate\" or \"severe\"", &parse_severity);
}

std::optional<Phase> phase(ObjectReader& r, const std::string& key) {
  return parsed<Phase>(r, key, true, "\"stretch\", \"strengthen\" or \"functional\"", &parse_phase);
}

std::optional<Date> date(ObjectReader& r, const std::string& key, bool required) {
  return parsed<Date>(r, key, required, "a date YYYY-MM-DD", &Date::parse);
}

std::optional<std::string> kb_version(ObjectReader& root) {
  const Json* kb = root.require("knowledge_base", "{\"version\": ...}");
  if (kb == nullptr) return std::nullopt;
  ObjectReader k(root.problems(), *kb, root.path_of("knowledge_base"));
  return k.string("version", true, "the knowledge base's version");
}

std::optional<double> optional_number(ObjectReader& r, const std::string& key, double min, double max,
                                      const std::string& expected, bool& ok) {
  if (!r.has(key)) return std::nullopt;
  auto value = r.number(key, false, min, max, expected);
  if (!value) ok = false;
  return value;
}

std::optional<std::string> optional_string(ObjectReader& r, const std::string& key, bool& ok) {
  if (!r.has(key)) return std::nullopt;
  auto value = r.string(key, false);
  if (!value) ok = false;
  return value;
}

void each(ObjectReader& r, const std::string& key, bool required, const std::function<void(ObjectReader&)>& fn, bool& ok) {
  const Json* list = required ? r.require(key, "a list") : r.get(key);
  if (list == nullptr) {
    if (required) ok = false;
    return;
  }
  if (!list->is_array()) {
    r.problems().add(r.path_of(key), "a list", *list);
    ok = false;
    return;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    ObjectReader item(r.problems(), (*list)[i], detail::child_path(r.path_of(key), i));
    if (item.ok())
      fn(item);
    else
      ok = false;
  }
}

}  // namespace rebalance::record::read
