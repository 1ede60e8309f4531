"""What the admin endpoints accept. Unknown fields are refused: a misspelt weight
must fail loudly, not be ignored."""
from __future__ import annotations

import marshmallow
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from services.matching.domain import CRITERIA, REGION_PREFERENCES

_unit = validate.Range(min=0.0, max=1.0, error="Must be between 0 and 1.")


class FairnessSchema(Schema):
    class Meta:
        unknown = RAISE

    region_preference = fields.String(required=True, validate=validate.OneOf(REGION_PREFERENCES))
    min_overlap_hours = fields.Float(required=True, validate=validate.Range(min=0.0, max=40.0))
    group_attribute = fields.String(required=True, validate=validate.Length(min=1, max=40))
    min_share = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=80)),
                            values=fields.Float(validate=_unit), load_default=dict)
    exposure_boost = fields.Float(load_default=0.0, validate=validate.Range(min=0.0, max=2.0))
    access_boost = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=80)),
                               values=fields.Float(validate=_unit), load_default=dict)
    excluded_mentors = fields.List(fields.String(validate=validate.Length(min=1, max=64)), load_default=list,
                                   validate=validate.Length(max=10000))

    @validates("min_share")
    def _total(self, value, **kwargs):
        if sum(value.values()) > 1.0 + 1e-9:
            raise ValidationError("The minimum shares add up to more than 1.")


class WeightsSchema(Schema):
    class Meta:
        unknown = RAISE

    skill = fields.Float(required=True, validate=_unit)
    level = fields.Float(required=True, validate=_unit)
    language = fields.Float(required=True, validate=_unit)
    availability = fields.Float(required=True, validate=_unit)
    region = fields.Float(required=True, validate=_unit)
    # marshmallow takes declared fields off the class, so this does not shadow Schema.load.
    load = fields.Float(required=True, validate=_unit)  # type: ignore[assignment]
    equity = fields.Float(required=True, validate=_unit)

    @validates_schema
    def _some_weight(self, data, **kwargs):
        if data and all(data.get(c, 0) == 0 for c in CRITERIA):
            raise ValidationError("At least one weight must be above 0.")


def _reason() -> fields.String:
    """Why a change is made: the audit log keeps it."""
    return fields.String(required=True, validate=validate.Length(
        min=3, max=500, error="Say why, in 3 to 500 characters: the audit log keeps it."))


class PolicyUpdateSchema(Schema):
    class Meta:
        unknown = RAISE

    weights = fields.Nested(WeightsSchema, required=True)
    fairness = fields.Nested(FairnessSchema, required=True)
    reason = _reason()


class PartialWeightsSchema(WeightsSchema):
    """Any of the weights; the others stay as they are."""

    def on_bind_field(self, field_name, field_obj):
        field_obj.required = False

    @validates_schema
    def _some_weight(self, data, **kwargs):
        """Checked on the merged policy (admin.merged), not on the part sent."""


class PartialFairnessSchema(FairnessSchema):
    def on_bind_field(self, field_name, field_obj):
        field_obj.required = False
        field_obj.load_default = marshmallow.missing


class PolicyPatchSchema(Schema):
    """A change of one or more settings, with a reason; what is not named stays."""
    class Meta:
        unknown = RAISE

    weights = fields.Nested(PartialWeightsSchema, load_default=dict)
    fairness = fields.Nested(PartialFairnessSchema, load_default=dict)
    reason = _reason()

    @validates_schema
    def _something(self, data, **kwargs):
        if not data.get("weights") and not data.get("fairness"):
            raise ValidationError("Change at least one weight or fairness setting.", "weights")


class PreviewSchema(Schema):
    class Meta:
        unknown = RAISE

    weights = fields.Nested(WeightsSchema, required=True)
    fairness = fields.Nested(FairnessSchema, required=True)
    requests = fields.Integer(load_default=100, strict=True, validate=validate.Range(min=1, max=1000))


class RollbackSchema(Schema):
    class Meta:
        unknown = RAISE

    # A whole number, given as one: 0.9 or "1" is refused, never read as version 0 or 1.
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))   # 0: built-in defaults
    reason = _reason()


class CohortSchema(Schema):
    class Meta:
        unknown = RAISE

    request_ids = fields.List(fields.String(validate=validate.Length(min=1, max=64)),
                              validate=validate.Length(min=1, max=20000))
    cohort_code = fields.String(validate=validate.Length(min=1, max=40))
    k = fields.Integer(load_default=20, strict=True, validate=validate.Range(min=1, max=200))

    @validates_schema
    def _one_of(self, data, **kwargs):
        if ("request_ids" in data) == ("cohort_code" in data):
            raise ValidationError("Give either request_ids or cohort_code.", "request_ids")


class ReasonSchema(Schema):
    class Meta:
        unknown = RAISE

    reason = _reason()
