#include "cli/config.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace rebalance::cli {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string quoted(std::string_view s) {
  std::string q = "\"";  // appended: g++ 12 -O3 warns falsely (-Wrestrict) on "\"" + a temporary
  q += s;
  q += '"';
  return q;
}

const SettingSpec* find_spec(const std::vector<SettingSpec>& specs, std::string_view key) {
  for (const auto& s : specs)
    if (s.key == key) return &s;
  return nullptr;
}

// Checks `text` against `spec`: the value, or an "expected ..., found ..." message.
bool check_value(const SettingSpec& spec, std::string_view text, SettingValue& value, std::string& message) {
  value.text = std::string(text);
  const std::string found = text.empty() ? "nothing" : quoted(text);
  switch (spec.kind) {
    case SettingKind::kText:
      if (!text.empty()) return true;
      message = "expected a value (leave the line out for the default), found nothing";
      return false;
    case SettingKind::kInteger: {
      long n = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (!text.empty() && ec == std::errc() && end == text.data() + text.size() && n >= spec.min && n <= spec.max) {
        value.integer = n;
        return true;
      }
      message = "expected a whole number " + std::to_string(spec.min) + "-" + std::to_string(spec.max) + ", found " + found;
      return false;
    }
    case SettingKind::kSwitch: {
      std::string lower(text);
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower == "true" || lower == "yes" || lower == "on" || lower == "1") {
        value.on = true;
        return true;
      }
      if (lower == "false" || lower == "no" || lower == "off" || lower == "0") {
        value.on = false;
        return true;
      }
      message = "expected true or false (yes/no, on/off, 1/0), found " + found;
      return false;
    }
    case SettingKind::kList: {
      std::string item;
      for (const char c : text) {
        if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
          if (!item.empty()) value.items.push_back(std::move(item));
          item.clear();
        } else {
          item += c;
        }
      }
      if (!item.empty()) value.items.push_back(std::move(item));
      if (!value.items.empty()) return true;
      message = "expected one or more items separated by commas or spaces, found " + found;
      return false;
    }
  }
  return false;
}

}  // namespace

const std::vector<SettingSpec>& serve_settings() {
  using K = SettingKind;
  static const std::vector<SettingSpec> specs = {
      {"db", "--db", K::kText, 0, 0, "storage"},
      {"postgres", "--postgres", K::kText, 0, 0, "storage"},
      {"bind", "--bind", K::kText, 0, 0, ""},
      {"port", "--port", K::kInteger, 0, 65535, ""},
      {"threads", "--threads", K::kInteger, 1, 256, ""},
      {"workers", "--workers", K::kInteger, 1, 1024, ""},
      {"db_connections", "--db-connections", K::kInteger, 1, 1024, ""},
      {"data", "--data", K::kText, 0, 0, ""},
      {"web", "--web", K::kText, 0, 0, ""},
      {"public_url", "--public-url", K::kText, 0, 0, ""},
      {"access_log", "--no-access-log", K::kSwitch, 0, 0, ""},
      {"trusted_proxies", "--trusted-proxy", K::kList, 0, 0, ""},
      {"max_connections", "--max-connections", K::kInteger, 1, 1000000, ""},
      {"max_connections_per_address", "--max-connections-per-address", K::kInteger, 1, 1000000, ""},
  };
  return specs;
}

std::string variable_of(const SettingSpec& spec) {
  std::string name = "REBALANCE_" + spec.key;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  return name;
}

SettingLayer parse_config(std::string_view text, const std::string& file, const std::vector<SettingSpec>& specs) {
  SettingLayer layer;
  std::map<std::string, int> line_of;  // key -> the line that set it
  int number = 0;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++number;
    const std::string where = file + ":" + std::to_string(number);
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      layer.problems.push_back(where + ": expected a line `key = value` or a # comment, found " + quoted(line));
      continue;
    }
    const std::string key(trim(line.substr(0, eq)));
    const std::string_view value_text = trim(line.substr(eq + 1));
    if (key.empty()) {
      layer.problems.push_back(where + ": expected a key before '=', found nothing");
      continue;
    }
    const SettingSpec* spec = find_spec(specs, key);
    if (spec == nullptr) {
      layer.problems.push_back(where + ": " + key + ": expected a known setting, found an unknown key");
      continue;
    }
    if (const auto first = line_of.find(key); first != line_of.end()) {
      layer.problems.push_back(where + ": " + key + ": expected each key once, found it again (first on line " +
                               std::to_string(first->second) + ")");
      continue;
    }
    line_of[key] = number;
    if (!spec->group.empty()) {
      for (const auto& [other, other_line] : line_of)
        if (other != key && find_spec(specs, other)->group == spec->group)
          layer.problems.push_back(where + ": " + key + ": expected one of the settings that exclude each other, found " + other +
                                   " too (line " + std::to_string(other_line) + ")");
    }
    SettingValue value;
    value.origin = where;
    std::string message;
    if (!check_value(*spec, value_text, value, message)) {
      layer.problems.push_back(where + ": " + key + ": " + message);
      continue;
    }
    layer.values[key] = std::move(value);
  }
  return layer;
}

SettingLayer read_environment(const std::vector<SettingSpec>& specs, const std::function<const char*(const char*)>& lookup) {
  SettingLayer layer;
  std::map<std::string, std::string> named_by;  // group -> the variable that named it
  for (const auto& spec : specs) {
    const std::string name = variable_of(spec);
    const char* raw = lookup(name.c_str());
    if (raw == nullptr || *raw == '\0') continue;
    if (!spec.group.empty()) {
      if (const auto it = named_by.find(spec.group); it != named_by.end())
        layer.problems.push_back(name + ": " + spec.key + ": expected one of the settings that exclude each other, found " +
                                 it->second + " set too");
      named_by.emplace(spec.group, name);
    }
    SettingValue value;
    value.origin = name;
    value.from_environment = true;
    std::string message;
    if (!check_value(spec, trim(raw), value, message)) {
      layer.problems.push_back(name + ": " + spec.key + ": " + message);
      continue;
    }
    layer.values[spec.key] = std::move(value);
  }
  return layer;
}

std::map<std::string, SettingValue> merge_settings(const std::vector<SettingSpec>& specs, const std::set<std::string>& given,
                                                   const SettingLayer& environment, const SettingLayer& file) {
  // A group is named by a layer when that layer names any of its members.
  auto names_group = [&](const std::string& group, auto&& names) {
    return std::any_of(specs.begin(), specs.end(), [&](const SettingSpec& s) { return s.group == group && names(s); });
  };
  std::map<std::string, SettingValue> merged;
  for (const auto& spec : specs) {
    const bool on_command_line = spec.group.empty()
                                     ? given.count(spec.flag) > 0
                                     : names_group(spec.group, [&](const SettingSpec& s) { return given.count(s.flag) > 0; });
    if (on_command_line) continue;
    const bool from_environment =
        spec.group.empty() ? environment.values.count(spec.key) > 0
                           : names_group(spec.group, [&](const SettingSpec& s) { return environment.values.count(s.key) > 0; });
    const SettingLayer& layer = from_environment ? environment : file;
    if (const auto it = layer.values.find(spec.key); it != layer.values.end()) merged[spec.key] = it->second;
  }
  return merged;
}

}  // namespace rebalance::cli
