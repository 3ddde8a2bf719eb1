#include "core/detail/json_reader.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace rebalance::detail {
namespace {

// `value` with every number's type spelt out: nlohmann's == holds 1 and 1.0
// equal, and a document must come back typed as nlohmann's parser types it.
std::string typed(const Json& value) {
  std::string out;
  switch (value.type()) {
    case Json::value_t::object:
      out = "{";
      for (auto it = value.begin(); it != value.end(); ++it) out += Json(it.key()).dump() + ":" + typed(it.value()) + ",";
      return out + "}";
    case Json::value_t::array:
      out = "[";
      for (const auto& v : value) out += typed(v) + ",";
      return out + "]";
    case Json::value_t::number_integer:
      return "i" + std::to_string(value.get<std::int64_t>());
    case Json::value_t::number_unsigned:
      return "u" + std::to_string(value.get<std::uint64_t>());
    case Json::value_t::number_float: {
      const double d = value.get<double>();
      std::uint64_t bits = 0;
      std::memcpy(&bits, &d, sizeof bits);
      return "f" + std::to_string(bits);
    }
    default:
      return value.dump();
  }
}

std::optional<Json> parse(std::string_view text, Problems& problems) { return parse_untrusted<Json>(text, problems); }

TEST(JsonReader, WellFormedDocumentsComeBackAsNlohmannParsesThem) {
  for (const char* text : {R"({"a": 1, "b": -2, "c": 0, "d": -0, "e": 1.5, "f": -1e-3, "g": 2E+2, "h": 1e400})",
                           R"([18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809])",
                           R"(["\"\\\/\b\f\n\r\t", "caf\u00e9", "\ud83d\ude00", "\u0000", "façade ≥ 😀"])",
                           "\xEF\xBB\xBF {\"byte order mark\": true}",
                           " \t\r\n[ true , false , null , { } , [ ] ] \n",
                           R"({"nested": {"deeper": [[[{"deepest": 4.9e-324}]]]}})"}) {
    SCOPED_TRACE(text);
    Problems problems("test");
    const auto ours = parse(text, problems);
    const bool finite = std::string(text).find("1e400") == std::string::npos;
    if (!finite) {
      EXPECT_FALSE(ours);  // a number a double cannot hold is a problem
      continue;
    }
    ASSERT_TRUE(ours);
    EXPECT_TRUE(problems.empty());
    EXPECT_EQ(typed(*ours), typed(Json::parse(text)));
  }
}

TEST(JsonReader, RepeatedKeysAndDeepNestingAreProblemsWithTheirPath) {
  Problems repeated("test");
  EXPECT_FALSE(parse(R"({"a": {"b": 1, "b": 2}})", repeated));
  ASSERT_EQ(repeated.list().size(), 1u);
  EXPECT_EQ(repeated.list()[0].path, "$.a.b");

  Problems deep("test");
  EXPECT_FALSE(parse(std::string(33, '[') + std::string(33, ']'), deep));
  ASSERT_EQ(deep.list().size(), 1u);
  EXPECT_EQ(deep.list()[0].expected, "JSON nested at most 32 levels deep");
  Problems shallow("test");
  EXPECT_TRUE(parse(std::string(32, '[') + std::string(32, ']'), shallow));
}

TEST(JsonReader, MalformedTextIsASyntaxErrorAtItsPosition) {
  for (const char* text : {"", "{", "[1,]", R"({"a" 1})", R"({"a":1,})", "[01]", "[1.]", "[.5]", "[-]", "[1e]", "tru",
                           "[1 2]", "\"unterminated", "\"\x01\"", "\"\\x\"", "\"\xC0\xAF\"", "\"\xED\xA0\x80\"", "{} []"}) {
    SCOPED_TRACE(text);
    Problems problems("test");
    EXPECT_FALSE(parse(text, problems));
    ASSERT_FALSE(problems.empty());
    EXPECT_EQ(problems.list()[0].expected, "valid JSON");
  }
}

// Seeded mutations of a document: whatever nlohmann accepts comes back equal
// and equally typed, or is refused with a problem (a repeated key); whatever
// it refuses is refused with a problem.
TEST(JsonReader, MutatedDocumentsAgreeWithNlohmann) {
  const std::string seed =
      R"({"client": {"age": 41, "sex": "female", "height_cm": 168.5}, "rom": [{"test": "thomas_test", "side": "left",)"
      R"( "positive": true}, {"test": "straight_leg_raise", "side": "right", "degrees": -12.25e1}], "notes": "caf\u00e9 \"ok\""})";
  const std::vector<std::string> pieces{"{", "}", "[", "]", ",", ":", "\"", "\\", "0", "-", ".", "e", "1e999", "\"k\":1",
                                        "\xC3\xA9", "\xFF", " ", "null", "\n", "\"client\":2"};
  std::mt19937 random(14);
  for (int round = 0; round < 3000; ++round) {
    std::string text = seed;
    for (int edits = 1 + static_cast<int>(random() % 3); edits > 0; --edits) {
      const size_t at = random() % (text.size() + 1);
      switch (random() % 3) {
        case 0:
          if (at < text.size()) text.erase(at, 1);
          break;
        case 1:
          text.insert(at, pieces[random() % pieces.size()]);
          break;
        default:
          if (at < text.size()) text[at] = static_cast<char>(random() % 256);
      }
    }
    SCOPED_TRACE(text);
    Problems problems("test");
    const auto ours = parse(text, problems);
    if (!Json::accept(text)) {
      EXPECT_FALSE(ours);
      EXPECT_FALSE(problems.empty());
    } else if (ours) {
      EXPECT_TRUE(problems.empty());
      EXPECT_EQ(typed(*ours), typed(Json::parse(text)));
    } else {
      ASSERT_FALSE(problems.empty());
      EXPECT_EQ(problems.list()[0].expected, "each key once in an object");
    }
  }
}

TEST(JsonReader, ValidatedOnlyKeepsWhatWasReadAndNamesWhatWasDropped) {
  Problems problems("test");
  const auto doc = parse(R"({"kept": {"a": 1, "b": [1, {"c": 2, "d": 3}]}, "dropped": {"x": 1}, "extra": 7})", problems);
  ASSERT_TRUE(doc);
  ObjectReader root(problems, *doc, "$");
  ObjectReader kept(problems, *root.get("kept"), "$.kept");
  kept.get("a");
  const Json& list = *kept.get("b");
  ObjectReader inner(problems, list[1], "$.kept.b[1]");
  inner.get("c");
  std::vector<std::string> dropped;
  const Json out = validated_only(*doc, problems, &dropped);
  EXPECT_EQ(out.dump(), R"({"kept":{"a":1,"b":[1,{"c":2}]}})");
  EXPECT_EQ(dropped, (std::vector<std::string>{"$.dropped", "$.extra", "$.kept.b[1].d"}));
}

}  // namespace
}  // namespace rebalance::detail
