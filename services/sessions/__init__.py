"""Sessions: schedules a critique session for each proposed match and serves the
mentor's signed accept / decline links.

Consumes match.proposed; emits session.invited, session.confirmed, session.declined
and session.unschedulable.
"""
