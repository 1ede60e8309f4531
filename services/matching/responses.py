"""What matching's JSON API answers: one schema per response, in /openapi.json, so the
contract tests check every body that comes back (unknown fields refused unless said)."""
from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, validate

from services.matching.schemas import FairnessSchema, WeightsSchema
from shared.answers import EstimateSchema

_GROUP = fields.String(metadata={"description": "A group of the policy's group attribute (a region by default)"})


class WeightsAnswer(Schema):
    version = fields.Integer(required=True)
    criteria = fields.List(fields.String(), required=True)
    weights = fields.Dict(keys=fields.String(), values=fields.Float(), required=True,
                          metadata={"description": "Normalised to add up to 1"})
    region_preference = fields.String(required=True)
    region_preferences = fields.List(fields.String(), required=True)
    min_overlap_hours = fields.Float(required=True)


class MentorInPoolAnswer(Schema):
    id = fields.String(required=True)
    disciplines = fields.List(fields.String(), required=True)
    region = fields.String(required=True)
    languages = fields.List(fields.String(), required=True)
    monthly_capacity = fields.Integer(required=True)


class PolicyAnswer(Schema):
    """A policy version (0: the built-in defaults)."""
    version = fields.Integer(required=True)
    weights = fields.Nested(WeightsSchema, required=True)
    fairness = fields.Nested(FairnessSchema, required=True)
    author = fields.String(required=True)
    at = fields.String(required=True, metadata={"description": "ISO 8601, UTC; empty for the defaults"})
    reason = fields.String(required=True)
    unchanged = fields.Boolean(metadata={"description": "A change or rollback to the policy in force: no new version"})


class VersionsAnswer(Schema):
    versions = fields.List(fields.Nested(PolicyAnswer), required=True)


class ExposureShares(Schema):
    """One group's exposure, defined once for the preview and the report
    (``analysis.exposure_table``): exposure_share / eligible_share = exposure_ratio."""
    pool_share = fields.Float(required=True, metadata={"description": "Share of the whole pool (context)"})
    eligible_share = fields.Float(required=True, allow_none=True,
                                  metadata={"description": "Share of the exposure its eligible mentors would get"})
    exposure_share = fields.Float(required=True, allow_none=True,
                                  metadata={"description": "Share of the exposure the rankings gave"})
    exposure_ratio = fields.Float(required=True, allow_none=True)


class ExposureEnd(Schema):
    group = fields.String(required=True)
    exposure_ratio = fields.Float(required=True)


class ExposureTable(Schema):
    by_group = fields.Dict(keys=_GROUP, values=fields.Nested(ExposureShares), required=True)
    least_exposed = fields.Nested(ExposureEnd, required=True, allow_none=True)
    most_exposed = fields.Nested(ExposureEnd, required=True, allow_none=True)
    disparity_ratio = fields.Float(required=True, allow_none=True,
                                   metadata={"description": "Least exposed group's ratio / most exposed group's"})


class PreviewRun(Schema):
    exposure = fields.Nested(ExposureTable, required=True)
    mean_first_choice_score = fields.Float(required=True, allow_none=True)
    ndcg10 = fields.Float(required=True, allow_none=True)
    matched = fields.Integer(required=True)


class MentorLabel(Schema):
    """A mentor as staff tell one from another of the same name."""
    id = fields.String(required=True)
    name = fields.String(required=True)
    country = fields.String(required=True)
    disciplines = fields.List(fields.String(), required=True)
    suffix = fields.String(required=True, metadata={"description": "The id's last six characters"})


class MovedRanking(Schema):
    request_id = fields.String(required=True)
    before = fields.List(fields.String(), required=True, metadata={"description": "The first three mentor ids"})
    after = fields.List(fields.String(), required=True)
    mentors = fields.Dict(keys=fields.String(), values=fields.Nested(MentorLabel), required=True,
                          metadata={"description": "Who each id in before and after is"})


class PreviewAnswer(Schema):
    requests = fields.Integer(required=True)
    current = fields.Nested(PreviewRun, required=True)
    proposed = fields.Nested(PreviewRun, required=True)
    change = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    rankings_that_move = fields.Integer(required=True)
    samples = fields.List(fields.Nested(MovedRanking), required=True)


class DeadLetterAnswer(Schema):
    id = fields.String(required=True)
    topic = fields.String(required=True)
    partition = fields.Integer(required=True)
    offset = fields.Integer(required=True)
    group = fields.String(required=True)
    reason = fields.String(required=True)
    failed_at = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    key = fields.String(required=True, allow_none=True, metadata={"description": "Never sent in a list"})
    value = fields.String(required=True, allow_none=True, metadata={"description": "Never sent in a list"})
    stub = fields.Boolean(required=True)
    replays = fields.List(fields.Dict(), required=True)
    preview = fields.String(required=True, metadata={"description": "The record's first 300 bytes, as text"})


class DeadLettersAnswer(Schema):
    entries = fields.List(fields.Nested(DeadLetterAnswer), required=True)


class ReplayAnswer(Schema):
    id = fields.String(required=True)
    topic = fields.String(required=True)
    replays = fields.List(fields.Dict(), required=True)


class ExposureGroup(ExposureShares):
    estimate = fields.Nested(EstimateSchema, required=True, allow_none=True)


class Exposure(ExposureTable):
    by_group = fields.Dict(keys=_GROUP, values=fields.Nested(ExposureGroup), required=True)
    four_fifths_line = fields.Float(required=True)
    meets_four_fifths = fields.Boolean(required=True, allow_none=True)


class Access(Schema):
    requests = fields.Integer(required=True)
    mean_first_choice_score = fields.Float(required=True)
    estimate = fields.Nested(EstimateSchema, required=True)


class Load(Schema):
    month = fields.String(required=True)
    gini = fields.Float(required=True)
    mentors = fields.Integer(required=True)
    proposals = fields.Integer(required=True)


class Acceptance(Schema):
    outcomes = fields.Integer(required=True)
    rate = fields.Float(required=True)
    estimate = fields.Nested(EstimateSchema, required=True)


class Thresholds(Schema):
    rankings = fields.Integer(required=True)
    outcomes = fields.Integer(required=True)
    requests = fields.Integer(required=True)


class FairnessReportAnswer(Schema):
    generated_at = fields.String(required=True)
    policy_version = fields.Integer(required=True)
    live_scoring = fields.String(required=True)
    group_attribute = fields.String(required=True)
    exposure = fields.Nested(Exposure, required=True)
    skew_at_10 = fields.Dict(keys=_GROUP, values=fields.Float(allow_none=True), required=True)
    trainee_access = fields.Dict(keys=fields.String(), values=fields.Nested(Access), required=True)
    load = fields.Nested(Load, required=True)  # type: ignore[assignment]  # a field, not Schema.load
    acceptance_rate = fields.Dict(keys=_GROUP, values=fields.Nested(Acceptance), required=True)
    critiques_by_mentor_group = fields.Dict(keys=_GROUP, values=fields.Integer(), required=True)
    thresholds = fields.Nested(Thresholds, required=True)


class QuietDays(Schema):
    median = fields.Float(required=True, allow_none=True)
    max = fields.Integer(required=True, allow_none=True)
    n = fields.Integer(required=True)


class EarlyEnd(Schema):
    by = fields.String(required=True)
    reason = fields.String(required=True)
    at = fields.String(required=True)
    mentor_group = fields.String(required=True)
    trainee_group = fields.String(required=True)


class EndedEarly(Schema):
    n = fields.Integer(required=True)
    by = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    reasons = fields.List(fields.Nested(EarlyEnd), required=True)


class WaitingFollowUp(Schema):
    mentorship_id = fields.String(required=True)
    session_id = fields.String(required=True)
    mentor_id = fields.String(required=True)
    mentor_name = fields.String(required=True)
    mentor_group = fields.String(required=True)
    trainee_group = fields.String(required=True)
    waiting_on = fields.String(required=True)
    since = fields.String(required=True)
    start = fields.String(required=True)
    expires_at = fields.String(required=True)
    reminded = fields.Boolean(required=True)
    days_waiting = fields.Integer(required=True)


class SurveySide(Schema):
    answers = fields.Integer(required=True)
    useful = fields.Nested(EstimateSchema, required=True)
    again = fields.Nested(EstimateSchema, required=True)


class SurveyComment(Schema):
    role = fields.String(required=True)
    comment = fields.String(required=True)
    at = fields.String(required=True)
    useful = fields.Integer(required=True)
    mentor_group = fields.String(required=True)
    trainee_group = fields.String(required=True)


class Survey(Schema):
    trainee = fields.Nested(SurveySide, required=True)
    mentor = fields.Nested(SurveySide, required=True)
    comments = fields.List(fields.Nested(SurveyComment), required=True)


class PairGroup(Schema):
    pairs = fields.Integer(required=True)
    active = fields.Integer(required=True)
    ended_early = fields.Integer(required=True)
    continuation = fields.Nested(EstimateSchema, required=True)
    sessions_per_pair = fields.Nested(EstimateSchema, required=True)


class MentorshipHealthAnswer(Schema):
    pairs = fields.Integer(required=True)
    active_pairs = fields.Integer(required=True)
    sessions_per_pair = fields.Nested(EstimateSchema, required=True)
    days_since_last_session = fields.Nested(QuietDays, required=True)
    ended_early = fields.Nested(EndedEarly, required=True)
    waiting_follow_ups = fields.List(fields.Nested(WaitingFollowUp), required=True)
    survey = fields.Nested(Survey, required=True)
    by_mentor_group = fields.Dict(keys=_GROUP, values=fields.Nested(PairGroup), required=True)
    by_trainee_group = fields.Dict(keys=_GROUP, values=fields.Nested(PairGroup), required=True)


class Proposal(Schema):
    """A proposal as matching made it: the mentor, the score and its breakdown by
    criterion, and how it was made (attempt, policy version …)."""
    class Meta:
        unknown = INCLUDE

    mentor = fields.Dict(required=True)
    score = fields.Float(required=True)


class ProposalsAnswer(Schema):
    request_id = fields.String(required=True)
    proposals = fields.List(fields.Nested(Proposal), required=True)


class Written(Schema):
    """What a trainee or a mentor typed, as typed."""
    id = fields.String(required=True, metadata={"description": "The event that carried it"})
    at = fields.String(required=True, metadata={"description": "ISO 8601, UTC"})
    event = fields.String(required=True, metadata={"description": "e.g. session.declined, mentorship.ended"})
    by = fields.String(required=True, validate=validate.OneOf(["trainee", "mentor"]))
    person = fields.Dict(required=True, metadata={"description": "The author's id"})
    follow_up = fields.Boolean(required=True, metadata={"description": "About a later session of the pair"})
    shared = fields.Boolean(required=True, metadata={"description": "The other person reads it too"})
    text = fields.String(required=True)


class MessagesAnswer(Schema):
    request_id = fields.String(required=True)
    messages = fields.List(fields.Nested(Written), required=True)


class Assignment(Schema):
    request_id = fields.String(required=True)
    mentor_id = fields.String(required=True)
    score = fields.Float(required=True)
    breakdown = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    features = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)


class Unassigned(Schema):
    request_id = fields.String(required=True)
    reason = fields.String(required=True)


class CohortAnswer(Schema):
    id = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "draft, then confirmed"})
    created_by = fields.String(required=True)
    at = fields.String(required=True)
    policy_version = fields.Integer(required=True)
    assignments = fields.List(fields.Nested(Assignment), required=True)
    unassigned = fields.List(fields.Nested(Unassigned), required=True)
    utility = fields.Float(required=True)
    coverage = fields.Float(required=True)
    confirmed_by = fields.String()
    confirmed_at = fields.String()
    skipped = fields.List(fields.Nested(Unassigned), metadata={"description": "Changed since the draft"})


class ModelAnswer(Schema):
    """The outcome model; without one, only ``live: false`` and the reason."""
    live = fields.Boolean(required=True)
    reason = fields.String(required=True)
    weights = fields.Dict(keys=fields.String(), values=fields.Float())
    cv_ndcg10_model = fields.Float(allow_none=True)
    cv_ndcg10_hand = fields.Float(allow_none=True)
    outcomes = fields.Integer()
    trained_at = fields.String()
