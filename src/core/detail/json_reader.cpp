#include "core/detail/json_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
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

std::string child_path(const std::string& path, std::string_view key) {
  const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
  std::string out;
  if (!plain) return out.append(path).append("[").append(Json(std::string(key)).dump()).append("]");
  out.reserve(path.size() + 1 + key.size());
  return out.append(path).append(".").append(key);
}

std::string child_path(const std::string& path, size_t index) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, index).ptr;
  std::string out;
  out.reserve(path.size() + 2 + static_cast<size_t>(end - digits));
  return out.append(path).append("[").append(digits, end).append("]");
}

void Problems::add(const std::string& path, std::string expected, std::string found) {
  if (list_.size() > kMaxProblems) return;
  if (list_.size() == kMaxProblems) {
    list_.push_back(Problem{file_, "$", "at most " + std::to_string(kMaxProblems) + " problems reported at once", "more"});
    return;
  }
  list_.push_back(Problem{file_, path, std::move(expected), std::move(found)});
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

// The common case, fast: a well-formed document within the depth limit, read
// in one pass (no recursion) into the very tree BoundedBuilder would build
// from nlohmann's parser. Anything else (a syntax error, a repeated key,
// nesting too deep, a number a double cannot hold, a \u escape, a byte order
// mark) gives nothing, and the caller parses again with BoundedBuilder, which
// says precisely what is wrong. A third of the time nlohmann's parser takes
// on the knowledge base (its lexer copies a token a character at a time).
template <class J>
class WellFormedReader {
 public:
  WellFormedReader(std::string_view text, int max_depth)
      : at_(text.data()), end_(text.data() + text.size()), max_depth_(max_depth) {}

  std::optional<J> read() {
    J root;
    J* target = &root;  // where the next value goes
    std::vector<J*> open;  // the arrays and objects being read, innermost last
    while (true) {
      skip_whitespace();
      if (at_ == end_) return std::nullopt;
      bool done = true;  // false: a container was opened and awaits its first value
      switch (*at_) {
        case '{':
        case '[': {
          const bool object = *at_ == '{';
          if (static_cast<int>(open.size()) >= max_depth_) return std::nullopt;
          ++at_;
          *target = object ? J::object() : J::array();
          skip_whitespace();
          if (at_ != end_ && *at_ == (object ? '}' : ']')) {
            ++at_;
            break;
          }
          open.push_back(target);
          target = object ? member(*target) : element(*target);
          done = false;
          break;
        }
        case '"': {
          auto s = string();
          if (!s) return std::nullopt;
          *target = J(std::move(*s));
          break;
        }
        case 't':
          if (!literal("true")) return std::nullopt;
          *target = J(true);
          break;
        case 'f':
          if (!literal("false")) return std::nullopt;
          *target = J(false);
          break;
        case 'n':
          if (!literal("null")) return std::nullopt;
          *target = J(nullptr);
          break;
        default:
          if (!number(*target)) return std::nullopt;
          break;
      }
      if (target == nullptr) return std::nullopt;
      if (!done) continue;
      // A value is complete: close what ends here, then go to the next value.
      while (true) {
        skip_whitespace();
        if (open.empty()) return at_ == end_ ? std::optional<J>(std::move(root)) : std::nullopt;
        if (at_ == end_) return std::nullopt;
        J& container = *open.back();
        const bool object = container.is_object();
        if (*at_ == ',') {
          ++at_;
          skip_whitespace();
          target = object ? member(container) : element(container);
          if (target == nullptr) return std::nullopt;
          break;
        }
        if (*at_ != (object ? '}' : ']')) return std::nullopt;
        ++at_;
        open.pop_back();
      }
    }
  }

 private:
  void skip_whitespace() {
    while (at_ != end_ && (*at_ == ' ' || *at_ == '\n' || *at_ == '\r' || *at_ == '\t')) ++at_;
  }

  bool literal(std::string_view word) {
    if (static_cast<size_t>(end_ - at_) < word.size() || std::string_view(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }

  // A new element at the end of `array`.
  J* element(J& array) {
    auto& elements = array.template get_ref<typename J::array_t&>();
    elements.emplace_back();
    return &elements.back();
  }

  // `"key": ` of an object's next member; its value's place, or null when
  // malformed or the key is there already.
  J* member(J& object) {
    if (at_ == end_ || *at_ != '"') return nullptr;
    auto key = string();
    if (!key) return nullptr;
    skip_whitespace();
    if (at_ == end_ || *at_ != ':') return nullptr;
    ++at_;
    auto [it, fresh] = object.template get_ref<typename J::object_t&>().emplace(std::move(*key), J());
    return fresh ? &it->second : nullptr;
  }

  // A string token, `at_` on its opening quote. Valid UTF-8 only (the ranges
  // of Unicode's table 3-7, as nlohmann's lexer checks them); no \u escapes.
  std::optional<std::string> string() {
    ++at_;
    std::string out;
    const char* run = at_;  // start of the characters not yet copied
    while (at_ != end_) {
      const auto c = static_cast<unsigned char>(*at_);
      if (c == '"') {
        out.append(run, at_);
        ++at_;
        return out;
      }
      if (c < 0x20) return std::nullopt;
      if (c == '\\') {
        out.append(run, at_);
        if (++at_ == end_) return std::nullopt;
        switch (*at_) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          default: return std::nullopt;
        }
        run = ++at_;
        continue;
      }
      if (c < 0x80) {
        ++at_;
        continue;
      }
      const int length = utf8_length();
      if (length == 0) return std::nullopt;
      at_ += length;
    }
    return std::nullopt;
  }

  // The length of the well-formed UTF-8 sequence at `at_` (a lead byte), 0 if
  // it is not one.
  int utf8_length() const {
    const auto byte = [&](ptrdiff_t i) { return at_ + i < end_ ? static_cast<unsigned char>(at_[i]) : 0u; };
    const auto in = [](unsigned b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
    const unsigned lead = byte(0);
    if (in(lead, 0xC2, 0xDF)) return in(byte(1), 0x80, 0xBF) ? 2 : 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
    if (in(lead, 0xE0, 0xEF)) return in(byte(1), lo, hi) && in(byte(2), 0x80, 0xBF) ? 3 : 0;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
    if (in(lead, 0xF0, 0xF4)) return in(byte(1), lo, hi) && in(byte(2), 0x80, 0xBF) && in(byte(3), 0x80, 0xBF) ? 4 : 0;
    return 0;
  }

  // A number by JSON's grammar, typed as nlohmann types it: without a
  // fraction or exponent an unsigned integer, or a signed one when negative;
  // else a double. An integer out of 64-bit range or a double out of range
  // is left to the full parser.
  bool number(J& target) {
    const char* start = at_;
    const auto digits = [&] {
      const char* from = at_;
      while (at_ != end_ && *at_ >= '0' && *at_ <= '9') ++at_;
      return at_ - from;
    };
    const bool negative = at_ != end_ && *at_ == '-';
    if (negative) ++at_;
    if (at_ == end_) return false;
    if (*at_ == '0')
      ++at_;
    else if (digits() == 0)
      return false;
    bool integer = true;
    if (at_ != end_ && *at_ == '.') {
      ++at_;
      if (digits() == 0) return false;
      integer = false;
    }
    if (at_ != end_ && (*at_ == 'e' || *at_ == 'E')) {
      ++at_;
      if (at_ != end_ && (*at_ == '+' || *at_ == '-')) ++at_;
      if (digits() == 0) return false;
      integer = false;
    }
    if (integer && negative) {
      typename J::number_integer_t v = 0;
      const auto [end, ec] = std::from_chars(start, at_, v);
      if (ec != std::errc() || end != at_) return false;
      target = J(v);
    } else if (integer) {
      typename J::number_unsigned_t v = 0;
      const auto [end, ec] = std::from_chars(start, at_, v);
      if (ec != std::errc() || end != at_) return false;
      target = J(v);
    } else {
      // Correctly rounded, as strtod is, and independent of the locale.
      typename J::number_float_t v = 0;
      const auto [end, ec] = std::from_chars(start, at_, v);
      if (ec != std::errc() || end != at_ || !std::isfinite(v)) return false;
      target = J(v);
    }
    return true;
  }

  const char* at_;
  const char* end_;
  int max_depth_;
};

void keep_validated(const Json& in, Json& out, const Problems& problems, const std::string& path,
                    std::vector<std::string>* dropped) {
  // Iterative over the document's nesting would need its own stack; the
  // recursion here is bounded by JsonLimits::max_depth of the parse.
  // A path is only spelt out where something is dropped, or below it.
  if (in.is_object()) {
    out = Json::object();
    auto& members = out.get_ref<Json::object_t&>();
    for (auto it = in.begin(); it != in.end(); ++it) {
      if (!problems.was_read(&it.value())) {
        if (dropped != nullptr) dropped->push_back(child_path(path, it.key()));
        continue;
      }
      Json& kept = members.emplace_hint(members.end(), it.key(), Json())->second;  // keys come in order
      if (it->is_structured())
        keep_validated(it.value(), kept, problems, child_path(path, it.key()), dropped);
      else
        kept = it.value();
    }
  } else if (in.is_array()) {
    out = Json::array();
    for (size_t i = 0; i < in.size(); ++i) {
      out.push_back(Json());
      if (in[i].is_structured())
        keep_validated(in[i], out.back(), problems, child_path(path, i), dropped);
      else
        out.back() = in[i];
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
  if (auto well_formed = WellFormedReader<J>(text, limits.max_depth).read()) return well_formed;
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

bool ObjectReader::has(std::string_view key) const { return ok_ && value_->contains(key); }

const Json* ObjectReader::get(std::string_view key) {
  if (!ok_) return nullptr;
  auto it = value_->find(key);
  if (it == value_->end()) return nullptr;
  read_.push_back(&it.key());
  problems_.mark_read(&*it);
  return &*it;
}

const Json* ObjectReader::require(std::string_view key, std::string_view expected) {
  if (!ok_) return nullptr;
  const Json* v = get(key);
  if (v == nullptr) problems_.add(path_of(key), std::string(expected), "nothing (the field is missing)");
  return v;
}

std::optional<std::string> ObjectReader::string(std::string_view key, bool required, std::string_view expected) {
  const Json* v = required ? require(key, expected) : get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    problems_.add(path_of(key), std::string(expected), *v);
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<double> ObjectReader::number(std::string_view key, bool required, double min, double max,
                                           std::string_view expected) {
  const Json* v = required ? require(key, expected) : get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) {
    problems_.add(path_of(key), std::string(expected), *v);
    return std::nullopt;
  }
  const double d = v->get<double>();
  if (!std::isfinite(d) || d < min || d > max) {
    problems_.add(path_of(key), std::string(expected), *v);
    return std::nullopt;
  }
  return d;
}

std::optional<int> ObjectReader::integer(std::string_view key, bool required, int min, int max, std::string_view expected) {
  const Json* v = required ? require(key, expected) : get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) {
    problems_.add(path_of(key), std::string(expected), *v);
    return std::nullopt;
  }
  const double d = v->get<double>();
  if (!std::isfinite(d) || d != std::floor(d) || d < min || d > max) {
    problems_.add(path_of(key), std::string(expected), *v);
    return std::nullopt;
  }
  return static_cast<int>(d);
}

std::optional<bool> ObjectReader::boolean(std::string_view key, bool required) {
  const Json* v = required ? require(key, "true or false") : get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    problems_.add(path_of(key), "true or false", *v);
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::vector<std::string>> ObjectReader::strings(std::string_view key, bool required) {
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
    if (std::find(read_.begin(), read_.end(), &it.key()) == read_.end()) out.push_back(it.key());
  return out;
}

void ObjectReader::strict() {
  for (const std::string& key : unread()) problems_.add(path_of(key), "a known field (misspelt?)", "\"" + key + "\"");
}

void each_object(ObjectReader& r, std::string_view key, bool required, const std::function<void(ObjectReader&)>& fn) {
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
