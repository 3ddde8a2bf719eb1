#include "core/detail/json_reader.h"

#include <cctype>
#include <cmath>

namespace rebalance::detail {

std::string describe(const Json& value) {
  std::string text;
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case Json::value_t::string:
      text = value.dump();
      break;
    default:
      text = value.dump();
      break;
  }
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string child_path(const std::string& path, const std::string& key) {
  bool plain = !key.empty();
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) plain = false;
  if (plain) return path + "." + key;
  return path + "[" + Json(key).dump() + "]";
}

std::string child_path(const std::string& path, size_t index) { return path + "[" + std::to_string(index) + "]"; }

void Problems::add(const std::string& path, std::string expected, std::string found) {
  list_.push_back(Problem{file_, path, std::move(expected), std::move(found)});
}

ObjectReader::ObjectReader(Problems& problems, const Json& value, std::string path)
    : problems_(problems), value_(&value), path_(std::move(path)), ok_(value.is_object()) {
  if (!ok_) problems_.add(path_, "an object", value);
}

bool ObjectReader::has(const std::string& key) const { return ok_ && value_->contains(key); }

const Json* ObjectReader::get(const std::string& key) {
  if (!ok_) return nullptr;
  auto it = value_->find(key);
  if (it == value_->end()) return nullptr;
  read_.insert(key);
  return &*it;
}

const Json* ObjectReader::require(const std::string& key, const std::string& expected) {
  if (!ok_) return nullptr;
  const Json* v = get(key);
  if (v == nullptr) problems_.add(path_of(key), expected, "nothing (the field is missing)");
  return v;
}

std::optional<std::string> ObjectReader::string(const std::string& key, bool required, const std::string& expected) {
  const Json* v = required ? require(key, expected) : get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    problems_.add(path_of(key), expected, *v);
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<double> ObjectReader::number(const std::string& key, bool required, double min, double max,
                                           const std::string& expected) {
  const Json* v = required ? require(key, expected) : get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) {
    problems_.add(path_of(key), expected, *v);
    return std::nullopt;
  }
  const double d = v->get<double>();
  if (!std::isfinite(d) || d < min || d > max) {
    problems_.add(path_of(key), expected, *v);
    return std::nullopt;
  }
  return d;
}

std::optional<int> ObjectReader::integer(const std::string& key, bool required, int min, int max, const std::string& expected) {
  const Json* v = required ? require(key, expected) : get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) {
    problems_.add(path_of(key), expected, *v);
    return std::nullopt;
  }
  const double d = v->get<double>();
  if (!std::isfinite(d) || d != std::floor(d) || d < min || d > max) {
    problems_.add(path_of(key), expected, *v);
    return std::nullopt;
  }
  return static_cast<int>(d);
}

std::optional<bool> ObjectReader::boolean(const std::string& key, bool required) {
  const Json* v = required ? require(key, "true or false") : get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    problems_.add(path_of(key), "true or false", *v);
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::vector<std::string>> ObjectReader::strings(const std::string& key, bool required) {
  const Json* v = required ? require(key, "a list of strings") : get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) {
    problems_.add(path_of(key), "a list of strings", *v);
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool good = true;
  for (size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    if (!item.is_string()) {
      problems_.add(child_path(path_of(key), i), "a string", item);
      good = false;
      continue;
    }
    out.push_back(item.get<std::string>());
  }
  if (!good) return std::nullopt;
  return out;
}

std::vector<std::string> ObjectReader::unread() const {
  std::vector<std::string> out;
  if (!ok_) return out;
  for (auto it = value_->begin(); it != value_->end(); ++it)
    if (!read_.count(it.key())) out.push_back(it.key());
  return out;
}

void ObjectReader::strict() {
  for (const std::string& key : unread()) problems_.add(path_of(key), "a known field (misspelt?)", "\"" + key + "\"");
}

}  // namespace rebalance::detail
