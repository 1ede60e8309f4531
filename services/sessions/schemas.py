"""What the sessions forms accept: the critique and the rating."""
from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates

# A time code as typed: h:mm:ss (past the first hour) or mm:ss; h:mm:ss is tried first, or
# "1:02:03 plan" would read as 1:02 and a note "03 plan".
_NOTE = re.compile(r"^\s*(\d{1,2}:[0-5]\d:[0-5]\d|\d{1,3}:[0-5]\d)(?!\d|:\d)\s*[-–—:]?\s*(.+?)\s*$")


class RubricLineForm(Schema):
    criterion = fields.String(required=True)
    score = fields.Integer(required=True, validate=validate.Range(min=1, max=5, error="Give a score from 1 to 5."),
                           error_messages={"invalid": "Give a score from 1 to 5.",
                                           "required": "Give a score from 1 to 5."})
    comment = fields.String(load_default="", validate=validate.Length(max=2000))


class TechnicalUpdateForm(Schema):
    """One structured update beside the rubric: camera settings, codecs, LUTs, HDR practice."""
    equipment = fields.String(required=True, validate=validate.Length(
        min=1, max=200, error="Name the equipment or software (up to 200 characters)."))
    setting = fields.String(load_default="", validate=validate.Length(max=200))
    value = fields.String(required=True, validate=validate.Length(
        min=1, max=500, error="Give the recommended value or practice (up to 500 characters)."))
    link = fields.Url(load_default="", allow_none=False, schemes={"http", "https"},
                      error_messages={"invalid": "Enter a full web address starting with https://."})


UPDATE_ROWS = 3     # technical update rows on the critique form


class CritiqueForm(Schema):
    rubric = fields.List(fields.Nested(RubricLineForm), required=True)
    updates = fields.List(fields.Nested(TechnicalUpdateForm), load_default=list)
    notes = fields.List(fields.Dict(), required=True)
    next_steps = fields.String(required=True, validate=validate.Length(
        min=10, max=4000, error="Suggest next steps for the trainee (10 to 4000 characters)."))

    @validates("notes")
    def _notes(self, value, **kwargs):
        if len(value) > 100:
            raise ValidationError("At most 100 notes.")


NOTE_SHAPE = "Write each note as mm:ss (or h:mm:ss) and the note, e.g. 01:25 soft focus on the close-up."


def parse_notes(text: str) -> tuple[list[dict], list[str]]:
    """Lines of "mm:ss note" or "h:mm:ss note" → [{"at", "note"}] (the time as typed), and
    the lines that did not fit."""
    notes, bad = [], []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = _NOTE.match(line)
        if m:
            notes.append({"at": m.group(1), "note": m.group(2)})
        else:
            bad.append(line.strip())
    return notes, bad


class RatingForm(Schema):
    rating = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=5),
        error_messages={"required": "Choose from 1 to 5 stars.", "invalid": "Choose from 1 to 5 stars."},
    )
    comment = fields.String(load_default="", validate=validate.Length(max=2000))
