// A validator for the subset of JSON Schema the OpenAPI document uses
// (src/server/openapi.cpp): type, properties, required,
// additionalProperties, items, enum, const, $ref, anyOf, minimum, maximum.
// A schema keyword outside that subset is itself an error, so that the
// document cannot say more than the test checks.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace rebalance::testing {

class SchemaCheck {
 public:
  using Json = nlohmann::ordered_json;

  explicit SchemaCheck(const Json& components) : components_(components) {}

  // Every way `value` breaks `schema`, as "$.path: what".
  std::vector<std::string> problems(const Json& value, const Json& schema) const {
    std::vector<std::string> out;
    check(value, schema, "$", out, 0);
    return out;
  }

  // Keywords of `schema` (and the schemas in it) outside the subset.
  std::vector<std::string> unknown_keywords(const Json& schema, const std::string& where) const {
    std::vector<std::string> out;
    walk(schema, where, out);
    return out;
  }

 private:
  static bool is_type(const Json& v, const std::string& t) {
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "string") return v.is_string();
    if (t == "integer") return v.is_number_integer();
    if (t == "number") return v.is_number();
    if (t == "boolean") return v.is_boolean();
    if (t == "null") return v.is_null();
    return false;
  }

  void check(const Json& v, const Json& s, const std::string& path, std::vector<std::string>& out, int depth) const {
    if (depth > 64) {
      out.push_back(path + ": schema nests too deep");
      return;
    }
    if (s.contains("$ref")) {
      const std::string ref = s["$ref"];
      const std::string prefix = "#/components/schemas/";
      const std::string name = ref.substr(prefix.size());
      if (ref.rfind(prefix, 0) != 0 || !components_.contains(name)) {
        out.push_back(path + ": unresolved " + ref);
        return;
      }
      check(v, components_[name], path, out, depth + 1);
    }
    if (s.contains("anyOf")) {
      bool any = false;
      for (const auto& alt : s["anyOf"]) {
        std::vector<std::string> sub;
        check(v, alt, path, sub, depth + 1);
        any = any || sub.empty();
      }
      if (!any) out.push_back(path + ": matches none of anyOf");
    }
    if (s.contains("type")) {
      bool ok = false;
      if (s["type"].is_array()) {
        for (const auto& t : s["type"]) ok = ok || is_type(v, t.get<std::string>());
      } else {
        ok = is_type(v, s["type"].get<std::string>());
      }
      if (!ok) {
        out.push_back(path + ": expected " + s["type"].dump() + ", found " + v.dump().substr(0, 80));
        return;
      }
    }
    if (s.contains("const") && v != s["const"]) out.push_back(path + ": expected " + s["const"].dump());
    if (s.contains("enum") && std::find(s["enum"].begin(), s["enum"].end(), v) == s["enum"].end())
      out.push_back(path + ": " + v.dump().substr(0, 80) + " is not one of " + s["enum"].dump());
    if (v.is_number()) {
      if (s.contains("minimum") && v.get<double>() < s["minimum"].get<double>()) out.push_back(path + ": below minimum");
      if (s.contains("maximum") && v.get<double>() > s["maximum"].get<double>()) out.push_back(path + ": above maximum");
    }
    if (v.is_object()) {
      for (const auto& key : s.value("required", Json::array()))
        if (!v.contains(key.get<std::string>())) out.push_back(path + ": missing " + key.get<std::string>());
      const Json props = s.value("properties", Json::object());
      for (const auto& [key, item] : v.items()) {
        if (props.contains(key))
          check(item, props[key], path + "." + key, out, depth + 1);
        else if (s.contains("additionalProperties") && s["additionalProperties"].is_boolean() && !s["additionalProperties"])
          out.push_back(path + ": unexpected " + key);
        else if (s.contains("additionalProperties") && s["additionalProperties"].is_object())
          check(item, s["additionalProperties"], path + "." + key, out, depth + 1);
      }
    }
    if (v.is_array() && s.contains("items"))
      for (size_t i = 0; i < v.size(); ++i) check(v[i], s["items"], path + "[" + std::to_string(i) + "]", out, depth + 1);
  }

  void walk(const Json& s, const std::string& where, std::vector<std::string>& out) const {
    static const std::set<std::string> kKnown = {"type",  "properties", "required", "additionalProperties",
                                                 "items", "enum",       "const",    "$ref",
                                                 "anyOf", "minimum",    "maximum",  "description"};
    if (!s.is_object()) {
      out.push_back(where + ": a schema must be an object");
      return;
    }
    for (const auto& [key, value] : s.items()) {
      if (!kKnown.count(key)) out.push_back(where + ": unknown keyword " + key);
      if (key == "properties")
        for (const auto& [name, sub] : value.items()) walk(sub, where + ".properties." + name, out);
      if (key == "items" || (key == "additionalProperties" && value.is_object())) walk(value, where + "." + key, out);
      if (key == "anyOf")
        for (const auto& sub : value) walk(sub, where + ".anyOf", out);
      if (key == "$ref") {
        const std::string ref = value;
        if (!components_.contains(ref.substr(ref.rfind('/') + 1))) out.push_back(where + ": unresolved " + ref);
      }
    }
  }

  Json components_;
};

}  // namespace rebalance::testing
