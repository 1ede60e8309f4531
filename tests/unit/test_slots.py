import itertools
from datetime import UTC, datetime, timedelta

from services.sessions.domain import MOVE_PASSED, Session, SessionError, find_slot, free_slots, video_room_url
from shared.availability import Window

UTC = UTC
NOW = datetime(2026, 3, 23, 9, 7, tzinfo=UTC)  # a Monday


def test_the_earliest_slot_is_at_least_24_hours_ahead_and_inside_both_availabilities():
    trainee = [Window(d, "17:00", "21:00") for d in range(7)]      # Accra, UTC+0
    mentor = [Window(d, "19:00", "22:00") for d in range(7)]       # Paris, UTC+1 in March before DST
    start, end = find_slot(trainee, "Africa/Accra", mentor, "Europe/Paris", [], NOW)
    assert start >= NOW + timedelta(hours=24)
    assert (start, end) == (datetime(2026, 3, 24, 18, tzinfo=UTC), datetime(2026, 3, 24, 19, tzinfo=UTC))


def test_a_slot_respects_the_dst_change_of_one_side():
    # Paris moves to UTC+2 on Sunday 29 March 2026; Accra stays UTC+0.
    trainee = [Window(0, "17:00", "18:00")]                       # Mondays 17–18 UTC
    mentor = [Window(0, "19:00", "20:00")]                        # Mondays 19–20 Paris
    now = datetime(2026, 3, 22, 12, tzinfo=UTC)
    slot = find_slot(trainee, "Africa/Accra", mentor, "Europe/Paris", [], now)
    # 23 March: Paris 19:00 = 18:00 UTC (no overlap); 30 March: Paris 19:00 = 17:00 UTC.
    assert slot == (datetime(2026, 3, 30, 17, tzinfo=UTC), datetime(2026, 3, 30, 18, tzinfo=UTC))


def test_a_mentor_is_never_double_booked():
    both = [Window(1, "10:00", "12:00")]
    busy = [(datetime(2026, 3, 24, 10, tzinfo=UTC), datetime(2026, 3, 24, 11, tzinfo=UTC))]
    start, _ = find_slot(both, "UTC", both, "UTC", busy, NOW)
    assert start == datetime(2026, 3, 24, 11, tzinfo=UTC)


def test_no_slot_when_the_two_never_overlap():
    assert find_slot([Window(0, "08:00", "09:00")], "UTC", [Window(0, "10:00", "11:00")], "UTC", [], NOW) is None


def test_slot_starts_are_rounded_to_the_quarter_hour():
    both = [Window(d, "00:00", "24:00") for d in range(7)]
    start, _ = find_slot(both, "UTC", both, "UTC", [], NOW)
    assert start == datetime(2026, 3, 24, 9, 15, tzinfo=UTC)


def _session(**kw):
    base = {"id": "s1", "request_id": "r1", "match_id": "m1", "mentor": {}, "trainee": {}, "discipline": "camera",
                "start": NOW.isoformat(), "end": NOW.isoformat(), "video_url": "v", "state": "invited", "sequence": 0,
                "invited_at": NOW.isoformat(), "expires_at": (NOW + timedelta(hours=72)).isoformat()}
    base.update(kw)
    return Session(**base)


def test_an_invitation_can_be_answered_once():
    s = _session()
    s.accept(NOW)
    try:
        s.decline(NOW, "changed my mind")
    except SessionError as exc:
        assert exc.code == "already_answered"
    else:
        raise AssertionError("a second answer was accepted")
    assert s.state == "confirmed"


def test_an_expired_invitation_cannot_be_accepted():
    s = _session()
    try:
        s.accept(NOW + timedelta(hours=73))
    except SessionError as exc:
        assert exc.code == "expired"
    else:
        raise AssertionError("an expired invitation was accepted")


def test_video_rooms_are_unguessable_and_under_the_configured_base():
    a, b = video_room_url("https://meet.example.org/"), video_room_url("https://meet.example.org")
    assert a.startswith("https://meet.example.org/twoshot-") and a != b
    assert len(a.removeprefix("https://meet.example.org/twoshot-")) >= 24


def test_a_proposed_time_replaces_the_first_only_when_the_trainee_accepts():
    s = _session()
    later = (NOW + timedelta(days=2), NOW + timedelta(days=2, hours=1))
    s.propose_slot(NOW, later)
    assert s.state == "slot_proposed" and s.start == NOW.isoformat()
    s.answer_slot(True)
    assert (s.state, s.start, s.sequence) == ("confirmed", later[0].isoformat(), 1)
    declined = _session()
    declined.propose_slot(NOW, later)
    declined.answer_slot(False)
    assert declined.state == "declined" and declined.start == NOW.isoformat()


def test_a_confirmed_session_moves_only_when_the_other_person_accepts():
    s = _session(state="confirmed")
    first, asked = s.start, (NOW + timedelta(days=3), NOW + timedelta(days=3, hours=1))
    s.ask_to_move("trainee", asked, "a shoot moved")
    assert (s.start, s.sequence, s.move_by, s.move_reason) == (first, 0, "trainee", "a shoot moved")
    try:
        s.answer_move("trainee", True, NOW)                      # whoever asked cannot answer it
    except SessionError as exc:
        assert exc.code == "wrong_state"
    else:
        raise AssertionError("the asker answered their own new time")
    s.answer_move("mentor", False, NOW)                          # kept: nothing moves
    assert (s.start, s.sequence, s.move_by) == (first, 0, "")
    s.ask_to_move("mentor", asked)
    try:
        s.answer_move("trainee", True, asked[0])                 # the new time has come: too late
    except SessionError as exc:
        assert exc.code == MOVE_PASSED
    else:
        raise AssertionError("a new time already begun was accepted")
    s.answer_move("trainee", True, NOW)
    assert (s.start, s.sequence, s.state, s.move_by) == (asked[0].isoformat(), 1, "confirmed", "")
    try:
        s.answer_move("trainee", True, NOW)
    except SessionError as exc:
        assert exc.code == "already_answered"
    else:
        raise AssertionError("a move was answered twice")


def test_cancelling_raises_the_sequence_drops_a_waiting_move_and_ends_moves():
    s = _session(state="confirmed")
    s.ask_to_move("mentor", (NOW + timedelta(days=3), NOW + timedelta(days=3, hours=1)))
    s.cancel("trainee", "ill")
    assert (s.sequence, s.state, s.cancelled_by, s.move_by) == (1, "cancelled", "trainee", "")
    try:
        s.ask_to_move("trainee", (NOW, NOW))
    except SessionError as exc:
        assert exc.code == "already_answered"
    else:
        raise AssertionError("a cancelled session was moved")


def test_a_session_completes_only_after_it_ends_and_takes_one_critique_and_one_rating():
    s = _session(state="confirmed", end=(NOW + timedelta(hours=1)).isoformat())
    try:
        s.complete(NOW)
    except SessionError as exc:
        assert exc.code == "not_yet"
    s.complete(NOW + timedelta(hours=1))
    s.submit_critique({"rubric": [], "notes": [], "next_steps": "x" * 10})
    s.rate({"rating": 5, "comment": ""})
    for again in (lambda: s.submit_critique({}), lambda: s.rate({"rating": 1})):
        try:
            again()
        except SessionError as exc:
            assert exc.code == "already_answered"
        else:
            raise AssertionError("a second critique or rating was accepted")


def test_free_slots_are_spread_out_for_choosing():
    both = [Window(d, "08:00", "20:00") for d in range(7)]
    slots = free_slots(both, "UTC", both, "UTC", [], NOW, limit=4, spacing_minutes=180)
    assert len(slots) == 4 and all(b[0] - a[0] >= timedelta(hours=3) for a, b in itertools.pairwise(slots))


def test_time_codes_past_the_first_hour_are_read_whole_and_kept_as_typed():
    from services.sessions.schemas import parse_notes
    notes, bad = parse_notes("1:02:03 plan final grade\n01:25 soft focus\n12:05:59 – hold the wide\n75:10 long reel\n"
                             "1:02:03:04 too many\n1:62:03 no such minute")
    assert notes == [{"at": "1:02:03", "note": "plan final grade"}, {"at": "01:25", "note": "soft focus"},
                     {"at": "12:05:59", "note": "hold the wide"}, {"at": "75:10", "note": "long reel"}]
    assert bad == ["1:02:03:04 too many", "1:62:03 no such minute"]


def test_a_session_writes_out_what_asdict_wrote_and_reads_back_the_same():
    import json
    from dataclasses import asdict
    s = _session(critique={"notes": ["tighter framing"], "rubric": [{"k": "focus", "v": 4}]},
                 why=[{"criterion": "skill", "share": 0.4}], focus_skills=["focus pulling"])
    assert s.to_dict() == asdict(s)
    assert Session(**json.loads(json.dumps(s.to_dict()))) == s
