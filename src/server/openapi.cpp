// The OpenAPI 3.1 document, built from the route table so that it cannot
// forget a route; schemas of the shared shapes are written out here.
#include <nlohmann/json.hpp>

#include "server/api.h"

namespace rebalance::server {
namespace {

using Json = nlohmann::ordered_json;

Json ref(const std::string& name) { return Json{{"$ref", "#/components/schemas/" + name}}; }

Json error_response(const std::string& text) {
  return Json{{"description", text}, {"content", {{"application/json", {{"schema", ref("Error")}}}}}};
}

std::string build() {
  Json doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = {{"title", "Rebalance API"},
                 {"version", "1"},
                 {"description",
                  "Assess clients, plan corrective programs and log sessions. Intakes, findings, programs and logs follow "
                  "the Rebalance contract (rebalance.intake/1, rebalance.assessment/1, rebalance.program/1, rebalance.log/1)."}};
  doc["servers"] = Json::array({{{"url", "/"}}});
  Json paths = Json::object();
  for (const auto& route : Api::routes()) {
    Json op;
    op["summary"] = route.summary;
    op["operationId"] = route.method + route.pattern;
    const bool open = route.access == Access::kPublic;
    if (!open)
      op["security"] = Json::array({{{"cookieSession", Json::array()}}, {{"bearerToken", Json::array()}}});
    else
      op["security"] = Json::array();
    Json parameters = Json::array();
    for (size_t at = route.pattern.find('{'); at != std::string::npos; at = route.pattern.find('{', at + 1)) {
      const std::string name = route.pattern.substr(at + 1, route.pattern.find('}', at) - at - 1);
      Json p{{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}};
      if (name == route.secret_parameter) p["description"] = "A secret: whoever holds it may read what it names";
      parameters.push_back(p);
    }
    if (!parameters.empty()) op["parameters"] = parameters;
    if (route.method == "POST" || route.method == "PATCH")
      op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    Json responses = Json::object();
    const std::string ok = std::to_string(route.success_status);
    std::string type = "application/json";
    if (route.pattern.ends_with(".ics")) type = "text/calendar";
    if (route.pattern.ends_with(".html")) type = "text/html";
    if (route.pattern.ends_with(".svg")) type = "image/svg+xml";
    if (ok == "204")
      responses[ok] = {{"description", "Done"}};
    else {
      const Json schema = type == "application/json" ? Json{{"type", "object"}} : Json{{"type", "string"}};
      Json content = Json::object();
      content[type] = Json{{"schema", schema}};
      responses[ok] = Json{{"description", "Success"}, {"content", content}};
    }
    if (route.method == "POST" || route.method == "PATCH") {
      responses["400"] = error_response("Bad body: the error names the JSON path");
      responses["413"] = error_response("Body over 1 MiB");
      responses["415"] = error_response("Not application/json");
    }
    if (!open) {
      responses["401"] = error_response("Not logged in");
      responses["403"] = error_response("Not allowed for this role, or CSRF token missing");
    }
    if (route.pattern.find('{') != std::string::npos) responses["404"] = error_response("No such resource (or not yours)");
    if (route.pattern.find("/auth/login") != std::string::npos) responses["429"] = error_response("Too many failed logins");
    op["responses"] = responses;
    std::string method = route.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    paths[route.pattern][method] = op;
  }
  doc["paths"] = paths;
  doc["components"] = {{"schemas",
                        {{"Error",
                          {{"type", "object"},
                           {"required", {"error"}},
                           {"properties",
                            {{"error",
                              {{"type", "object"},
                               {"required", {"code", "message"}},
                               {"properties",
                                {{"code", {{"type", "string"}}},
                                 {"message", {{"type", "string"}}},
                                 {"path", {{"type", "string"}, {"description", "JSON path of the offending field"}}},
                                 {"problems", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}}}}}}}},
                       {"securitySchemes",
                        {{"cookieSession",
                          {{"type", "apiKey"},
                           {"in", "cookie"},
                           {"name", "rb_session"},
                           {"description", "Browser session; unsafe methods also need the X-CSRF-Token header"}}},
                         {"bearerToken", {{"type", "http"}, {"scheme", "bearer"}}}}}};
  return doc.dump(2) + "\n";
}

}  // namespace

const std::string& openapi_document() {
  static const std::string kDocument = build();
  return kDocument;
}

}  // namespace rebalance::server
