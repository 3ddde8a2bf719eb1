// The settings of `rebalance serve` from a config file and the environment:
// the file's format, its problems by FILE:LINE and key, and the precedence
// flag > environment > file > default.
#include "cli/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <regex>

namespace rebalance::cli {
namespace {

const auto& specs = serve_settings();

SettingLayer parse(const std::string& text) { return parse_config(text, "rebalance.conf", specs); }

SettingLayer environment(const std::map<std::string, std::string>& vars) {
  return read_environment(specs, [&](const char* name) -> const char* {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  });
}

std::string joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return all;
}

TEST(ConfigFile, KeyValueLinesWithCommentsAndBlankLines) {
  const auto layer = parse(
      "# Rebalance\n"
      "\n"
      "   # indented comment\n"
      "port = 9000\n"
      "bind=0.0.0.0\n"
      "  public_url   =   https://rebalance.example.org/  \r\n"
      "access_log = no\n"
      "trusted_proxies = 127.0.0.1, 10.0.0.0/8 ::1\n"
      "db = /var/lib/rebalance/rebalance.db");
  EXPECT_TRUE(layer.problems.empty()) << joined(layer.problems);
  EXPECT_EQ(layer.values.at("port").integer, 9000);
  EXPECT_EQ(layer.values.at("port").origin, "rebalance.conf:4");
  EXPECT_EQ(layer.values.at("port").named("port"), "rebalance.conf:4: port");
  EXPECT_EQ(layer.values.at("bind").text, "0.0.0.0");
  EXPECT_EQ(layer.values.at("public_url").text, "https://rebalance.example.org/") << "blanks and CR trimmed";
  EXPECT_FALSE(layer.values.at("access_log").on);
  EXPECT_EQ(layer.values.at("trusted_proxies").items, (std::vector<std::string>{"127.0.0.1", "10.0.0.0/8", "::1"}));
  EXPECT_EQ(layer.values.at("db").text, "/var/lib/rebalance/rebalance.db") << "the last line needs no newline";
  EXPECT_EQ(layer.values.size(), 6u);
}

TEST(ConfigFile, AnEmptyFileSetsNothing) {
  EXPECT_TRUE(parse("").values.empty());
  EXPECT_TRUE(parse("").problems.empty());
  EXPECT_TRUE(parse("\n\n# only comments\n").values.empty());
}

TEST(ConfigFile, AnUnknownKeyNamesFileLineAndKey) {
  const auto layer = parse("port = 80\nprot = 8080\n");
  ASSERT_EQ(layer.problems.size(), 1u);
  EXPECT_EQ(layer.problems[0], "rebalance.conf:2: prot: expected a known setting, found an unknown key");
  EXPECT_EQ(parse("Port = 80\n").problems.size(), 1u) << "keys are case-sensitive";
  EXPECT_EQ(parse("max-connections = 80\n").problems.size(), 1u) << "keys use underscores, flags hyphens";
}

TEST(ConfigFile, BadValuesNameFileLineAndKey) {
  const std::map<std::string, std::string> cases = {
      {"port = 70000", "rebalance.conf:1: port: expected a whole number 0-65535, found \"70000\""},
      {"port = 80x", "rebalance.conf:1: port: expected a whole number 0-65535, found \"80x\""},
      {"port = -1", "rebalance.conf:1: port: expected a whole number 0-65535, found \"-1\""},
      {"port = 8 080", "rebalance.conf:1: port: expected a whole number 0-65535, found \"8 080\""},
      {"port = 99999999999999999999", "rebalance.conf:1: port: expected a whole number 0-65535, found \"99999999999999999999\""},
      {"threads = 0", "rebalance.conf:1: threads: expected a whole number 1-256, found \"0\""},
      {"workers =", "rebalance.conf:1: workers: expected a whole number 1-1024, found nothing"},
      {"db_connections = 0", "rebalance.conf:1: db_connections: expected a whole number 1-1024, found \"0\""},
      {"access_log = maybe", "rebalance.conf:1: access_log: expected true or false (yes/no, on/off, 1/0), found \"maybe\""},
      {"trusted_proxies = , ,",
       "rebalance.conf:1: trusted_proxies: expected one or more items separated by commas or spaces, "
       "found \", ,\""},
      {"bind =   ", "rebalance.conf:1: bind: expected a value (leave the line out for the default), found nothing"},
  };
  for (const auto& [text, problem] : cases) {
    const auto layer = parse(text);
    ASSERT_EQ(layer.problems.size(), 1u) << text;
    EXPECT_EQ(layer.problems[0], problem);
    EXPECT_TRUE(layer.values.empty()) << text;
  }
}

TEST(ConfigFile, AKeyGivenTwiceNamesBothLines) {
  const auto layer = parse("port = 80\n# again\nport = 81\n");
  ASSERT_EQ(layer.problems.size(), 1u);
  EXPECT_EQ(layer.problems[0], "rebalance.conf:3: port: expected each key once, found it again (first on line 1)");
}

TEST(ConfigFile, SQLiteAndPostgreSQLExcludeEachOther) {
  const auto layer = parse("db = /tmp/r.db\npostgres = postgresql://localhost/rebalance\n");
  ASSERT_EQ(layer.problems.size(), 1u);
  EXPECT_EQ(layer.problems[0],
            "rebalance.conf:2: postgres: expected one of the settings that exclude each other, found db too (line 1)");
}

TEST(ConfigFile, ALineThatIsNoSettingIsAProblem) {
  auto layer = parse("port 8080\n");
  ASSERT_EQ(layer.problems.size(), 1u);
  EXPECT_EQ(layer.problems[0], "rebalance.conf:1: expected a line `key = value` or a # comment, found \"port 8080\"");
  layer = parse(" = 8080\n");
  ASSERT_EQ(layer.problems.size(), 1u);
  EXPECT_EQ(layer.problems[0], "rebalance.conf:1: expected a key before '=', found nothing");
}

TEST(ConfigFile, EveryProblemIsReportedInOnePass) {
  const auto layer = parse("port = x\nnope = 1\nthreads = 2\nthreads = 3\nworkers = 0\n");
  ASSERT_EQ(layer.problems.size(), 4u) << joined(layer.problems);
  EXPECT_NE(layer.problems[0].find(":1: port:"), std::string::npos);
  EXPECT_NE(layer.problems[1].find(":2: nope:"), std::string::npos);
  EXPECT_NE(layer.problems[2].find(":4: threads:"), std::string::npos);
  EXPECT_NE(layer.problems[3].find(":5: workers:"), std::string::npos);
}

TEST(ConfigFile, AHashAfterAValueIsPartOfIt) {
  // Comments take a whole line, so a URL keeps its fragment and a number
  // followed by a comment is refused rather than silently cut.
  EXPECT_EQ(parse("public_url = https://x.example/#a\n").values.at("public_url").text, "https://x.example/#a");
  EXPECT_EQ(parse("port = 80 # web\n").problems.size(), 1u);
}

TEST(Environment, VariablesAreUpperCaseKeysAndCheckedLikeTheFile) {
  EXPECT_EQ(variable_of(specs.front()), "REBALANCE_DB");
  const auto layer = environment({{"REBALANCE_PORT", "9001"},
                                  {"REBALANCE_MAX_CONNECTIONS_PER_ADDRESS", "12"},
                                  {"REBALANCE_ACCESS_LOG", "off"},
                                  {"REBALANCE_THREADS", "many"},
                                  {"REBALANCE_BIND", ""},
                                  {"REBALANCE_PUBLIC_URL", "  "},
                                  {"PORT", "1"}});
  EXPECT_EQ(layer.values.at("port").integer, 9001);
  EXPECT_EQ(layer.values.at("port").origin, "REBALANCE_PORT");
  EXPECT_EQ(layer.values.at("port").named("port"), "REBALANCE_PORT");
  EXPECT_EQ(layer.values.at("max_connections_per_address").integer, 12);
  EXPECT_FALSE(layer.values.at("access_log").on);
  EXPECT_EQ(layer.values.count("bind"), 0u) << "an empty variable is an unset one";
  ASSERT_EQ(layer.problems.size(), 2u) << joined(layer.problems);
  EXPECT_EQ(layer.problems[0], "REBALANCE_THREADS: threads: expected a whole number 1-256, found \"many\"");
  EXPECT_EQ(layer.problems[1],
            "REBALANCE_PUBLIC_URL: public_url: expected a value (leave the line out for the default), "
            "found nothing")
      << "blanks only are no value";
}

TEST(Environment, SQLiteAndPostgreSQLExcludeEachOther) {
  const auto layer = environment({{"REBALANCE_DB", "a.db"}, {"REBALANCE_POSTGRES", "postgresql:///r"}});
  ASSERT_EQ(layer.problems.size(), 1u);
  EXPECT_NE(layer.problems[0].find("REBALANCE_POSTGRES: postgres: expected one of the settings that exclude each other"),
            std::string::npos);
}

TEST(Precedence, FlagOverEnvironmentOverFileOverDefault) {
  const auto file = parse("port = 1000\nbind = 0.0.0.0\nworkers = 8\n");
  const auto env = environment({{"REBALANCE_PORT", "2000"}, {"REBALANCE_BIND", "::1"}});
  const auto merged = merge_settings(specs, {"--port"}, env, file);
  EXPECT_EQ(merged.count("port"), 0u) << "the flag's own value stands";
  EXPECT_EQ(merged.at("bind").text, "::1") << "the environment over the file";
  EXPECT_EQ(merged.at("bind").origin, "REBALANCE_BIND");
  EXPECT_EQ(merged.at("workers").integer, 8) << "the file over the default";
  EXPECT_EQ(merged.at("workers").origin, "rebalance.conf:3");
  EXPECT_EQ(merged.count("threads"), 0u) << "named nowhere: the default";
}

TEST(Precedence, StorageIsChosenWholeByTheHighestLayerThatNamesIt) {
  const auto file = parse("postgres = postgresql:///rebalance\n");
  const auto env = environment({{"REBALANCE_DB", "/srv/r.db"}});
  auto merged = merge_settings(specs, {}, env, file);
  EXPECT_EQ(merged.at("db").text, "/srv/r.db");
  EXPECT_EQ(merged.count("postgres"), 0u) << "the file's PostgreSQL must not win over the environment's SQLite";
  merged = merge_settings(specs, {"--postgres"}, env, file);
  EXPECT_EQ(merged.count("db"), 0u) << "--postgres on the command line: no SQLite file from the environment";
  EXPECT_EQ(merged.count("postgres"), 0u);
  merged = merge_settings(specs, {}, environment({}), file);
  EXPECT_EQ(merged.at("postgres").text, "postgresql:///rebalance");
}

TEST(Settings, EachHasOneKeyOneFlagAndAVariable) {
  std::set<std::string> keys, flags;
  for (const auto& s : specs) {
    EXPECT_TRUE(keys.insert(s.key).second) << s.key;
    EXPECT_TRUE(flags.insert(s.flag).second) << s.flag;
    EXPECT_TRUE(std::regex_match(s.key, std::regex("[a-z][a-z_]*"))) << s.key;
    EXPECT_EQ(s.flag.rfind("--", 0), 0u) << s.flag;
    if (s.kind == SettingKind::kInteger) {
      EXPECT_LT(s.min, s.max) << s.key;
    }
  }
}

// The file the Debian package installs as /etc/rebalance/rebalance.conf
// parses as shipped and shows every setting (commented out, with its default,
// where the package does not set it).
TEST(Settings, TheShippedConfigFileParsesAndShowsEverySetting) {
  const std::string path = REBALANCE_SOURCE_DIR "/packaging/rebalance.conf";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto layer = parse_config(text, path, specs);
  EXPECT_TRUE(layer.problems.empty()) << joined(layer.problems);
  for (const auto& s : specs) {
    const std::regex shown("(^|\n)(# )?" + s.key + " = ");
    EXPECT_TRUE(std::regex_search(text, shown)) << s.key << " is not in " << path;
  }
}

}  // namespace
}  // namespace rebalance::cli
