"""Matching: ranks mentors for each mentorship request and proposes the best one.

Consumes profile.mentor_registered, mentorship.requested, session.declined and
session.unschedulable; emits match.proposed and match.failed.
"""
