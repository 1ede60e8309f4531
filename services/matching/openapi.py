"""The OpenAPI 3.1 description of matching's HTTP API (served at /api/admin/openapi.json)."""
from __future__ import annotations

from typing import Any

from services.matching.domain import CRITERIA, REGION_PREFERENCES

_unit = {"type": "number", "minimum": 0, "maximum": 1}
_errors = {
    "401": {"description": "No or invalid staff token"},
    "403": {"description": "The token's role may not do this"},
    "422": {
        "description": "Field-level errors",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationError"}}},
    },
}


def _op(summary: str, role: str | None, body: str | None = None, responses: dict | None = None, **extra) -> dict:
    op: dict[str, Any] = {"summary": summary, "responses": {"200": {"description": "OK"}, **(responses or {})}}
    if role:
        op["security"] = [{"staffToken": []}]
        op["description"] = f"Needs the {role} role."
        op["responses"].update({k: v for k, v in _errors.items() if k != "422" or body})
    if body:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}},
        }
    op.update(extra)
    return op


def spec() -> dict:
    weights = {"type": "object", "additionalProperties": False, "required": list(CRITERIA),
               "properties": dict.fromkeys(CRITERIA, _unit)}
    fairness = {"type": "object", "additionalProperties": False,
                "required": ["region_preference", "min_overlap_hours", "group_attribute"],
                "properties": {
                    "region_preference": {"enum": list(REGION_PREFERENCES)},
                    "min_overlap_hours": {"type": "number", "minimum": 0, "maximum": 40},
                    "group_attribute": {"type": "string", "minLength": 1, "maxLength": 40},
                    "min_share": {"type": "object", "additionalProperties": _unit},
                    "exposure_boost": {"type": "number", "minimum": 0, "maximum": 2},
                    "access_boost": {"type": "object", "additionalProperties": _unit},
                    "excluded_mentors": {"type": "array", "items": {"type": "string"}, "maxItems": 10000}}}
    reason = {"type": "string", "minLength": 3, "maxLength": 500}
    path_id = lambda name: [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}]  # noqa: E731
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Twoshot matching",
            "version": "1",
            "description": "Weights, fairness policy, previews, the fairness report and cohort assignment "
            "for programme staff. Every write is audited.",
        },
        "components": {
            "securitySchemes": {"staffToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Weights": weights,
                "Fairness": fairness,
                "PolicyUpdate": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["weights", "fairness", "reason"],
                    "properties": {"weights": weights, "fairness": fairness, "reason": reason},
                },
                "Preview": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["weights", "fairness"],
                    "properties": {
                        "weights": weights,
                        "fairness": fairness,
                        "requests": {"type": "integer", "minimum": 1, "maximum": 1000},
                    },
                },
                "Rollback": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["version", "reason"],
                    "properties": {"version": {"type": "integer", "minimum": 1}, "reason": reason},
                },
                "Cohort": {
                    "type": "object",
                    "additionalProperties": False,
                    "description": "Either request_ids or cohort_code (the requests held under a programme code).",
                    "properties": {
                        "request_ids": {"type": "array", "minItems": 1, "maxItems": 20000, "items": {"type": "string"}},
                        "cohort_code": {"type": "string", "minLength": 1, "maxLength": 40},
                        "k": {"type": "integer", "minimum": 1, "maximum": 200},
                    },
                },
                "Reason": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["reason"],
                    "properties": {"reason": reason},
                },
                "ValidationError": {
                    "type": "object",
                    "properties": {"error": {"const": "validation"}, "fields": {"type": "object"}},
                },
            },
        },
        "paths": {
            "/api/weights": {"get": _op("Weights and policy in force", None)},
            "/api/mentors/{mentor_id}": {
                "get": _op(
                    "Is a mentor in the matching pool",
                    None,
                    parameters=path_id("mentor_id"),
                    responses={"404": {"description": "Unknown"}},
                )
            },
            "/api/admin/policy": {
                "get": _op("Current weights and fairness policy", "viewer"),
                "put": _op("Set weights and policy (a new, audited version)", "editor", "PolicyUpdate"),
            },
            "/api/admin/policy/versions": {"get": _op("Every policy version", "viewer")},
            "/api/admin/policy/rollback": {
                "post": _op("Make an old version current again (audited)", "editor", "Rollback")
            },
            "/api/admin/policy/preview": {
                "post": _op("What proposed weights would do to recent requests", "viewer", "Preview")
            },
            "/api/admin/audit": {"get": _op("Audit log: who, when, before, after, why", "viewer")},
            "/api/admin/fairness-report": {
                "get": _op(
                    "Fairness report (JSON, or CSV with ?format=csv)",
                    "viewer",
                    parameters=[{"name": "format", "in": "query", "schema": {"enum": ["json", "csv"]}}],
                )
            },
            "/api/admin/requests/{request_id}/proposals": {
                "get": _op("Proposals for a request, explained", "viewer", parameters=path_id("request_id"))
            },
            "/api/admin/cohorts": {
                "post": _op(
                    "Assign a cohort exactly (a draft to confirm)",
                    "editor",
                    "Cohort",
                    responses={"201": {"description": "Draft created"}},
                )
            },
            "/api/admin/cohorts/{cohort_id}": {
                "get": _op("A cohort assignment", "viewer", parameters=path_id("cohort_id"))
            },
            "/api/admin/cohorts/{cohort_id}/confirm": {
                "post": _op(
                    "Send the cohort's proposals",
                    "editor",
                    "Reason",
                    parameters=path_id("cohort_id"),
                    responses={"409": {"description": "Already confirmed"}},
                )
            },
            "/api/admin/model/train": {
                "post": _op("Train the outcome model; live only if it beats the hand-set weights", "editor", "Reason")
            },
            "/api/admin/model": {"get": _op("The outcome model and whether it is live", "viewer")},
        },
    }
