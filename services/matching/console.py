"""The staff console under ``/admin/``: sign in, see the matching policy in force,
change a setting, preview what it would do, apply it with a reason, read the history
and roll back to any version (the built-in defaults included); and the audit log.

Server-rendered, no JavaScript needed. Staff sign in with a login and a password
(argon2id, see docs/decisions/0007); the session cookie is HttpOnly, SameSite=Lax and
Secure on https; every form carries a CSRF token; failed sign-ins count against the
client address (shared.ratelimit). The JSON API keeps its Bearer tokens.
"""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, request, session, url_for
from marshmallow import Schema, ValidationError

from services.matching import admin, analysis
from services.matching.bootstrap import Matching
from services.matching.charts import Across
from services.matching.console_text import say
from services.matching.domain import CRITERIA, REGION_PREFERENCES
from services.matching.schemas import PartialFairnessSchema, PartialWeightsSchema
from shared import i18n
from shared.catalogue import direction, endonyms, locales
from shared.geo import countries, country_name
from shared.i18n import best_locale, region
from shared.ratelimit import TooManyAttempts, limits_of, too_many_response
from shared.web import check_csrf, service

EDITABLE_FAIRNESS = ("region_preference", "min_overlap_hours", "exposure_boost", "group_attribute")
PER_GROUP = ("min_share", "access_boost")     # a number per group, sent as <field>_<i> beside <field>_group_<i>
FILTERS = ("language", "capacity", "time", "excluded", "tried")   # in the order they apply
PREVIEW_REQUESTS = 200


bp = Blueprint("console", __name__, url_prefix="/admin")


def _matching() -> Matching:
    return service(Matching)


@bp.context_processor
def words():
    loc = console_locale()
    return {"t": lambda key, **values: say(key, loc, **values), "lang": loc, "languages": endonyms(),
            "crit": lambda c: say(f"c_{c}", loc), "here_in": _here_in,
            "country": lambda code: country_name(code, loc) if code else "",
            "region": lambda name: region(name, loc),
            "across": lambda width: Across(width, direction(loc) == "rtl"),
            "num": lambda value, places=None: i18n.number(value, places, loc)}


def signed_in(role: str = "viewer"):
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            who = session.get("staff") or {}
            member = _matching().staff.session(who.get("id", ""), who.get("epoch", -1)) if who else None
            if member is None:
                session.pop("staff", None)
                return redirect(url_for("console.login", next=request.path))
            if not member.can(role):
                loc = console_locale()
                return render_template("console_message.html", title=say("not_allowed_title", loc),
                                       body=say("not_allowed_body", loc, role=say(f"role_{role}", loc),
                                                current=say(f"role_{member.role}", loc))), 403
            g.staff = member
            return view(*args, **kwargs)
        return wrapper
    return decorate


@bp.get("/login")
def login():
    return render_template("console_login.html", error="", login="", next=request.args.get("next", ""))


@bp.post("/login")
def login_submit():
    check_csrf()
    name, password = request.form.get("login", ""), request.form.get("password", "")
    limit = limits_of(current_app).sign_ins
    try:
        attempt = limit.attempt(name)     # counted first, per address and per login
    except TooManyAttempts:
        return too_many_response()
    found = _matching().staff.sign_in(name, password) if name and password else None
    if found is not None:
        limit.succeeded(name, attempt)
    if found is None:
        return render_template("console_login.html", error=say("login_failed", console_locale()),
                               login=name, next=request.form.get("next", "")), 401
    member, epoch = found
    _fresh_session()     # a new session for the signed-in member (no fixation)
    session["staff"] = {"id": member.id, "epoch": epoch}
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/admin/") else url_for("console.policy"), code=303)


@bp.post("/logout")
def logout():
    check_csrf()
    _fresh_session()
    return redirect(url_for("console.login"), code=303)


def _page(proposed: dict | None = None, result: dict | None = None, errors: dict | None = None,
          note: str = "", status: int = 200, search: str = ""):
    matching = _matching()
    current = matching.policies.current()
    versions = matching.policies.versions()
    # What the form shows: the policy in force, with what was sent on top of it.
    shown = {**current, **(proposed or {}),
             "weights": {**current["weights"], **(proposed or {}).get("weights", {})},
             "fairness": {**current["fairness"], **(proposed or {}).get("fairness", {})}}
    matching.directory.refresh()
    _, mentor_groups = matching.directory.pool.group_codes(shown["fairness"]["group_attribute"])
    return render_template(
        "console_policy.html", current=current, shown=shown, result=result,
        errors=_flat(errors or {}, console_locale()), note=note, criteria=CRITERIA,
        region_preferences=REGION_PREFERENCES, editable=EDITABLE_FAIRNESS, four_fifths=analysis.FOUR_FIFTHS,
        share_groups=sorted(set(mentor_groups) | set(shown["fairness"].get("min_share", {}))),
        trainee_regions=sorted({c["region"] for c in countries().values()}
                               | set(shown["fairness"].get("access_boost", {}))),
        history=_history(versions, current["version"], console_locale()), staff=g.staff,
        excluded=admin.mentor_labels(matching, shown["fairness"].get("excluded_mentors", [])),
        search=search, found=admin.find_mentors(matching, search) if search else None), status


@bp.get("/")
@signed_in()
def policy():
    return _page(note=_done_note(request.args))


def _done_note(args) -> str:
    """What the last Apply or Roll back did, from the address it redirected to (a
    reload or a bookmark shows the page again, never posts twice)."""
    loc = console_locale()
    version = args.get("version", "")
    if not version.isdigit():
        return ""
    if args.get("done") == "applied":
        return say("unchanged" if args.get("unchanged") else "applied", loc, version=version)
    target = args.get("to", "")
    if args.get("done") == "rolled_back" and target.isdigit():
        label = say("defaults", loc) if target == "0" else say("version_n", loc, version=target)
        return say("rollback_unchanged" if args.get("unchanged") else "rolled_back", loc, label=label,
                   version=version)
    return ""


def _posted() -> tuple[dict, dict]:
    """The form's settings → (a change for admin.merged, errors by field). With errors,
    the change holds what was typed, as typed, for the form to show again."""
    typed_weights = {c: v for c in CRITERIA if (v := request.form.get(f"weight_{c}", "")) != ""}
    typed_fairness: dict = {k: v for k in EDITABLE_FAIRNESS if (v := request.form.get(k, "")) != ""}
    if request.form.get("per_group"):     # the form shows them: what it sends replaces them
        for name in PER_GROUP:
            typed_fairness[name] = _per_group(request.form, name)
        # Ticked boxes, each a mentor's id from a list staff picked by name (never typed).
        typed_fairness["excluded_mentors"] = list(dict.fromkeys(request.form.getlist("excluded_mentors")))
    errors: dict = {}
    try:
        schema: Schema = PartialWeightsSchema()   # typed as a Schema: its "load" field shadows the method
        weights = schema.load(typed_weights)
    except ValidationError as exc:
        weights = typed_weights
        errors.update({f"weight_{c}": m for c, m in exc.normalized_messages().items()})
    try:
        fairness = PartialFairnessSchema().load(typed_fairness)
    except ValidationError as exc:
        fairness = typed_fairness
        errors.update(exc.normalized_messages())
    return {"weights": weights, "fairness": fairness}, errors


@bp.post("/policy/preview")
@signed_in()
def preview():
    check_csrf()
    matching = _matching()
    change, errors = _posted()
    search = request.form.get("mentor_search", "").strip()[:100]
    if request.form.get("find"):      # "Find mentors": the form again, as typed, with who was found
        return _page(proposed=change, errors=errors, search=search, status=422 if errors else 200)
    if errors:
        return _page(proposed=change, errors=errors, status=422)
    try:
        proposed = admin.merged(matching, change)
    except admin.Invalid as exc:
        return _page(proposed=change, errors=exc.fields, status=422)
    result = admin.preview(matching, {**proposed, "requests": PREVIEW_REQUESTS})
    return _page(proposed={**matching.policies.current(), **proposed}, result=result)


@bp.post("/policy/apply")
@signed_in("editor")
def apply():
    check_csrf()
    change, errors = _posted()
    reason = request.form.get("reason", "").strip()
    if not 3 <= len(reason) <= 500:
        errors["reason"] = [say("reason_needed", console_locale())]
    if errors:
        return _page(proposed=change, errors=errors, status=422)
    try:
        stored = admin.update_policy(_matching(), g.staff, {**change, "reason": reason})
    except admin.Invalid as exc:
        return _page(proposed=change, errors=exc.fields, status=422)
    return redirect(url_for("console.policy", done="applied", version=stored["version"],
                            unchanged=1 if stored.get("unchanged") else None), code=303)


@bp.post("/policy/rollback")
@signed_in("editor")
def rollback():
    check_csrf()
    reason = request.form.get("reason", "").strip()
    version = request.form.get("version", "")
    if not version.isdigit():
        abort(400, description=say("choose_version", console_locale()))
    if not 3 <= len(reason) <= 500:
        return _page(errors={f"rollback_{version}": [say("rollback_reason_needed", console_locale())]},
                     status=422)
    try:
        stored = admin.rollback(_matching(), g.staff, int(version), reason)
    except admin.Invalid as exc:
        return _page(errors=exc.fields, status=422)
    return redirect(url_for("console.policy", done="rolled_back", version=stored["version"], to=version,
                            unchanged=1 if stored.get("unchanged") else None), code=303)


@bp.get("/report")
@signed_in()
def report():
    return render_template("console_report.html", report=admin.fairness_report(_matching()), staff=g.staff,
                           four_fifths=analysis.FOUR_FIFTHS)


@bp.get("/report.csv")
@signed_in()
def report_all():
    return Response(admin.report_csv(admin.fairness_report(_matching())), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=twoshot-fairness-report.csv"})


@bp.get("/report/<table>.csv")
@signed_in()
def report_table(table: str):
    if table not in admin.TABLES:
        abort(404)
    return Response(admin.table_csv(admin.fairness_report(_matching()), table), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=twoshot-{table}.csv"})


@bp.get("/mentorships")
@signed_in()
def mentorships():
    return render_template("console_mentorships.html", report=admin.mentorship_health(_matching()), staff=g.staff)


@bp.get("/mentorships/<any(by_mentor_group, by_trainee_group):table>.csv")
@signed_in()
def mentorships_table(table: str):
    return Response(admin.health_csv(admin.mentorship_health(_matching()), table), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=twoshot-mentorships-{table}.csv"})


@bp.get("/requests")
@signed_in()
def lookup():
    text = request.args.get("q", "").strip()
    found = _matching().repository.find_requests(text) if text else []
    if len(found) == 1:
        return redirect(url_for("console.request_page", request_id=found[0].request_id))
    current = [r.current_mentor for r in found if r.current_mentor]
    mentors = {m["id"]: m for m in admin.mentor_labels(_matching(), current)}
    return render_template("console_lookup.html", q=text, found=found, mentors=mentors, staff=g.staff)


@bp.get("/requests/<request_id>")
@signed_in()
def request_page(request_id: str):
    matching = _matching()
    found = matching.repository.get_request(request_id)
    if found is None:
        abort(404, description=say("unknown_request", console_locale()))
    proposals = matching.repository.proposals(request_id)
    mentors = {m["id"]: m for m in admin.mentor_labels(matching, [p["mentor"]["id"] for p in proposals])}
    return render_template("console_request.html", r=found, proposals=proposals, mentors=mentors,
                           emails=matching.repository.emails(request_id), criteria=CRITERIA, staff=g.staff,
                           messages=matching.repository.messages(request_id),
                           skipped=admin.skipped(matching, found), filters=FILTERS)


@bp.get("/cohorts")
@signed_in()
def cohorts():
    return render_template("console_cohorts.html", code=request.args.get("code", ""), errors={}, staff=g.staff,
                           waiting=_matching().repository.cohorts_waiting())


@bp.post("/cohorts")
@signed_in("editor")
def cohort_create():
    check_csrf()
    matching = _matching()
    code = request.form.get("code", "").strip()
    held = matching.repository.held_for_cohort(code) if code else []
    if not held:
        return render_template("console_cohorts.html", code=code, staff=g.staff, errors={
            "code": [say("no_held", console_locale())]}, waiting=matching.repository.cohorts_waiting()), 422
    draft = admin.create_cohort(matching, g.staff, held, 20)
    return redirect(url_for("console.cohort_page", cohort_id=draft["id"]), code=303)


def _cohort_view(doc: dict, errors: dict | None = None, status: int = 200):
    matching = _matching()
    load: dict[str, int] = {}
    for a in doc["assignments"]:
        load[a["mentor_id"]] = load.get(a["mentor_id"], 0) + 1
    names = {}
    for mentor_id in load:
        mentor = matching.repository.get_mentor(mentor_id)
        names[mentor_id] = mentor.person.get("name", mentor_id) if mentor else mentor_id
    trainees = {}
    for a in [*doc["assignments"], *doc["unassigned"]]:
        r = matching.repository.get_request(a["request_id"])
        trainees[a["request_id"]] = r.trainee.get("name", "") if r else say("gone", console_locale())
    return render_template("console_cohort.html", doc=doc, load=load, names=names, trainees=trainees,
                           errors=errors or {}, staff=g.staff), status


@bp.get("/cohorts/<cohort_id>")
@signed_in()
def cohort_page(cohort_id: str):
    try:
        return _cohort_view(admin.get_cohort(_matching(), cohort_id))
    except admin.NotFound:
        abort(404, description=say("no_cohort", console_locale()))


@bp.post("/cohorts/<cohort_id>/confirm")
@signed_in("editor")
def cohort_confirm(cohort_id: str):
    check_csrf()
    matching = _matching()
    try:
        doc = admin.get_cohort(matching, cohort_id)
    except admin.NotFound:
        abort(404, description=say("no_cohort", console_locale()))
    reason = request.form.get("reason", "").strip()
    if not 3 <= len(reason) <= 500:
        return _cohort_view(doc, {"reason": [say("reason_needed_audit", console_locale())]}, 422)
    try:
        doc = admin.confirm_cohort(matching, g.staff, cohort_id, reason)
    except admin.Conflict as exc:
        return _cohort_view(doc, {"reason": [str(exc)]}, 409)
    return redirect(url_for("console.cohort_page", cohort_id=cohort_id), code=303)


@bp.get("/dead-letters")
@signed_in()
def dead_letters(errors: dict | None = None, note: str = "", status: int = 200):
    return render_template("console_dead_letters.html", entries=admin.dead_letters(_matching()),
                           errors=errors or {}, note=note, staff=g.staff), status


@bp.post("/dead-letters/<entry_id>/replay")
@signed_in("editor")
def dead_letter_replay(entry_id: str):
    check_csrf()
    reason = request.form.get("reason", "").strip()
    loc = console_locale()
    if len(reason) < 3:
        return dead_letters({entry_id: [say("reason_needed_audit", loc)]}, status=422)
    try:
        admin.replay_dead_letter(_matching(), g.staff, entry_id, reason)
    except admin.NotFound:
        abort(404)
    except admin.Conflict:
        return dead_letters({entry_id: [say("dead_stub", loc)]}, status=409)
    # Post/Redirect/Get: a reload shows the list, it does not send the record again.
    return redirect(url_for("console.dead_letters", replayed=entry_id), code=303)


@bp.get("/audit")
@signed_in()
def audit():
    matching = _matching()
    action, who = request.args.get("action", ""), request.args.get("who", "").strip().lower()
    entries = [e for e in reversed(matching.policies.audit(1000))
               if (not action or e.get("action") == action) and (not who or who in e.get("who", "").lower())]
    actions = sorted({e.get("action", "") for e in matching.policies.audit(1000)})
    return render_template("console_audit.html", entries=entries[:200], actions=actions, action=action,
                           who=request.args.get("who", ""), staff=g.staff)


def console_locale() -> str:
    """The reader's language, decided once per request: ``?lang=`` (kept in the session
    from then on), else the one chosen before, else the browser's preference."""
    if "console_locale" not in g:
        chosen = request.args.get("lang", "")
        if chosen in locales():
            session["console_lang"] = chosen
        else:
            kept = session.get("console_lang", "")
            chosen = kept if kept in locales() else best_locale(request.headers.get("Accept-Language", ""))
        g.console_locale = chosen
    return g.console_locale


def _fresh_session() -> None:
    """An empty session (sign-in, sign-out) that keeps only the language chosen."""
    lang = session.get("console_lang")
    session.clear()
    if lang:
        session["console_lang"] = lang


def _here_in(code: str) -> str:
    """This page in another language (a form's result page: the policy page)."""
    if request.method != "GET":
        return url_for("console.policy", lang=code)
    return request.path + "?" + urlencode({**request.args.to_dict(), "lang": code})


def _per_group(form, name: str) -> dict[str, str]:
    """``{group: value}`` from the rows ``<name>_group_<i>`` / ``<name>_<i>``; blank rows left out."""
    out: dict[str, str] = {}
    i = 0
    while f"{name}_group_{i}" in form:
        value = form.get(f"{name}_{i}", "").strip()
        if value:
            out[form[f"{name}_group_{i}"]] = value
        i += 1
    return out


def _flat(errors: dict, locale: str) -> dict[str, list[str]]:
    """Errors by form field, as lists of sentences in the reader's language: a nested
    ``fairness`` block is lifted, and a per-group message names its group ("West Africa:
    Must be …")."""
    out: dict[str, list[str]] = {}
    for name, messages in errors.items():
        if name == "fairness" and isinstance(messages, dict):
            for inner, value in _flat(messages, locale).items():
                out.setdefault(inner, []).extend(value)
        elif isinstance(messages, dict):
            for key, value in messages.items():
                for message in _sentences(value):
                    said = i18n.error(message, locale)
                    out.setdefault(name, []).append(f"{key}: {said}" if isinstance(key, str) else said)
        else:
            out.setdefault(name, []).extend(i18n.error(m, locale) for m in _sentences(messages))
    return out


def _sentences(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [m for v in value.values() for m in _sentences(v)]
    return [m for v in value for m in _sentences(v)]


def _history(versions: list[dict], in_force: int, locale: str) -> list[dict]:
    """Each version with what changed from the one before it, newest first."""
    out = []
    previous: dict | None = None
    for v in versions:
        changes = []
        if previous is not None:
            for c in CRITERIA:
                if v["weights"].get(c) != previous["weights"].get(c):
                    changes.append(say("change_weight", locale, criterion=say(f"c_{c}", locale),
                                       before=previous["weights"].get(c), after=v["weights"].get(c)))
            for k in sorted(set(v["fairness"]) | set(previous["fairness"])):
                if v["fairness"].get(k) != previous["fairness"].get(k):
                    changes.append(f"{k}: {previous['fairness'].get(k)} → {v['fairness'].get(k)}")
        out.append({**v, "changes": changes, "in_force": v["version"] == in_force})
        previous = v
    return list(reversed(out))
