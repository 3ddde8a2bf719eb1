#include "core/detail/json_reader.h"

#include <algorithm>
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
  if (list_.size() > kMaxProblems) return;
  if (list_.size() == kMaxProblems) {
    list_.push_back(Problem{file_, "$", "at most " + std::to_string(kMaxProblems) + " problems reported at once", "more"});
    return;
  }
  list_.push_back(Problem{file_, path, std::move(expected), std::move(found)});
}

const std::set<std::string>* Problems::read_members(const Json* object) const {
  const auto it = read_.find(object);
  return it == read_.end() ? nullptr : &it->second;
}

namespace {

// "line L, column C" of a byte offset, for syntax errors.
std::string position(std::string_view text, size_t byte) {
  size_t line = 1, col = 1;
  const size_t end = std::min(text.size(), byte > 0 ? byte - 1 : 0);
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

// Builds the document from nlohmann's SAX events with an explicit stack, so
// that neither depth nor size is up to the input: nesting beyond the limit
// stops the parse at once, and a repeated key is reported with its path
// (nlohmann's own parser silently keeps the last one).
template <class J>
class BoundedBuilder {
 public:
  using string_t = typename J::string_t;
  using number_integer_t = typename J::number_integer_t;
  using number_unsigned_t = typename J::number_unsigned_t;
  using number_float_t = typename J::number_float_t;
  using binary_t = typename J::binary_t;

  BoundedBuilder(std::string_view text, Problems& problems, int max_depth)
      : text_(text), problems_(problems), max_depth_(max_depth) {}

  bool null() { return put(J(nullptr)); }
  bool boolean(bool v) { return put(J(v)); }
  bool number_integer(number_integer_t v) { return put(J(v)); }
  bool number_unsigned(number_unsigned_t v) { return put(J(v)); }
  bool number_float(number_float_t v, const string_t&) { return put(J(v)); }
  bool string(string_t& v) { return put(J(std::move(v))); }
  bool binary(binary_t&) { return fail("$", "JSON text", "binary data"); }
  bool start_object(std::size_t) { return open(J::object()); }
  bool start_array(std::size_t) { return open(J::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(string_t& k) {
    Frame& f = stack_.back();
    if (f.container->contains(k)) {
      problems_.add(child_path(f.path, k), "each key once in an object", "\"" + k + "\" again");
      clean_ = false;
    }
    f.key = std::move(k);
    return true;
  }
  bool parse_error(std::size_t byte, const std::string&, const nlohmann::detail::exception& e) {
    // 406: a number too large for a double (such as 1e999).
    if (e.id == 406) return fail("$", "valid JSON with numbers a double can hold", "a number out of range");
    return fail("$", "valid JSON", "a syntax error at " + position(text_, byte));
  }

  // The document, when nothing was wrong.
  std::optional<J> result() {
    if (!clean_) return std::nullopt;
    return std::move(root_);
  }

 private:
  struct Frame {
    J* container;
    std::string path;
    size_t next_index = 0;
    string_t key;
  };

  // Where the next value goes, and its path.
  std::pair<J*, std::string> slot() {
    if (stack_.empty()) return {&root_, "$"};
    Frame& f = stack_.back();
    if (f.container->is_array()) {
      f.container->push_back(J());
      return {&f.container->back(), child_path(f.path, f.next_index++)};
    }
    return {&(*f.container)[f.key], child_path(f.path, f.key)};
  }
  bool put(J&& value) {
    *slot().first = std::move(value);
    return true;
  }
  bool open(J&& empty) {
    if (static_cast<int>(stack_.size()) >= max_depth_) {
      const std::string where = stack_.empty() ? "$" : slot().second;
      return fail(where, "JSON nested at most " + std::to_string(max_depth_) + " levels deep", "deeper nesting");
    }
    auto [target, path] = slot();
    *target = std::move(empty);
    stack_.push_back(Frame{target, std::move(path), 0, {}});
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }
  bool fail(const std::string& path, std::string expected, std::string found) {
    problems_.add(path, std::move(expected), std::move(found));
    clean_ = false;
    return false;
  }

  std::string_view text_;
  Problems& problems_;
  int max_depth_;
  J root_;
  std::vector<Frame> stack_;
  bool clean_ = true;
};

void keep_validated(const Json& in, Json& out, const Problems& problems, const std::string& path,
                    std::vector<std::string>* dropped) {
  // Iterative over the document's nesting would need its own stack; the
  // recursion here is bounded by JsonLimits::max_depth of the parse.
  if (in.is_object()) {
    out = Json::object();
    const auto* read = problems.read_members(&in);
    for (auto it = in.begin(); it != in.end(); ++it) {
      const std::string child = child_path(path, it.key());
      if (read == nullptr || !read->count(it.key())) {
        if (dropped != nullptr) dropped->push_back(child);
        continue;
      }
      keep_validated(it.value(), out[it.key()], problems, child, dropped);
    }
  } else if (in.is_array()) {
    out = Json::array();
    for (size_t i = 0; i < in.size(); ++i) {
      out.push_back(Json());
      keep_validated(in[i], out.back(), problems, child_path(path, i), dropped);
    }
  } else {
    out = in;
  }
}

}  // namespace

template <class J>
std::optional<J> parse_untrusted(std::string_view text, Problems& problems, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    problems.add("$", "a document of at most " + std::to_string(limits.max_bytes) + " bytes",
                 std::to_string(text.size()) + " bytes");
    return std::nullopt;
  }
  BoundedBuilder<J> builder(text, problems, limits.max_depth);
  J::sax_parse(text.begin(), text.end(), &builder);
  return builder.result();
}

template std::optional<nlohmann::json> parse_untrusted(std::string_view, Problems&, const JsonLimits&);
template std::optional<nlohmann::ordered_json> parse_untrusted(std::string_view, Problems&, const JsonLimits&);

Json validated_only(const Json& doc, const Problems& problems, std::vector<std::string>* dropped) {
  Json out;
  keep_validated(doc, out, problems, "$", dropped);
  return out;
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
  problems_.mark_read(value_, key);
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

void each_object(ObjectReader& r, const std::string& key, bool required, const std::function<void(ObjectReader&)>& fn) {
  const Json* arr = required ? r.require(key, "a list") : r.get(key);
  if (arr == nullptr) return;
  if (!arr->is_array()) {
    r.problems().add(r.path_of(key), "a list", *arr);
    return;
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    ObjectReader item(r.problems(), (*arr)[i], child_path(r.path_of(key), i));
    if (item.ok()) fn(item);
  }
}

}  // namespace rebalance::detail
