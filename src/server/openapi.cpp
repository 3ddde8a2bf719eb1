// The OpenAPI 3.1 document, built from the route table (routes.cpp) so that
// it cannot forget a route or say another status, media type or audience
// than dispatch uses; the schemas of the documents the API reads and writes
// are written out here, and a test (tests/server/openapi_test.cpp) validates
// real answers of every route against them.
#include <nlohmann/json.hpp>

#include "server/api.h"

namespace rebalance::server {
namespace {

using Json = nlohmann::ordered_json;

Json ref(const std::string& name) { return Json{{"$ref", "#/components/schemas/" + name}}; }

Json error_response(const std::string& text) {
  return Json{{"description", text}, {"content", {{"application/json", {{"schema", ref("Error")}}}}}};
}

// The schemas, in JSON Schema 2020-12 as OpenAPI 3.1 takes it. Only the
// keywords the test's validator knows are used: type, properties, required,
// additionalProperties, items, enum, const, $ref, anyOf, minimum, maximum,
// description.
const char* const kSchemas = R"json({
  "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
    "required": ["code", "message"], "properties": {
      "code": {"type": "string"}, "message": {"type": "string"},
      "path": {"type": "string", "description": "JSON path of the offending field"},
      "problems": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}}}}}},
  "Problem": {"type": "object", "required": ["path", "expected", "found", "message"], "properties": {
    "path": {"type": "string"}, "expected": {"type": "string"}, "found": {"type": "string"}, "message": {"type": "string"}}},
  "Health": {"type": "object", "required": ["status", "knowledge_base"], "properties": {
    "status": {"const": "ok"}, "knowledge_base": {"type": "string"}}},
  "Status": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}},
  "Deleted": {"type": "object", "required": ["deleted"], "properties": {"deleted": {"type": "string"}}},
  "Role": {"enum": ["admin", "practitioner", "client"]},
  "User": {"type": "object", "required": ["id", "email", "name", "role"], "properties": {
    "id": {"type": "string"}, "email": {"type": "string"}, "name": {"type": "string"},
    "role": {"$ref": "#/components/schemas/Role"}, "client_id": {"type": "string"},
    "created_at": {"type": "integer"}, "has_password": {"type": "boolean"}}},
  "UserList": {"type": "object", "required": ["users"], "properties": {
    "users": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}},
  "Session": {"type": "object", "required": ["user", "token", "csrf_token", "expires_at"], "properties": {
    "user": {"$ref": "#/components/schemas/User"}, "token": {"type": "string"}, "csrf_token": {"type": "string"},
    "expires_at": {"type": "integer"}}},
  "Me": {"type": "object", "required": ["user"], "properties": {
    "user": {"anyOf": [{"$ref": "#/components/schemas/User"}, {"type": "null"}]}, "csrf_token": {"type": "string"}}},
  "Setup": {"type": "object", "required": ["token", "email", "name", "password"], "properties": {
    "token": {"type": "string"}, "email": {"type": "string"}, "name": {"type": "string"}, "password": {"type": "string"}}},
  "Login": {"type": "object", "required": ["email", "password"], "properties": {
    "email": {"type": "string"}, "password": {"type": "string"}}},
  "AcceptInvite": {"type": "object", "required": ["token", "email", "password"], "properties": {
    "token": {"type": "string"}, "email": {"type": "string"}, "password": {"type": "string"}}},
  "PasswordReset": {"type": "object", "required": ["token", "password"], "properties": {
    "token": {"type": "string"}, "password": {"type": "string"}}},
  "NewUser": {"type": "object", "required": ["email", "name", "password", "role"], "properties": {
    "email": {"type": "string"}, "name": {"type": "string"}, "password": {"type": "string"},
    "role": {"enum": ["practitioner", "admin"]}}},
  "Link": {"type": "object", "required": ["kind", "id", "token", "link", "expires_at"], "properties": {
    "kind": {"enum": ["invite", "password_reset"]}, "id": {"type": "string"}, "token": {"type": "string"},
    "link": {"type": "string"}, "expires_at": {"type": "integer"}, "email": {"type": "string"}}},
  "AuditTrail": {"type": "object", "required": ["entries"], "properties": {"entries": {"type": "array", "items": {
    "type": "object", "required": ["id", "at", "user_id", "action", "resource", "resource_id", "client_id"],
    "properties": {"id": {"type": "integer"}, "at": {"type": "integer"}, "user_id": {"type": "string"},
      "action": {"type": "string"}, "resource": {"type": "string"}, "resource_id": {"type": "string"},
      "client_id": {"type": "string"}}}}}},
  "Client": {"type": "object", "required": ["id", "name", "email", "practitioner_id", "created_at", "updated_at"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "email": {"type": "string"},
      "notes": {"type": "string", "description": "The care team's notes; never shown to the client"},
      "practitioner_id": {"type": "string"}, "created_at": {"type": "integer"}, "updated_at": {"type": "integer"},
      "shared": {"type": "boolean"}, "has_account": {"type": "boolean"}, "unread_messages": {"type": "integer", "minimum": 0},
      "adherence": {"anyOf": [{"$ref": "#/components/schemas/AdherenceSummary"}, {"type": "null"}]}}},
  "AdherenceSummary": {"type": "object", "required": ["program_id", "consistency_percent", "current_streak",
      "missed_sessions", "last_log_date", "latest_log", "attention"], "properties": {
    "program_id": {"type": "string"}, "consistency_percent": {"type": ["number", "null"]},
    "current_streak": {"type": "integer"}, "missed_sessions": {"type": "integer"},
    "last_log_date": {"type": ["string", "null"]},
    "latest_log": {"type": ["object", "null"], "required": ["date", "week", "day", "skipped", "note"], "properties": {
      "date": {"type": "string"}, "week": {"type": "integer"}, "day": {"type": "integer"}, "skipped": {"type": "integer"},
      "note": {"type": ["string", "null"]}}},
    "attention": {"type": ["object", "null"], "required": ["reason", "date", "source"], "properties": {
      "reason": {"type": "string"}, "date": {"type": "string"}, "source": {"type": "string"}}}}},
  "ClientList": {"type": "object", "required": ["clients"], "properties": {
    "clients": {"type": "array", "items": {"$ref": "#/components/schemas/Client"}}}},
  "NewClient": {"type": "object", "required": ["name"], "properties": {
    "name": {"type": "string"}, "email": {"type": "string"}, "notes": {"type": "string"}}},
  "ClientChange": {"type": "object", "properties": {
    "name": {"type": "string"}, "email": {"type": "string"}, "notes": {"type": "string"}}},
  "Colleague": {"type": "object", "required": ["practitioner"], "properties": {
    "practitioner": {"type": "string", "description": "The colleague's account email"}}},
  "Sharing": {"type": "object", "required": ["client_id", "practitioner", "shared"], "properties": {
    "client_id": {"type": "string"}, "practitioner": {"type": "string"}, "shared": {"type": "boolean"}}},
  "ClientLinks": {"type": "object", "required": ["client_id", "account", "links"], "properties": {
    "client_id": {"type": "string"},
    "account": {"type": ["object", "null"], "required": ["id", "email", "created_at"], "properties": {
      "id": {"type": "string"}, "email": {"type": "string"}, "created_at": {"type": "integer"}}},
    "links": {"type": "array", "items": {"type": "object", "required": ["id", "kind", "created_by", "created_at", "expires_at"],
      "properties": {"id": {"type": "string"}, "kind": {"type": "string"}, "created_by": {"type": "string"},
        "created_at": {"type": "integer"}, "expires_at": {"type": ["integer", "null"]}}}}}},
  "Export": {"type": "object", "required": ["schema", "exported_at", "audience", "client", "messages"], "properties": {
    "schema": {"const": "rebalance.export/1"}, "exported_at": {"type": "integer"},
    "audience": {"enum": ["client", "care_team"]}, "client": {"$ref": "#/components/schemas/Client"},
    "assessments": {"type": "array", "items": {"$ref": "#/components/schemas/StoredDocument"}},
    "programs": {"type": "array", "items": {"$ref": "#/components/schemas/StoredDocument"}},
    "logs": {"type": "array", "items": {"$ref": "#/components/schemas/StoredDocument"}},
    "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}}}},
  "StoredDocument": {"type": "object", "required": ["id", "client_id", "knowledge_base", "created_at", "created_by",
      "input", "output"], "properties": {
    "id": {"type": "string"}, "client_id": {"type": "string"}, "parent_id": {"type": "string"},
    "knowledge_base": {"type": "string"}, "created_at": {"type": "integer"}, "created_by": {"type": "string"},
    "input": {"description": "The intake, program constraints or log as stored (validated)"},
    "output": {"description": "The findings or program as stored"},
    "review": {"type": "object"}}},
  "Message": {"type": "object", "required": ["id", "from", "author_name", "mine", "body", "created_at"], "properties": {
    "id": {"type": "string"}, "from": {"enum": ["client", "care_team"]}, "author_name": {"type": "string"},
    "mine": {"type": "boolean"}, "body": {"type": "string"}, "created_at": {"type": "integer"}}},
  "MessageThread": {"type": "object", "required": ["client_id", "messages", "more", "unread"], "properties": {
    "client_id": {"type": "string"}, "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
    "more": {"type": "boolean"}, "unread": {"type": "integer", "minimum": 0}}},
  "NewMessage": {"type": "object", "required": ["body"], "properties": {"body": {"type": "string"}}},
  "ReadMark": {"type": "object", "required": ["up_to"], "properties": {"up_to": {"type": "string"}}},
  "Unread": {"type": "object", "required": ["client_id", "unread"], "properties": {
    "client_id": {"type": "string"}, "unread": {"type": "integer", "minimum": 0}}},
  "Template": {"type": "object", "required": ["id", "kind", "name", "body", "created_at"], "properties": {
    "id": {"type": "string"}, "kind": {"enum": ["program", "test_set"]}, "name": {"type": "string"},
    "body": {"type": "object"}, "created_at": {"type": "integer"}}},
  "TemplateList": {"type": "object", "required": ["templates"], "properties": {
    "templates": {"type": "array", "items": {"$ref": "#/components/schemas/Template"}}}},
  "NewTemplate": {"type": "object", "required": ["name", "kind"], "properties": {
    "name": {"type": "string"}, "kind": {"enum": ["program", "test_set"]},
    "from_program": {"type": "string"}, "tests": {"type": "array", "items": {"type": "string"}}}},
  "Intake": {"type": "object", "required": ["schema"], "description": "rebalance.intake/1 (the Rebalance contract, section 2)",
    "properties": {"schema": {"const": "rebalance.intake/1"}}},
  "Validation": {"type": "object", "required": ["valid", "problems"], "properties": {
    "valid": {"type": "boolean"}, "problems": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}}}},
  "FindingKey": {"type": "object", "required": ["muscle", "side", "state"], "properties": {
    "muscle": {"type": "string"}, "side": {"enum": ["left", "right", "both"]}, "state": {"enum": ["tight", "weak"]}}},
  "Findings": {"type": "object", "required": ["schema", "knowledge_base", "findings", "asymmetries", "ratios", "patterns",
      "referrals"], "description": "rebalance.assessment/1 (the Rebalance contract, section 4)", "properties": {
    "id": {"type": "string"}, "client_id": {"type": "string"},
    "schema": {"const": "rebalance.assessment/1"},
    "knowledge_base": {"type": "object", "required": ["version"], "properties": {"version": {"type": "string"}}},
    "findings": {"type": "array", "items": {"type": "object",
      "required": ["muscle", "side", "state", "severity", "confidence", "evidence"], "properties": {
        "muscle": {"type": "string"}, "side": {"enum": ["left", "right", "both"]}, "state": {"enum": ["tight", "weak"]},
        "severity": {"enum": ["mild", "moderate", "severe"]}, "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "evidence": {"type": "array", "items": {"type": "object", "required": ["input", "source"], "properties": {
          "input": {"type": "string"}, "source": {"type": "string"}}}}}}},
    "asymmetries": {"type": "array", "items": {"type": "object", "required": ["measure"], "properties": {
      "measure": {"type": "string"}}}},
    "ratios": {"type": "array", "items": {"type": "object", "required": ["name", "side", "value"], "properties": {
      "name": {"type": "string"}, "side": {"type": "string"}, "value": {"type": "number"}}}},
    "patterns": {"type": "array", "items": {"type": "object", "required": ["id", "confidence"], "properties": {
      "id": {"type": "string"}, "confidence": {"type": "number"}}}},
    "referrals": {"type": "array", "items": {"type": "object", "required": ["reason"], "properties": {
      "reason": {"type": "string"}}}},
    "ignored_fields": {"type": "array", "items": {"type": "string"}}}},
  "AssessmentList": {"type": "object", "required": ["assessments"], "properties": {"assessments": {"type": "array",
    "items": {"type": "object", "required": ["id", "created_at", "knowledge_base"], "properties": {
      "id": {"type": "string"}, "created_at": {"type": "integer"}, "knowledge_base": {"type": "string"}}}}}},
  "Review": {"type": "object", "properties": {
    "dismiss": {"type": "array", "items": {"$ref": "#/components/schemas/FindingKey"}},
    "add": {"type": "array", "items": {"$ref": "#/components/schemas/FindingKey"}},
    "notes": {"type": "string"}}},
  "Edit": {"type": "object", "required": ["op"], "properties": {
    "op": {"enum": ["swap", "dose", "remove", "add", "reassess"]}, "exercise": {"type": "string"},
    "with": {"type": "string"}, "sets": {"type": "integer"}, "reps": {"type": "integer"},
    "hold_seconds": {"type": "number"}, "from": {"type": "string"}, "only_on": {"type": "string"},
    "day": {"type": "integer", "minimum": 1, "maximum": 7}, "side": {"enum": ["left", "right"]},
    "week": {"type": "integer"}, "date": {"type": "string"}}},
  "NewProgram": {"type": "object", "properties": {
    "assessment": {"type": "string"}, "template": {"type": "string"},
    "weeks": {"type": "integer", "minimum": 1, "maximum": 52}, "days_per_week": {"type": "integer", "minimum": 1, "maximum": 7},
    "minutes_per_session": {"type": "integer", "minimum": 5, "maximum": 180}, "start_date": {"type": "string"}}},
  "Revision": {"type": "object", "required": ["edits"], "properties": {
    "edits": {"type": "array", "items": {"$ref": "#/components/schemas/Edit"}},
    "dry_run": {"type": "boolean"}, "reason": {"type": "string"}}},
  "Adapt": {"type": "object", "properties": {"dry_run": {"type": "boolean"}}},
  "ProgramItem": {"type": "object", "required": ["exercise", "phase", "sets", "per_side", "targets"], "properties": {
    "exercise": {"type": "string"}, "phase": {"enum": ["stretch", "strengthen", "functional"]},
    "sets": {"type": "integer", "minimum": 1}, "reps": {"type": "integer", "minimum": 1},
    "hold_seconds": {"type": "number", "minimum": 0}, "per_side": {"type": "boolean"},
    "sets_by_side": {"type": "object", "properties": {"left": {"type": "integer"}, "right": {"type": "integer"}}},
    "targets": {"type": "array", "items": {"$ref": "#/components/schemas/FindingKey"}}, "note": {"type": "string"}}},
  "Program": {"type": "object", "required": ["schema", "knowledge_base", "weeks", "days_per_week", "minutes_per_session",
      "start_date", "omitted", "sessions"], "description": "rebalance.program/1 (the Rebalance contract, section 5); from the API also its id and place among the versions",
    "properties": {
      "id": {"type": ["string", "null"], "description": "null for a dry run"}, "client_id": {"type": "string"},
      "assessment_id": {"type": "string"}, "version": {"type": "integer", "minimum": 1},
      "supersedes": {"type": ["string", "null"]}, "edits": {"type": "array", "items": {"$ref": "#/components/schemas/Edit"}},
      "template": {"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
      "reason": {"type": "string"},
      "schema": {"const": "rebalance.program/1"},
      "knowledge_base": {"type": "object", "required": ["version"], "properties": {"version": {"type": "string"}}},
      "weeks": {"type": "integer", "minimum": 1}, "days_per_week": {"type": "integer", "minimum": 1, "maximum": 7},
      "minutes_per_session": {"type": "integer"}, "start_date": {"type": "string"},
      "omitted": {"type": "array", "items": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}}},
      "sessions": {"type": "array", "items": {"type": "object", "required": ["week", "day", "date", "estimated_minutes", "items"],
        "properties": {"week": {"type": "integer", "minimum": 1}, "day": {"type": "integer", "minimum": 1, "maximum": 7},
          "date": {"type": "string"}, "estimated_minutes": {"type": "number"},
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/ProgramItem"}}}}},
      "changes": {"type": "array", "items": {"type": "object", "required": ["kind", "from_week", "reason", "source"]}},
      "flags": {"type": "array", "items": {"type": "object", "required": ["date", "reason", "source", "exercises"]}}}},
  "ProgramList": {"type": "object", "required": ["programs"], "properties": {"programs": {"type": "array",
    "items": {"type": "object", "required": ["id", "created_at", "knowledge_base", "version", "supersedes"], "properties": {
      "id": {"type": "string"}, "created_at": {"type": "integer"}, "knowledge_base": {"type": "string"},
      "assessment_id": {"type": "string"}, "version": {"type": "integer"}, "supersedes": {"type": ["string", "null"]}}}}}},
  "SessionLog": {"type": "object", "required": ["schema", "week", "day", "date"],
    "description": "rebalance.log/1 (the Rebalance contract, section 6)", "properties": {
      "schema": {"const": "rebalance.log/1"}, "program": {"type": "string"},
      "week": {"type": "integer", "minimum": 1}, "day": {"type": "integer", "minimum": 1, "maximum": 7},
      "date": {"type": "string"}, "effort": {"type": "integer", "minimum": 0, "maximum": 10},
      "pain": {"type": "integer", "minimum": 0, "maximum": 10}, "note": {"type": "string"},
      "items": {"type": "array", "items": {"type": "object", "required": ["exercise"], "properties": {
        "exercise": {"type": "string"}, "sets_done": {"type": "integer", "minimum": 0},
        "reps_done": {"type": "array", "items": {"type": "integer"}}, "hold_seconds_done": {"type": "number"},
        "side": {"type": "string"}, "effort": {"type": "integer", "minimum": 0, "maximum": 10},
        "pain": {"type": "integer", "minimum": 0, "maximum": 10}}}}}},
  "LoggedSession": {"type": "object", "required": ["id", "program", "log"], "properties": {
    "id": {"type": "string"}, "program": {"type": "string"}, "log": {"$ref": "#/components/schemas/SessionLog"},
    "ignored_fields": {"type": "array", "items": {"type": "string"}}}},
  "LogList": {"type": "object", "required": ["logs"], "properties": {"logs": {"type": "array", "items": {
    "type": "object", "required": ["id", "created_at", "created_by", "log"], "properties": {
      "id": {"type": "string"}, "created_at": {"type": "integer"}, "created_by": {"type": "string"},
      "log": {"$ref": "#/components/schemas/SessionLog"}}}}}},
  "Term": {"type": "object", "required": ["id", "name"], "additionalProperties": false, "properties": {
    "id": {"type": "string"}, "name": {"type": "string"}}},
  "SidedObservation": {"type": "object", "required": ["id", "name", "sided"], "additionalProperties": false,
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "sided": {"type": "boolean"},
      "view": {"type": "string", "description": "overhead squat: the view it is seen from"}}},
  "Vocabulary": {"type": "object", "additionalProperties": false,
    "description": "The knowledge base's vocabularies the app offers, with names and hints",
    "required": ["knowledge_base", "regions", "equipment", "positions", "tags", "activities", "sitting", "red_flags",
      "red_flag_clusters", "severe_pain", "screening", "posture", "movement", "patterns", "ratios", "sport_profiles"],
    "properties": {
      "knowledge_base": {"type": "object", "required": ["version"], "properties": {"version": {"type": "string"}}},
      "regions": {"type": "array", "items": {"type": "object", "required": ["id", "name", "midline"],
        "additionalProperties": false, "properties": {"id": {"type": "string"}, "name": {"type": "string"},
          "midline": {"type": "boolean", "description": "pain there has no side"}}}},
      "equipment": {"type": "array", "items": {"$ref": "#/components/schemas/Term"}},
      "positions": {"type": "array", "items": {"$ref": "#/components/schemas/Term"}},
      "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Term"}},
      "activities": {"type": "array", "items": {"$ref": "#/components/schemas/Term"}},
      "sitting": {"type": "object", "required": ["hours_at_least"], "additionalProperties": false,
        "properties": {"hours_at_least": {"type": "number"}}},
      "red_flags": {"type": "array", "items": {"type": "object", "additionalProperties": false,
        "required": ["id", "name", "systemic", "urgency", "detail"], "properties": {
          "id": {"type": "string"}, "name": {"type": "string"},
          "systemic": {"type": "boolean", "description": "stops the whole program; otherwise exercises loading the region stop"},
          "urgency": {"enum": ["emergency", "urgent", "soon"]}, "detail": {"type": "string"}}}},
      "red_flag_clusters": {"type": "array", "items": {"type": "object", "additionalProperties": false,
        "required": ["id", "name", "flags", "min_count", "urgency", "systemic"], "properties": {
          "id": {"type": "string"}, "name": {"type": "string"}, "flags": {"type": "array", "items": {"type": "string"}},
          "min_count": {"type": "integer", "minimum": 1}, "age_at_least": {"type": "integer"},
          "urgency": {"enum": ["emergency", "urgent", "soon"]}, "systemic": {"type": "boolean"}}}},
      "severe_pain": {"type": "object", "required": ["min_intensity"], "additionalProperties": false,
        "properties": {"min_intensity": {"type": "integer", "minimum": 0, "maximum": 10}}},
      "screening": {"type": "array", "items": {"type": "object", "additionalProperties": false,
        "required": ["id", "name", "parameters", "referral"], "properties": {
          "id": {"type": "string"}, "name": {"type": "string"},
          "parameters": {"type": "array", "description": "values the item asks for, keys beside it in the intake",
            "items": {"type": "object", "required": ["id", "name", "kind", "required"], "additionalProperties": false,
              "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "kind": {"enum": ["region"]},
                "required": {"type": "boolean"}}}},
          "referral": {"type": "boolean"}}}},
      "posture": {"type": "array", "description": "keys of the intake's posture: boolean observations, number measures (unit, accepted range, limits; judged false: recorded only) and side answers a number names in its side_key",
        "items": {"type": "object", "required": ["id", "kind", "name"], "additionalProperties": false, "properties": {
          "id": {"type": "string"}, "kind": {"enum": ["boolean", "number", "side"]}, "name": {"type": "string"},
          "hint": {"type": "string"}, "unit": {"type": "string"}, "min": {"type": "number"}, "max": {"type": "number"},
          "below": {"type": "number"}, "above": {"type": "number"}, "judged": {"type": "boolean"},
          "side_key": {"type": "string"}}}},
      "movement": {"type": "object", "required": ["overhead_squat", "single_leg_squat", "fms"], "additionalProperties": false,
        "properties": {
          "overhead_squat": {"type": "array", "items": {"$ref": "#/components/schemas/SidedObservation"}},
          "single_leg_squat": {"type": "array", "items": {"$ref": "#/components/schemas/SidedObservation"}},
          "fms": {"type": "object", "required": ["tests", "clearing"], "additionalProperties": false, "properties": {
            "tests": {"type": "array", "items": {"$ref": "#/components/schemas/SidedObservation"}},
            "clearing": {"type": "array", "items": {"type": "object", "required": ["id", "name", "test"],
              "additionalProperties": false, "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                "test": {"type": "string"}}}}}}}},
      "patterns": {"type": "array", "items": {"$ref": "#/components/schemas/Term"}},
      "ratios": {"type": "array", "items": {"$ref": "#/components/schemas/Term"}},
      "sport_profiles": {"type": "array", "items": {"type": "object", "required": ["id", "name", "activities"],
        "additionalProperties": false, "properties": {"id": {"type": "string"}, "name": {"type": "string"},
          "activities": {"type": "array", "items": {"type": "string"}}}}}}},
  "SessionRef": {"type": "object", "required": ["week", "day", "date"], "additionalProperties": false, "properties": {
    "week": {"type": "integer", "minimum": 1}, "day": {"type": "integer", "minimum": 1, "maximum": 7},
    "date": {"type": "string"}}},
  "AdherenceWeek": {"type": "object", "additionalProperties": false,
    "required": ["week", "planned_sessions", "due_sessions", "completed_sessions", "planned_items", "completed_items"],
    "properties": {"week": {"type": "integer", "minimum": 1}, "planned_sessions": {"type": "integer", "minimum": 0},
      "due_sessions": {"type": "integer", "minimum": 0}, "completed_sessions": {"type": "integer", "minimum": 0},
      "planned_items": {"type": "integer", "minimum": 0}, "completed_items": {"type": "integer", "minimum": 0}}},
  "AdherenceFigures": {"type": "object", "additionalProperties": false,
    "description": "Planned against logged sessions up to as_of: due sessions are those dated up to then",
    "required": ["as_of", "due_sessions", "completed_sessions", "consistency_percent", "current_streak", "longest_streak",
      "missed", "next", "last_log_date", "weeks"], "properties": {
      "as_of": {"type": "string"}, "due_sessions": {"type": "integer", "minimum": 0},
      "completed_sessions": {"type": "integer", "minimum": 0},
      "consistency_percent": {"type": ["number", "null"], "minimum": 0, "maximum": 100,
        "description": "completed of due sessions; null before any is due"},
      "current_streak": {"type": "integer", "minimum": 0}, "longest_streak": {"type": "integer", "minimum": 0},
      "missed": {"type": "array", "items": {"$ref": "#/components/schemas/SessionRef"}},
      "next": {"anyOf": [{"$ref": "#/components/schemas/SessionRef"}, {"type": "null"}]},
      "last_log_date": {"type": ["string", "null"]},
      "weeks": {"type": "array", "items": {"$ref": "#/components/schemas/AdherenceWeek"}}}},
  "Progress": {"type": "object", "additionalProperties": false,
    "description": "rebalance.progress/1: the latest program's adherence, the logged sessions, and the comparison of the last two assessments",
    "required": ["schema", "knowledge_base", "client", "as_of", "program_id", "adherence", "sessions", "comparison"],
    "properties": {
      "schema": {"const": "rebalance.progress/1"},
      "knowledge_base": {"type": "object", "required": ["version"], "properties": {"version": {"type": "string"}}},
      "client": {"type": "string"}, "as_of": {"type": "string"}, "program_id": {"type": ["string", "null"]},
      "adherence": {"anyOf": [{"$ref": "#/components/schemas/AdherenceFigures"}, {"type": "null"}]},
      "sessions": {"type": "array", "items": {"type": "object", "additionalProperties": false,
        "required": ["date", "week", "day", "effort", "pain", "note"], "properties": {
          "date": {"type": "string"}, "week": {"type": "integer", "minimum": 1},
          "day": {"type": "integer", "minimum": 1, "maximum": 7},
          "effort": {"type": "integer", "minimum": 0, "maximum": 10},
          "pain": {"type": "integer", "minimum": 0, "maximum": 10}, "note": {"type": "string"}}}},
      "comparison": {"anyOf": [{"type": "object", "required": ["before", "after", "findings"], "properties": {
        "before": {"type": "string"}, "after": {"type": "string"},
        "findings": {"type": "array"}, "measures": {"type": "array"}}}, {"type": "null"}]}}},
  "FeedUrl": {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}},
  "Exercise": {"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
  "ExerciseList": {"type": "object", "required": ["exercises"], "properties": {
    "exercises": {"type": "array", "items": {"$ref": "#/components/schemas/Exercise"}}}}
})json";

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

std::string audience(const RouteInfo& route) {
  if (route.access == Access::kPublic) return "Anyone, without logging in.";
  if (route.access == Access::kOptionalLogin) return "Anyone; the caller is read when a session is given.";
  std::string who;
  auto add = [&](unsigned bit, const char* name) {
    if ((route.roles & bit) == 0) return;
    if (!who.empty()) who += ", ";
    who += name;
  };
  add(kAdmins, "admins");
  add(kPractitioners, "practitioners");
  add(kClients, "clients");
  return "Logged in as one of: " + who + ".";
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
    op["description"] = audience(route);
    op["operationId"] = route.method + route.pattern;
    if (route.access == Access::kPublic)
      op["security"] = Json::array();
    else if (route.access == Access::kOptionalLogin)
      op["security"] = Json::array({Json::object(), {{"cookieSession", Json::array()}}, {{"bearerToken", Json::array()}}});
    else
      op["security"] = Json::array({{{"cookieSession", Json::array()}}, {{"bearerToken", Json::array()}}});
    Json parameters = Json::array();
    for (size_t at = route.pattern.find('{'); at != std::string::npos; at = route.pattern.find('{', at + 1)) {
      const std::string name = route.pattern.substr(at + 1, route.pattern.find('}', at) - at - 1);
      Json p{{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}};
      if (name == route.secret_parameter) p["description"] = "A secret: whoever holds it may read what it names";
      parameters.push_back(p);
    }
    if (!parameters.empty()) op["parameters"] = parameters;
    const bool has_body = route.method == "POST" || route.method == "PATCH";
    if (has_body) {
      const Json schema = route.request_schema.empty() ? Json{{"type", "object"}} : ref(route.request_schema);
      op["requestBody"] = {{"required", !route.request_schema.empty()},
                           {"content", {{"application/json", {{"schema", schema}}}}}};
    }
    Json responses = Json::object();
    const std::string ok = std::to_string(route.success_status);
    if (route.content_type.empty()) {
      responses[ok] = {{"description", "Done"}};
    } else {
      Json schema = route.content_type != "application/json" ? Json{{"type", "string"}}
                    : route.response_schema.empty()          ? Json{{"type", "object"}}
                                                             : ref(route.response_schema);
      Json content = Json::object();
      content[route.content_type] = Json{{"schema", schema}};
      responses[ok] = Json{{"description", "Success"}, {"content", content}};
    }
    if (has_body) {
      responses["400"] = error_response("Bad body: the error names the JSON path");
      responses["413"] = error_response("Body over 1 MiB");
      responses["415"] = error_response("Not application/json");
    }
    if (route.access == Access::kLoggedIn) {
      responses["401"] = error_response("Not logged in");
      responses["403"] = error_response("Not allowed for this role, or CSRF token missing");
    }
    if (route.pattern.find('{') != std::string::npos) responses["404"] = error_response("No such resource (or not yours)");
    if (route.pattern.find("/auth/login") != std::string::npos) responses["429"] = error_response("Too many failed logins");
    op["responses"] = responses;
    paths[route.pattern][lower(route.method)] = op;
  }
  doc["paths"] = paths;
  Json schemas = Json::parse(kSchemas);
  // A program's adherence: its id, then the figures.
  Json adherence = schemas["AdherenceFigures"];
  adherence["description"] = "AdherenceFigures of one program version (its sessions, the logs of all its versions)";
  adherence["properties"]["program_id"] = {{"type", "string"}};
  adherence["required"].insert(adherence["required"].begin(), "program_id");
  schemas["Adherence"] = adherence;
  doc["components"] = {{"schemas", schemas},
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
