// The settings of `rebalance serve` from outside its command line: the
// environment (REBALANCE_* variables) and a config file of `key = value`
// lines. Precedence: command-line flag > environment > config file > the
// flag's default. Pure: the caller reads the file and the environment.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rebalance::cli {

// The config file serve reads when neither --config nor REBALANCE_CONFIG
// names one, if it exists (the Debian package installs it).
inline constexpr const char* kDefaultConfigFile = "/etc/rebalance/rebalance.conf";

// What a setting's value must look like.
enum class SettingKind {
  kText,     // any non-empty text: a path, an address, a URL
  kInteger,  // a decimal integer in [min, max]
  kSwitch,   // true/false, yes/no, on/off, 1/0
  kList,     // one or more items separated by commas and/or spaces
};

// One setting: its key in the file, the flag it stands for, what it accepts.
// Its variable is "REBALANCE_" + the key in upper case (port: REBALANCE_PORT).
struct SettingSpec {
  std::string key;   // "max_connections"
  std::string flag;  // "--max-connections"
  SettingKind kind = SettingKind::kText;
  long min = 0, max = 0;  // kInteger only
  // Settings that exclude each other share a group (db and postgres): one
  // layer may name only one of them, and the layer of highest precedence that
  // names one decides for the whole group.
  std::string group;
};

// The settings `rebalance serve` reads: one per flag of serve, plus the
// global --data.
const std::vector<SettingSpec>& serve_settings();

// "REBALANCE_" + upper-case key.
std::string variable_of(const SettingSpec& spec);

// A value that passed its spec's check, and where it came from.
struct SettingValue {
  std::string text;                // as written, trimmed
  long integer = 0;                // kInteger
  bool on = false;                 // kSwitch
  std::vector<std::string> items;  // kList
  std::string origin;              // "/etc/rebalance/rebalance.conf:12", "REBALANCE_PORT"
  bool from_environment = false;

  // How a message names this value: its variable, or FILE:LINE and its key.
  std::string named(const std::string& key) const { return from_environment ? origin : origin + ": " + key; }
};

// The values one source gave, by key, and its problems: one line each,
// "ORIGIN: KEY: expected ..., found ..." (ORIGIN is FILE:LINE or the variable).
struct SettingLayer {
  std::map<std::string, SettingValue> values;
  std::vector<std::string> problems;
};

// Parses a config file's text, named `file` in messages. Blank lines and
// lines whose first non-blank character is '#' are skipped; every other line
// is `key = value` (blanks around both are trimmed; a '#' after the value is
// part of it). A line without '=', an unknown key, a key given twice, two keys
// of one group and a value its spec refuses are problems naming FILE:LINE and
// the key. Every problem of the file is reported, not only the first.
SettingLayer parse_config(std::string_view text, const std::string& file, const std::vector<SettingSpec>& specs);

// Reads REBALANCE_<KEY> for every spec through `lookup` (getenv: nullptr when
// unset). An unset or empty variable is absent (as REBALANCE_DATA and
// REBALANCE_WEB always were); any other value is checked like the file's.
SettingLayer read_environment(const std::vector<SettingSpec>& specs, const std::function<const char*(const char*)>& lookup);

// The value of each setting whose flag is not in `given` (the flags set on the
// command line): the environment's, else the file's; a group is taken as a
// whole from the first of flags, environment, file that names any member.
// Settings no source names are absent (their flag's default applies).
std::map<std::string, SettingValue> merge_settings(const std::vector<SettingSpec>& specs, const std::set<std::string>& given,
                                                   const SettingLayer& environment, const SettingLayer& file);

}  // namespace rebalance::cli
