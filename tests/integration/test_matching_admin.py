"""Programme staff's endpoints, against the running services (real broker and Redis)."""
import csv
import io
import json
import math
import urllib.error
import urllib.request

import pytest
import redis

from services.matching.domain import CRITERIA
from shared.staff import StaffAccounts
from tests.conftest import MailboxClient, poll, unique_email
from tests.contract import Contract
from tests.integration.test_flow import EVENINGS, get_json, post

pytestmark = pytest.mark.integration


_contracts: dict[str, Contract] = {}


def call(stack, method, path, token=None, payload=None, raw=False):
    """``method path`` on matching; a JSON answer is checked against the response schema
    that matching's /openapi.json gives for it."""
    status, body = _call(stack, method, path, token, payload, raw)
    if not raw and path != "/openapi.json":
        if stack.url("matching") not in _contracts:
            _contracts[stack.url("matching")] = Contract(_call(stack, "GET", "/openapi.json")[1])
        _contracts[stack.url("matching")].check(method, path, status, body)
    return status, body


def _call(stack, method, path, token=None, payload=None, raw=False):
    data = json.dumps(payload).encode() if payload is not None else None
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(stack.url("matching") + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            text = r.read().decode()
            return r.status, (text if raw else json.loads(text))
    except urllib.error.HTTPError as exc:
        with exc:
            text = exc.read().decode()
        return exc.code, (text if raw else json.loads(text))


@pytest.fixture(scope="module")
def tokens(full_stack):
    accounts = StaffAccounts(redis.Redis.from_url(full_stack.redis, decode_responses=True))
    return {"editor": accounts.create("Edith Editor", "editor"), "viewer": accounts.create("Victor Viewer", "viewer")}


def policy_body(**fairness):
    weights = dict.fromkeys(CRITERIA, 0.1)
    weights["skill"] = 0.4
    base = {"region_preference": "neutral", "min_overlap_hours": 1.0, "group_attribute": "region",
            "min_share": {}, "exposure_boost": 0.5}
    base.update(fairness)
    return {"weights": weights, "fairness": base, "reason": "more weight on skills for the camera cohort"}


def test_admin_endpoints_need_a_token_and_the_right_role(full_stack, tokens):
    status, _ = call(full_stack, "GET", "/api/admin/policy")
    assert status == 401
    status, _ = call(full_stack, "GET", "/api/admin/policy", token="nobody.wrong")
    assert status == 401
    status, _ = call(full_stack, "GET", "/api/admin/policy", token=tokens["viewer"] + "x")
    assert status == 401
    assert call(full_stack, "GET", "/api/admin/policy", token=tokens["viewer"])[0] == 200
    status, body = call(full_stack, "PUT", "/api/admin/policy", token=tokens["viewer"], payload=policy_body())
    assert status == 403 and "editor" in body["detail"]


def test_bad_weights_get_field_errors_and_change_nothing(full_stack, tokens):
    _, before = call(full_stack, "GET", "/api/admin/policy", token=tokens["viewer"])
    bad = policy_body(region_preference="everywhere")
    bad["weights"]["skill"] = 3
    bad["weights"]["charisma"] = 0.5
    status, body = call(full_stack, "PUT", "/api/admin/policy", token=tokens["editor"], payload=bad)
    assert status == 422
    assert set(body["fields"]["weights"]) == {"skill", "charisma"}
    assert "region_preference" in body["fields"]["fairness"]
    status, _ = call(
        full_stack, "PUT", "/api/admin/policy", token=tokens["editor"], payload={**policy_body(), "reason": ""}
    )
    assert status == 422
    req = urllib.request.Request(
        full_stack.url("matching") + "/api/admin/policy",
        data=b"{nope",
        method="PUT",
        headers={"Authorization": f"Bearer {tokens['editor']}", "Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    with err.value:
        assert err.value.code == 400
    assert call(full_stack, "GET", "/api/admin/policy", token=tokens["viewer"])[1] == before


def test_excluding_someone_who_is_not_a_mentor_is_refused_by_name_and_changes_nothing(full_stack, tokens):
    """A name typed where an id belongs ("Alice Hughes") was once saved as an exclusion
    that excluded nobody. Each unknown entry is named in the field's errors, in the
    reader's language."""
    _, before = call(full_stack, "GET", "/api/admin/policy", token=tokens["viewer"])
    body = policy_body(excluded_mentors=["Alice Hughes", "0" * 32])
    status, answer = call(full_stack, "PUT", "/api/admin/policy", token=tokens["editor"], payload=body)
    assert status == 422
    assert set(answer["fields"]["fairness"]["excluded_mentors"]) == {"Alice Hughes", "0" * 32}
    assert call(full_stack, "GET", "/api/admin/policy", token=tokens["viewer"])[1] == before


def test_a_policy_change_is_versioned_audited_and_can_be_rolled_back(full_stack, tokens):
    _, before = call(full_stack, "GET", "/api/admin/policy", token=tokens["viewer"])
    status, changed = call(full_stack, "PUT", "/api/admin/policy", token=tokens["editor"],
                           payload=policy_body(region_preference="cross_border"))
    assert status == 200 and changed["version"] > before["version"] and changed["author"].startswith("Edith Editor [")
    assert get_json(full_stack.url("matching") + "/api/weights")["region_preference"] == "cross_border"
    _, audit = call(full_stack, "GET", "/api/admin/audit", token=tokens["viewer"])
    last = audit["entries"][-1]
    assert last["who"].startswith("Edith Editor [") and last["reason"].startswith("more weight")
    assert last["before"]["version"] == before["version"] and last["after"]["version"] == changed["version"]

    # Back to what was in force before (version 0, the built-in defaults, included).
    status, rolled = call(full_stack, "POST", "/api/admin/policy/rollback", token=tokens["editor"],
                          payload={"version": before["version"], "reason": "the cohort ended"})
    assert rolled["fairness"] == before["fairness"] and rolled["weights"] == before["weights"]
    assert status == 200 and rolled["version"] > changed["version"]
    assert call(full_stack, "GET", "/api/admin/audit", token=tokens["viewer"])[1]["entries"][-1]["action"] == "rollback"
    status, body = call(full_stack, "POST", "/api/admin/policy/rollback", token=tokens["editor"],
                        payload={"version": 10_000, "reason": "typo"})
    assert status == 422 and "version" in body["fields"]


def register(stack, language, name, capacity=1, region_country=("FR", "Europe/Paris")):
    email = unique_email(name.lower())
    status, body = post(stack.url("intake") + "/api/mentors", {
        "name": name, "email": email, "country": region_country[0], "timezone": region_country[1],
        "languages": [language], "disciplines": ["lighting"], "skills": [{"name": "lighting design", "level": 5}],
        "monthly_capacity": capacity, "availability": EVENINGS}, token=stack.staff_token())
    assert status == 201, body
    mentor_id = json.loads(body)["id"]
    viewer = stack.staff_token("viewer")
    poll(lambda: call(stack, "GET", f"/api/mentors/{mentor_id}", token=viewer)[0] == 200, timeout=30)
    return mentor_id, email


def request_for(stack, language, cohort=""):
    status, body = post(stack.url("intake") + "/api/requests", {
        "name": "Sipho Nkosi", "email": unique_email("sipho"), "country": "ZA", "timezone": "Africa/Johannesburg",
        "languages": [language], "discipline": "lighting", "focus_skills": ["lighting design"],
        "goals": "Night exteriors on a generator budget", "availability": EVENINGS, "cohort": cohort})
    assert status == 201, body
    return json.loads(body)["id"]


def test_a_cohort_is_assigned_exactly_under_capacity_and_sent_only_when_staff_confirm(full_stack, tokens):
    mailbox = MailboxClient(full_stack.url("mailbox"))
    code = "ZA-LIGHT-" + unique_email("c")[:10]
    mentors = [register(full_stack, "zu", f"Thandi{i}", capacity=1, region_country=("ZA", "Africa/Johannesburg"))
               for i in range(3)]
    requests = [request_for(full_stack, "zu", cohort=code) for _ in range(4)]
    assert (
        call(full_stack, "POST", "/api/admin/cohorts", token=tokens["viewer"], payload={"cohort_code": code})[0] == 403
    )
    # Held, not matched one by one: nobody was invited yet.
    held = poll(lambda: (r := call(full_stack, "POST", "/api/admin/cohorts", token=tokens["editor"],
                                   payload={"cohort_code": code}))[0] == 201 and
                len(r[1]["assignments"]) + len(r[1]["unassigned"]) == 4 and r[1], timeout=30)
    assert all(mailbox.messages(email) == [] for _, email in mentors)
    assert len(held["assignments"]) == 3 and held["coverage"] == 0.75  # three mentors of capacity 1
    assert {a["request_id"] for a in held["assignments"]} | {u["request_id"] for u in held["unassigned"]} == set(
        requests
    )
    assert {a["mentor_id"] for a in held["assignments"]} == {m for m, _ in mentors}
    assert held["unassigned"][0]["reason"].startswith("every eligible mentor was at capacity")
    for a in held["assignments"]:
        assert a["score"] == math.fsum(a["breakdown"].values())

    status, confirmed = call(full_stack, "POST", f"/api/admin/cohorts/{held['id']}/confirm", token=tokens["editor"],
                             payload={"reason": "programme lead approved"})
    assert status == 200 and confirmed["status"] == "confirmed"
    for _, email in mentors:
        assert mailbox.wait_for(1, to=email)[0]["subject"].startswith("Critique session request from Sipho")
    again = call(full_stack, "POST", f"/api/admin/cohorts/{held['id']}/confirm", token=tokens["editor"],
                 payload={"reason": "twice"})
    assert again[0] == 409
    proposals = call(full_stack, "GET", f"/api/admin/requests/{held['assignments'][0]['request_id']}/proposals",
                     token=tokens["viewer"])[1]["proposals"]
    assert proposals[0]["cohort_id"] == held["id"]


def test_unknown_request_ids_in_a_cohort_are_named_and_nothing_is_created(full_stack, tokens):
    status, body = call(full_stack, "POST", "/api/admin/cohorts", token=tokens["editor"],
                        payload={"request_ids": ["no-such-request", "nor-this"]})
    assert status == 422 and body["fields"]["request_ids"]["unknown"] == ["no-such-request", "nor-this"]
    status, body = call(full_stack, "POST", "/api/admin/cohorts", token=tokens["editor"], payload={})
    assert status == 422


def test_preview_shows_what_a_change_would_do_before_it_applies(full_stack, tokens):
    register(full_stack, "sw", "Wanjiru", capacity=5, region_country=("KE", "Africa/Nairobi"))
    register(full_stack, "sw", "Otieno", capacity=5)
    for _ in range(3):
        request_for(full_stack, "sw")
    _, before = call(full_stack, "GET", "/api/admin/policy", token=tokens["viewer"])
    body = policy_body(region_preference="same_region")
    body.pop("reason")
    status, preview = call(full_stack, "POST", "/api/admin/policy/preview", token=tokens["viewer"], payload=body)
    assert status == 200 and preview["requests"] >= 3
    assert {"current", "proposed", "change", "samples", "rankings_that_move"} <= set(preview)
    assert preview["proposed"]["mean_first_choice_score"] is not None
    for run in (preview["current"], preview["proposed"]):      # defined as the report defines them
        ratios = [g["exposure_ratio"] for g in run["exposure"]["by_group"].values() if g["exposure_ratio"] is not None]
        assert run["exposure"]["least_exposed"]["exposure_ratio"] == min(ratios)
        assert run["exposure"]["most_exposed"]["exposure_ratio"] == max(ratios)
    for moved in preview["samples"]:
        assert set(moved["mentors"]) == {*moved["before"], *moved["after"]}
    assert call(full_stack, "GET", "/api/admin/policy", token=tokens["viewer"])[1] == before   # nothing applied


def test_the_fairness_report_in_json_and_csv(full_stack, tokens):
    register(full_stack, "pl", "Agnieszka", capacity=3)
    request_id = request_for(full_stack, "pl")
    poll(lambda: call(full_stack, "GET", f"/api/admin/requests/{request_id}/proposals",
                      token=tokens["viewer"])[1]["proposals"], timeout=30)
    status, report = call(full_stack, "GET", "/api/admin/fairness-report", token=tokens["viewer"])
    assert status == 200
    assert report["exposure"]["four_fifths_line"] == 0.8 and report["group_attribute"]
    assert report["exposure"]["by_group"] and report["load"]["mentors"] > 0
    shares = [g["exposure_share"] for g in report["exposure"]["by_group"].values() if g["exposure_share"] is not None]
    assert shares and abs(sum(shares) - 1) < 0.01
    for group in report["exposure"]["by_group"].values():     # the columns divide to the ratio shown
        if group["exposure_ratio"] is not None:
            assert abs(group["exposure_share"] - group["eligible_share"] * group["exposure_ratio"]) < 0.002, group
    ends = report["exposure"]
    assert abs(ends["disparity_ratio"] - ends["least_exposed"]["exposure_ratio"]
               / ends["most_exposed"]["exposure_ratio"]) < 0.001
    assert 0.0 <= report["load"]["gini"] <= 1.0 and report["trainee_access"]
    assert report["live_scoring"].startswith("hand-set weights")
    status, text = call(full_stack, "GET", "/api/admin/fairness-report?format=csv", token=tokens["viewer"], raw=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert status == 200 and rows[0] == ["section", "group", "metric", "value"]
    assert {r[0] for r in rows[1:]} >= {"exposure", "load", "trainee_access"}


def test_the_openapi_document_lists_every_admin_route(full_stack):
    status, doc = call(full_stack, "GET", "/openapi.json")
    assert status == 200 and doc["openapi"].startswith("3.1")
    assert {"/api/admin/policy", "/api/admin/policy/preview", "/api/admin/fairness-report", "/api/admin/cohorts",
            "/api/admin/cohorts/{cohort_id}/confirm"} <= set(doc["paths"])


def test_the_outcome_model_stays_off_until_there_is_evidence(full_stack, tokens):
    status, model = call(full_stack, "POST", "/api/admin/model/train", token=tokens["editor"],
                         payload={"reason": "monthly retrain"})
    assert status == 200 and model["live"] is False and "outcomes" in model["reason"]
    assert call(full_stack, "GET", "/api/admin/model", token=tokens["viewer"])[1]["live"] is False
    assert (
        call(full_stack, "GET", "/api/admin/audit", token=tokens["viewer"])[1]["entries"][-1]["action"] == "model.train"
    )


def test_a_mentor_staff_exclude_is_not_proposed_and_the_audit_says_why(full_stack, tokens):
    excluded_id, excluded_email = register(full_stack, "ig", "Chiamaka", capacity=5)
    _, current = call(full_stack, "GET", "/api/admin/policy", token=tokens["viewer"])
    body = {"weights": current["weights"], "fairness": {**current["fairness"], "excluded_mentors": [excluded_id]},
            "reason": "on parental leave until March"}
    status, changed = call(full_stack, "PUT", "/api/admin/policy", token=tokens["editor"], payload=body)
    assert status == 200 and changed["fairness"]["excluded_mentors"] == [excluded_id]
    other_id, other_email = register(full_stack, "ig", "Emeka", capacity=5)
    request_id = request_for(full_stack, "ig")
    mail = MailboxClient(full_stack.url("mailbox"))
    assert mail.wait_for(1, to=other_email)[0]["subject"].startswith("Critique session request")
    proposals = call(full_stack, "GET", f"/api/admin/requests/{request_id}/proposals", token=tokens["viewer"])[1]
    assert {p["mentor"]["id"] for p in proposals["proposals"]} == {other_id}
    assert mail.messages(excluded_email) == []
    audit = call(full_stack, "GET", "/api/admin/audit", token=tokens["viewer"])[1]["entries"]
    assert any(e.get("reason") == "on parental leave until March" for e in audit)
    restore = {"weights": current["weights"], "fairness": current["fairness"], "reason": "back from leave"}
    assert call(full_stack, "PUT", "/api/admin/policy", token=tokens["editor"], payload=restore)[0] == 200


def test_one_weight_changes_alone_defaults_come_back_and_no_duplicate_versions(full_stack, tokens):
    editor = tokens["editor"]
    _, before = call(full_stack, "GET", "/api/admin/policy", token=tokens["viewer"])
    status, changed = call(full_stack, "PATCH", "/api/admin/policy", token=editor,
                           payload={"weights": {"region": 0.2}, "reason": "more weight on region"})
    assert status == 200 and changed["weights"]["region"] == 0.2
    assert {c: w for c, w in changed["weights"].items() if c != "region"} == \
        {c: w for c, w in before["weights"].items() if c != "region"}
    assert changed["fairness"] == before["fairness"]
    # The same change again makes no new version, and says so.
    status, again = call(full_stack, "PATCH", "/api/admin/policy", token=editor,
                         payload={"weights": {"region": 0.2}, "reason": "pressed twice"})
    assert status == 200 and again["unchanged"] is True and again["version"] == changed["version"]
    # Back to the built-in defaults (version 0), then rolling back to what is in force does nothing.
    status, defaults = call(full_stack, "POST", "/api/admin/policy/rollback", token=editor,
                            payload={"version": 0, "reason": "back to the defaults"})
    _, versions = call(full_stack, "GET", "/api/admin/policy/versions", token=tokens["viewer"])
    built_in = versions["versions"][0]
    assert status == 200 and built_in["version"] == 0
    assert defaults["weights"] == built_in["weights"] and defaults["fairness"] == built_in["fairness"]
    status, same = call(full_stack, "POST", "/api/admin/policy/rollback", token=editor,
                        payload={"version": defaults["version"], "reason": "again"})
    assert status == 200 and same.get("unchanged") is True
    _, after = call(full_stack, "GET", "/api/admin/policy/versions", token=tokens["viewer"])
    assert len(after["versions"]) == len(versions["versions"])
    # A partial change that leaves every weight at 0 is refused with the field named.
    zero = dict.fromkeys(defaults["weights"], 0)
    status, body = call(full_stack, "PATCH", "/api/admin/policy", token=editor, payload={"weights": zero,
                                                                                        "reason": "all off"})
    assert status == 422 and "weights" in body["fields"]
