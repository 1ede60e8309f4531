"""Notifications: emails people about their sessions, with calendar invites.

Consumes session.invited and session.confirmed; emits notification.sent and
notification.failed.
"""
