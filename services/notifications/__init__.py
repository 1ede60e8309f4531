"""Notifications: emails people about their sessions, with calendar invites.

Consumes every event someone is emailed about (handlers.EVENTS: a request accepted, a
session's and a mentorship's steps, a mentor's links); emits notification.sent and
notification.failed.
"""
