"""What programme staff do to matching: change and roll back the policy, preview a
change, read the fairness report, assign a cohort, train the outcome model. Every
write is audited (who, when, what before, what after, why)."""
from __future__ import annotations

import csv
import io
import unicodedata
import uuid
from collections.abc import Iterable

import numpy as np

from services.matching import analysis, cohort, learning
from services.matching.bootstrap import Matching, policy_objects
from services.matching.domain import CRITERIA, MentorProfile, TraineeRequest
from services.matching.handlers import propose_from_cohort
from services.matching.mentorship_health import health
from services.matching.pool import TraineeVector
from services.matching.ranker import load_vector, pool_shares
from services.matching.repository import cohort_key
from shared.deadletters import DeadLetter, DeadLetters
from shared.events import utcnow
from shared.geo import collation_key
from shared.staff import StaffMember
from shared.store import StillContended, claim


class NotFound(Exception):
    pass


class Conflict(Exception):
    pass


class Invalid(Exception):
    """Input that passed the schema but not the state: ``fields`` says where."""

    def __init__(self, fields: dict):
        super().__init__(str(fields))
        self.fields = fields


def merged(matching: Matching, data: dict) -> dict:
    """The policy in force with what ``data`` changes: any weights, any fairness settings."""
    current = matching.policies.current()
    weights = {c: (data.get("weights") or {}).get(c, current["weights"][c]) for c in CRITERIA}
    if all(w == 0 for w in weights.values()):
        raise Invalid({"weights": ["At least one weight must be above 0."]})
    fairness = {**current["fairness"], **(data.get("fairness") or {})}
    if sum(fairness.get("min_share", {}).values()) > 1.0 + 1e-9:
        raise Invalid({"fairness": {"min_share": ["The minimum shares add up to more than 1."]}})
    # Only ids added now are checked: one excluded earlier whose mentor has since been
    # erased must not block every later change.
    before = set(current["fairness"].get("excluded_mentors", []))
    unknown = [m for m in fairness.get("excluded_mentors", [])
               if m not in before and matching.repository.get_mentor(m) is None]
    if unknown:
        raise Invalid({"fairness": {"excluded_mentors": {m: ["Not a mentor's id."] for m in unknown}}})
    return {"weights": weights, "fairness": fairness}


def update_policy(matching: Matching, staff: StaffMember, data: dict) -> dict:
    """A change of some or all settings, merged with the policy in force."""
    return matching.policies.apply(merged(matching, data), staff.account, data["reason"], utcnow().isoformat())


def rollback(matching: Matching, staff: StaffMember, version: int, reason: str) -> dict:
    """Put version ``version`` (0: the built-in defaults) back in force. Rolling back to
    the policy already in force changes nothing and says so (``unchanged``)."""
    old = matching.policies.version(version)
    if old is None:
        raise Invalid({"version": [f"There is no version {version}."]})
    return matching.policies.apply({"weights": old["weights"], "fairness": old["fairness"]}, staff.account,
                                   f"rollback to version {version}: {reason}", utcnow().isoformat(), "rollback")


def _recent(matching: Matching, n: int) -> list[TraineeRequest]:
    out = []
    for request_id in matching.repository.recent_requests(n):
        request = matching.repository.get_request(request_id)
        if request is not None:
            out.append(request)
    return out


def preview(matching: Matching, data: dict) -> dict:
    matching.directory.refresh()
    current = matching.policy()
    proposed = policy_objects({"version": -1, "weights": data["weights"], "fairness": data["fairness"]})
    requests = _recent(matching, data["requests"])
    pool = matching.directory.pool
    out = analysis.preview(pool, requests, current, proposed,
                           shares=pool_shares(pool, proposed[1].group_attribute))
    for moved in out["samples"]:
        moved["mentors"] = {m: mentor_label(pool.profiles[pool.row_of[m]])
                            for m in dict.fromkeys([*moved["before"], *moved["after"]])}
    return out


def mentor_label(profile: MentorProfile) -> dict:
    """What tells a mentor from another of the same name, wherever staff see or pick one:
    the name, the country, the disciplines and the end of the id."""
    return {"id": profile.id, "name": profile.person.get("name", ""), "country": profile.person.get("country", ""),
            "disciplines": list(profile.disciplines), "suffix": profile.id[-6:]}


def mentor_labels(matching: Matching, mentor_ids: Iterable[str]) -> list[dict]:
    """Labels for these ids, in order; one whose profile is gone keeps its id alone."""
    ids = list(mentor_ids)
    return [mentor_label(profile) if profile else
            {"id": mentor_id, "name": "", "country": "", "disciplines": [], "suffix": mentor_id[-6:]}
            for mentor_id, profile in zip(ids, matching.repository.get_mentors(ids), strict=True)]


def find_mentors(matching: Matching, text: str, limit: int = 20) -> list[dict]:
    """Mentors in matching's pool whose name has a word starting with each word of
    ``text`` (case and accents as typed are ignored), sorted as people read names."""
    wanted = _folded(text).split()
    if not wanted:
        return []
    matching.directory.refresh()
    pool = matching.directory.pool

    def named(profile: MentorProfile) -> bool:
        parts = _folded(profile.person.get("name", "")).split()
        return all(any(part.startswith(w) for part in parts) for w in wanted)
    found = [p for row, p in enumerate(pool.profiles[: pool.rows]) if pool.active[row] and named(p)]
    found.sort(key=lambda p: (collation_key(p.person.get("name", "")), p.id))
    return [mentor_label(p) for p in found[:limit]]


def _folded(text: str) -> str:
    """Lower case without accents: "José" is found by "jose" and "JOSÉ"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def skipped(matching: Matching, request: TraineeRequest) -> dict[str, list[dict]]:
    """For a request, now: the mentors each hard filter leaves out (id and name)."""
    matching.directory.refresh()
    pool = matching.directory.pool
    _, policy = matching.policy()
    load = load_vector(pool, matching.repository.active_load(utcnow().strftime("%Y-%m")))
    out = pool.skipped(TraineeVector.of(request, pool.week_start), load, policy, request.tried)
    return {f: [{"id": m, "name": pool.profiles[pool.row_of[m]].person.get("name", m)} for m in ids]
            for f, ids in out.items()}


def fairness_report(matching: Matching) -> dict:
    matching.directory.refresh()
    pool = matching.directory.pool
    weights, policy = matching.policy()
    attribute = policy.group_attribute
    shares = pool_shares(pool, attribute)
    table = analysis.exposure_table(*matching.exposure.both(attribute), shares)
    month = utcnow().strftime("%Y-%m")
    load = load_vector(pool, matching.repository.active_load(month))[pool.active[: pool.rows]]
    proposals = matching.repository.all_proposals()
    access: dict[str, list[float]] = {}
    for p in proposals:
        if p.get("attempt") == 1:
            access.setdefault(f"region:{p.get('trainee_group', 'unknown')}", []).append(p["score"])
            equity = (p.get("equity") or {}).get("underrepresented", "not said")
            access.setdefault(f"underrepresented:{equity}", []).append(p["score"])
    outcomes = matching.repository.outcomes()
    acceptance: dict[str, list[int]] = {}
    for o in outcomes:
        if o["outcome"] not in ("accepted", "declined", "expired"):
            continue
        acceptance.setdefault(o.get("mentor_group", "unknown"), []).append(1 if o["outcome"] == "accepted" else 0)
    model = matching.models.get()
    disparity = table["disparity_ratio"]
    stats = matching.exposure.stats(attribute)
    estimates = {g: analysis.ratio_estimate(s.get("x", 0.0), s.get("y", 0.0), s.get("xx", 0.0), s.get("yy", 0.0),
                                            s.get("xy", 0.0), int(s.get("n", 0))).to_dict()
                 for g, s in stats.items()}
    return {
        "generated_at": utcnow().isoformat(),
        "policy_version": weights.version,
        "live_scoring": ("learnt model blended with hand-set weights: " + model.reason)
        if model and model.live
        else "hand-set weights" + (f" (model not live: {model.reason})" if model else ""),
        "group_attribute": attribute,
        "exposure": {
            **table,
            "four_fifths_line": analysis.FOUR_FIFTHS,
            "meets_four_fifths": None if disparity is None else disparity >= analysis.FOUR_FIFTHS,
            # Each group's ratio again over the rankings counted since per-ranking sums are
            # kept, with its 95 % interval and sample size (None: too few to judge).
            "by_group": {g: {**row, "estimate": estimates.get(g)} for g, row in table["by_group"].items()},
        },
        "skew_at_10": analysis.skew_at_10(matching.exposure.top10(attribute), shares),
        "trainee_access": {
            g: {"requests": len(v), "mean_first_choice_score": round(float(np.mean(v)), 4),
                "estimate": analysis.mean_estimate(v).to_dict()}
            for g, v in sorted(access.items())
        },
        "load": {
            "month": month,
            "gini": round(analysis.gini(load), 4),
            "mentors": len(load),
            "proposals": int(load.sum()),
        },
        "acceptance_rate": {
            g: {"outcomes": len(v), "rate": round(sum(v) / len(v), 4),
                "estimate": analysis.wilson(sum(v), len(v)).to_dict()} for g, v in sorted(acceptance.items())
        },
        "critiques_by_mentor_group": matching.repository.critiques_by_group(),
        "thresholds": {"rankings": analysis.MIN_RANKINGS, "outcomes": analysis.MIN_OUTCOMES,
                       "requests": analysis.MIN_REQUESTS},
    }


def _flat(values: dict) -> dict:
    """A group's figures with its estimate spread into columns (n, ci_low, ci_high)."""
    out = {k: v for k, v in values.items() if k != "estimate"}
    est = values.get("estimate")
    if est:
        ci = est.get("ci95") or [None, None]
        out.update(n=est["n"], ci95_low=ci[0], ci95_high=ci[1], enough_to_judge=est["enough"])
    return out


TABLES = ("exposure", "trainee_access", "acceptance_rate")


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A cell a spreadsheet will not run: text beginning with = + - @ or a tab (or carriage
    return) gets a leading apostrophe (OWASP's advice on CSV injection). Numbers stay
    numbers, so a negative figure is still written as one."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    """csv.writer whose every cell goes through ``csv_safe``."""

    def __init__(self, out):
        self._writer = csv.writer(out)

    def writerow(self, row) -> None:
        self._writer.writerow([csv_safe(v) for v in row])


def table_csv(report: dict, table: str) -> str:
    """One of the report's tables as CSV, one row per group."""
    rows = {"exposure": report["exposure"]["by_group"], "trainee_access": report["trainee_access"],
            "acceptance_rate": report["acceptance_rate"]}[table]
    flat = {g: _flat(v) for g, v in rows.items()}
    return _group_csv(flat, sorted({k for v in flat.values() for k in v}))


def _group_csv(rows: dict[str, dict], columns: list[str]) -> str:
    """One row per group, a column per figure, every cell through ``csv_safe``."""
    out = io.StringIO()
    w = _SafeWriter(out)
    w.writerow(["group", *columns])
    for g, v in rows.items():
        w.writerow([g, *[v.get(c) for c in columns]])
    return out.getvalue()


def mentorship_health(matching: Matching) -> dict:
    report = health(matching.repository.mentorships(), utcnow())
    for row in report["waiting_follow_ups"]:     # staff know mentors by name
        mentor = matching.repository.get_mentor(row["mentor_id"])
        row["mentor_name"] = mentor.person.get("name", "") if mentor else ""
    return report


def health_csv(report: dict, table: str) -> str:
    """One of the mentorship health tables as CSV, one row per group."""
    def flat(values: dict) -> dict:
        out: dict = {}
        for k, v in values.items():
            if isinstance(v, dict):     # an estimate: its value, sample size and interval in columns
                ci = v.get("ci95") or [None, None]
                out.update({k: v["value"], f"{k}_n": v["n"], f"{k}_ci95_low": ci[0], f"{k}_ci95_high": ci[1]})
            else:
                out[k] = v
        return out
    columns = ["pairs", "active", "ended_early", *[f"{e}{x}" for e in ("continuation", "sessions_per_pair")
                                                  for x in ("", "_n", "_ci95_low", "_ci95_high")]]
    return _group_csv({g: flat(v) for g, v in report[table].items()}, columns)


def report_csv(report: dict) -> str:
    """The report as rows of section, group, metric, value."""
    out = io.StringIO()
    w = _SafeWriter(out)
    w.writerow(["section", "group", "metric", "value"])
    w.writerow(["exposure", "all", "disparity_ratio", report["exposure"]["disparity_ratio"]])
    for end in ("least_exposed", "most_exposed"):
        if report["exposure"][end]:
            w.writerow(["exposure", report["exposure"][end]["group"], end, report["exposure"][end]["exposure_ratio"]])
    for g, v in report["exposure"]["by_group"].items():
        for k, x in _flat(v).items():
            w.writerow(["exposure", g, k, x])
    for g, x in report["skew_at_10"].items():
        w.writerow(["skew_at_10", g, "skew", x])
    for g, v in report["trainee_access"].items():
        for k, x in _flat(v).items():
            w.writerow(["trainee_access", g, k, x])
    for k, x in report["load"].items():
        w.writerow(["load", "all", k, x])
    for g, v in report["acceptance_rate"].items():
        for k, x in _flat(v).items():
            w.writerow(["acceptance_rate", g, k, x])
    return out.getvalue()


def create_cohort(matching: Matching, staff: StaffMember, request_ids: list[str], k: int) -> dict:
    """The exact assignment for a cohort, as a draft staff confirm before invites go out."""
    found = {r: matching.repository.get_request(r) for r in dict.fromkeys(request_ids)}
    unknown = [r for r, request in found.items() if request is None]
    if unknown:
        raise Invalid({"request_ids": {"unknown": unknown}})
    requests = [request for request in found.values() if request is not None]
    matching.directory.refresh()
    pool = matching.directory.pool
    weights, policy = matching.policy()
    busy = [r for r in requests if r.current_mentor is not None]
    free = [r for r in requests if r.current_mentor is None]
    month = utcnow().strftime("%Y-%m")
    load = load_vector(pool, matching.repository.active_load(month))
    unassigned = [{"request_id": r.request_id, "reason": "a proposal for this request is already in progress"}
                  for r in busy]
    assignments = []
    utility = 0.0
    if free:
        vectors = [TraineeVector.of(r, pool.week_start) for r in free]
        scores = pool.score_matrix(vectors, weights, policy, load)
        for i, r in enumerate(free):   # never a mentor already tried for this request
            for mentor_id in r.tried:
                if mentor_id in pool.row_of:
                    scores[i, pool.row_of[mentor_id]] = -np.inf
        capacity = np.maximum(pool.capacity[: pool.rows] - load, 0).astype(np.int64)
        capacity[~pool.active[: pool.rows]] = 0
        result = cohort.assign(scores, capacity, k=k)
        for i, r in enumerate(free):
            col = result.mentor_of[i]
            if col < 0:
                reason = ("no eligible mentor: none shares a language, has capacity and enough time in common"
                          if not np.isfinite(scores[i]).any() else
                          "every eligible mentor was at capacity in the best assignment for the cohort")
                unassigned.append({"request_id": r.request_id, "reason": reason})
                continue
            explained = pool.explain_pair(vectors[i], int(col), weights, policy, load)
            utility += explained.score
            assignments.append({"request_id": r.request_id, "mentor_id": explained.mentor_id,
                                "score": explained.score, "breakdown": explained.breakdown,
                                "features": explained.features})
    cohort_doc = {"id": uuid.uuid4().hex, "status": "draft", "created_by": staff.account, "at": utcnow().isoformat(),
                  "policy_version": weights.version, "assignments": assignments, "unassigned": unassigned,
                  "utility": utility, "coverage": len(assignments) / len(requests)}
    pipe = matching.runtime.redis.pipeline(transaction=True)
    matching.cohorts.save(pipe, cohort_doc)
    matching.policies.log({"who": staff.account, "when": cohort_doc["at"], "action": "cohort.create",
                           "cohort_id": cohort_doc["id"], "requests": len(requests),
                           "assigned": len(assignments)}, pipe)
    pipe.execute()
    return cohort_doc


def get_cohort(matching: Matching, cohort_id: str) -> dict:
    found = matching.cohorts.get(cohort_id)
    if found is None:
        raise NotFound(cohort_id)
    return found


CONFIRM_ATTEMPTS = 20


def confirm_cohort(matching: Matching, staff: StaffMember, cohort_id: str, reason: str) -> dict:
    """Send the cohort's proposals: one ``match.proposed`` per assignment, in one transaction
    with the requests' state and the cohort's new status. Confirmed once: the cohort and
    its requests are watched, so of two confirmations at once (two staff, a double click,
    two replicas) one wins and the other is told the cohort was already confirmed."""
    try:
        doc = claim(lambda: matching.runtime.unit_of_work(watch=[cohort_key(cohort_id)]),
                    lambda uow: _confirm(matching, uow, staff, cohort_id, reason), CONFIRM_ATTEMPTS)
    except StillContended as exc:
        raise Conflict("This cohort is being changed by someone else; try again.") from exc
    return doc


def _confirm(matching: Matching, uow, staff: StaffMember, cohort_id: str, reason: str) -> dict:
    doc = get_cohort(matching, cohort_id)
    if doc["status"] != "draft":
        raise Conflict(f"This cohort was already {doc['status']}.")
    matching.directory.refresh()
    weights, policy = matching.policy()
    now = utcnow()
    skipped = []
    for a in doc["assignments"]:
        request = matching.repository.get_request(a["request_id"], uow)
        if (
            request is None
            or request.current_mentor is not None
            or a["mentor_id"] not in matching.directory.pool.row_of
        ):
            skipped.append({"request_id": a["request_id"], "reason": "changed since the draft"})
            continue
        propose_from_cohort(matching, request, a, weights.version, policy.group_attribute, uow, now, cohort_id)
    doc.update(status="confirmed", confirmed_by=staff.account, confirmed_at=now.isoformat(), skipped=skipped)
    matching.cohorts.save(uow.pipe, doc)
    matching.policies.log({"who": staff.account, "when": now.isoformat(), "action": "cohort.confirm",
                           "cohort_id": cohort_id, "reason": reason, "proposed": len(doc["assignments"]) - len(skipped),
                           "skipped": len(skipped)}, uow.pipe)
    return doc


def train_model(matching: Matching, staff: StaffMember, reason: str) -> dict:
    weights, _ = policy_objects(matching.policies.current())
    model = learning.train(matching.repository.outcomes(), weights, trained_at=utcnow().isoformat())
    before = matching.models.get()
    pipe = matching.runtime.redis.pipeline(transaction=True)
    matching.models.put(model, pipe)
    matching.policies.log({"who": staff.account, "when": model.trained_at, "action": "model.train", "reason": reason,
                           "before": before.to_dict() if before else None, "after": model.to_dict()}, pipe)
    pipe.execute()
    return model.to_dict()


def dead_letters(matching: Matching, limit: int = 200) -> list[DeadLetter]:
    """Records a consumer gave up on, newest first, with their reasons (every service's)."""
    return DeadLetters(matching.runtime.redis).newest(limit)


def replay_dead_letter(matching: Matching, staff: StaffMember, entry_id: str, reason: str) -> DeadLetter:
    """Send a dead-lettered record to its topic again (after a fix), audited. Raises
    ``NotFound`` or ``Conflict`` (a stub: only its head was kept)."""
    at = utcnow().isoformat()
    try:
        entry = DeadLetters(matching.runtime.redis).replay(entry_id, matching.runtime.producer, staff.account,
                                                            reason, at)
    except LookupError as exc:
        raise NotFound(entry_id) from exc
    except ValueError as exc:
        raise Conflict(str(exc)) from exc
    matching.policies.log({"who": staff.account, "when": at, "action": "dlq.replay", "reason": reason,
                           "entry": entry.id, "topic": entry.topic, "group": entry.group, "offset": entry.offset})
    return entry
