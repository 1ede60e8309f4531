"""Notifications' staff API: the delivery log per request."""
from __future__ import annotations

from flask import jsonify
from marshmallow import INCLUDE, Schema, fields

from services.notifications.bootstrap import Notifications
from shared.openapi import ApiBlueprint
from shared.web import service, staff_only

bp = ApiBlueprint("api", __name__)


class Delivery(Schema):
    """One email: sent or failed, to whom, when, in which language (a failure also says why)."""
    class Meta:
        unknown = INCLUDE

    notification_id = fields.String(required=True)
    kind = fields.String(required=True)
    recipient_role = fields.String(required=True)
    to = fields.String(required=True)
    to_name = fields.String(required=True)
    to_id = fields.String(required=True)
    subject = fields.String(required=True)
    session_id = fields.String(required=True, allow_none=True)
    locale = fields.String(required=True)
    status = fields.String(required=True)


class DeliveriesAnswer(Schema):
    request_id = fields.String(required=True)
    deliveries = fields.List(fields.Nested(Delivery), required=True)
    queued = fields.Integer(required=True, metadata={"description": "Emails waiting to be sent, all requests"})


@bp.operation("/api/admin/requests/<request_id>/deliveries", "GET", "Every email for a request",
              ok={200: DeliveriesAnswer}, role="viewer")
@staff_only("viewer")
def deliveries(request_id: str):
    """Every email for a request: sent or failed, to whom, when, in which language."""
    notifications = service(Notifications)
    return jsonify(request_id=request_id, deliveries=notifications.mail.deliveries(request_id),
                   queued=notifications.mail.pending())
