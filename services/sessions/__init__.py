"""Sessions: schedules a critique session for each proposed match and serves the
mentor's signed accept / decline links.

Consumes match.proposed (and notifications' reports, to know an invite's email went);
emits session.invited, session.confirmed, session.declined and session.unschedulable.
"""
