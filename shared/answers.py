"""Response shapes that more than one service's JSON API answers with (described in
each /openapi.json, checked by the contract tests): an estimate with its interval, and
log entries whose fields vary with what was done."""
from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields


class EstimateSchema(Schema):
    """A figure with its sample size and 95 % interval (None: too few to judge)."""
    value = fields.Float(required=True, allow_none=True)
    n = fields.Integer(required=True)
    enough = fields.Boolean(required=True, metadata={"description": "Enough observations to judge"})
    ci95 = fields.List(fields.Float(allow_none=True), required=True, allow_none=True)


class AuditEntrySchema(Schema):
    """One staff action. Every entry names who, when and what; the other fields depend on
    the action (a policy change's reason, a cohort's id, an import's mentor id …)."""
    class Meta:
        unknown = INCLUDE

    who = fields.String(required=True)
    when = fields.String(required=True, metadata={"description": "ISO 8601, UTC"})
    action = fields.String(required=True)


class AuditLogSchema(Schema):
    entries = fields.List(fields.Nested(AuditEntrySchema), required=True)
