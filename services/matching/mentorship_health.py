"""How mentorships go, for programme staff: active pairs, sessions per pair, days since
the last session, the ones ended early and why, and whether some groups' mentorships
fade sooner (continuation by mentor group and by trainee group, with sample sizes and
95 % intervals, as on the fairness report). Pure: records in, figures out.

A mentorship *continues* unless it ended early: ended by the trainee, the mentor or the
programme before its term. Active pairs count as continuing so far; the interval says how
much that can still move.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from statistics import median

from services.matching.analysis import mean_estimate, wilson

EARLY = ("trainee", "mentor", "programme")
TABLES = ("by_mentor_group", "by_trainee_group")


def ended_early(record: dict) -> bool:
    return record.get("state") == "ended" and record.get("ended_by") in EARLY


def _sessions(record: dict) -> int:
    return max(len(record.get("sessions", [])), int(record.get("sessions_held", 0)))


def _group_table(records: list[dict], field: str) -> dict[str, dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        groups[r.get(field, "unknown")].append(r)
    return {g: {"pairs": len(rs), "active": sum(r.get("state") != "ended" for r in rs),
                "ended_early": sum(ended_early(r) for r in rs),
                "continuation": wilson(sum(not ended_early(r) for r in rs), len(rs)).to_dict(),
                "sessions_per_pair": mean_estimate([float(_sessions(r)) for r in rs]).to_dict()}
            for g, rs in sorted(groups.items())}


def health(records: list[dict], now: datetime) -> dict:
    """The figures staff see on the console and get from the API."""
    records = [r for r in records if r.get("started_at")]     # a pair's events may still be on their way
    active = [r for r in records if r.get("state") != "ended"]
    quiet = [(now - datetime.fromisoformat(r["last_session_at"])).days for r in active if r.get("last_session_at")]
    early = [r for r in records if ended_early(r)]
    return {
        "pairs": len(records), "active_pairs": len(active),
        "sessions_per_pair": mean_estimate([float(_sessions(r)) for r in records]).to_dict(),
        "days_since_last_session": {"median": median(quiet) if quiet else None, "max": max(quiet, default=None),
                                    "n": len(quiet)},
        "ended_early": {"n": len(early), "by": dict(Counter(r["ended_by"] for r in early)),
                        # Staff read every reason (the person chose whether the other does).
                        "reasons": [{"by": r["ended_by"], "reason": r.get("reason", ""), "at": r.get("ended_at", ""),
                                     "mentor_group": r.get("mentor_group", "unknown"),
                                     "trainee_group": r.get("trainee_group", "unknown")}
                                    for r in sorted(early, key=lambda r: r.get("ended_at", ""), reverse=True)]},
        "waiting_follow_ups": waiting_follow_ups(active, now),
        "survey": survey(records),
        "by_mentor_group": _group_table(records, "mentor_group"),
        "by_trainee_group": _group_table(records, "trainee_group"),
    }


def waiting_follow_ups(active: list[dict], now: datetime) -> list[dict]:
    """Follow-up sessions still waiting for an answer, the longest-waiting first: on whom
    (the mentor an invite, the trainee a proposed time), since when, and whether the
    reminder before the answer-by time has gone out."""
    rows = [{"mentorship_id": r["mentorship_id"], "session_id": session_id, "mentor_id": r.get("mentor_id", ""),
             "mentor_group": r.get("mentor_group", "unknown"), "trainee_group": r.get("trainee_group", "unknown"),
             "waiting_on": w.get("on", "mentor"), "since": w["since"], "start": w.get("start", ""),
             "expires_at": w.get("expires_at", ""), "reminded": bool(w.get("reminded")),
             "days_waiting": (now - datetime.fromisoformat(w["since"])).days}
            for r in active for session_id, w in r.get("waiting", {}).items()]
    return sorted(rows, key=lambda row: row["since"])


def survey(records: list[dict]) -> dict:
    """The closing surveys: how useful each side found it (1–5) and whether they would take
    part again, with sample sizes and intervals, and every comment (staff only)."""
    out: dict = {}
    for role in ("trainee", "mentor"):
        answers = [r["survey"][role] for r in records if role in r.get("survey", {})]
        out[role] = {"answers": len(answers),
                     "useful": mean_estimate([float(a["useful"]) for a in answers]).to_dict(),
                     "again": wilson(sum(bool(a["again"]) for a in answers), len(answers)).to_dict()}
    out["comments"] = sorted(
        ({"role": role, "comment": a["comment"], "at": a.get("at", ""), "useful": a["useful"],
          "mentor_group": r.get("mentor_group", "unknown"), "trainee_group": r.get("trainee_group", "unknown")}
         for r in records for role, a in r.get("survey", {}).items() if a.get("comment")),
        key=lambda c: c["at"], reverse=True)
    return out
