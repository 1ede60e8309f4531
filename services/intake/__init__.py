"""Intake: the trainee request form, mentor registration, and the request status page.

Emits profile.mentor_registered and mentorship.requested; consumes match.*,
session.* and notification.* to show each step on the status page.
"""
