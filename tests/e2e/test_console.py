"""Programme staff in the browser (a laptop-sized window): sign in, change one weight,
see what it would do, apply it with a reason, undo it back to the built-in defaults,
read the audit log, sign out; every page checked with axe-core."""
import re

import pytest
import redis

from shared.staff import StaffAccounts
from tests.e2e.conftest import serious

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"


@pytest.fixture
def desk(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def account(stack, name, role, login):
    client = redis.Redis.from_url(stack.redis, decode_responses=True)
    try:
        accounts = StaffAccounts(client)
        staff_id = accounts.create(name, role, login=login).split(".")[0]
        accounts.set_password(staff_id, PASSWORD)
        return staff_id
    finally:
        client.close()


def sign_in(page, stack, login, password=PASSWORD):
    page.goto(stack.url("matching") + "/admin/")
    assert page.locator("h1").inner_text() == "Staff sign-in"      # sent to sign in first
    page.get_by_label("Login").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def chart_reads_from(svg, side: str) -> bool:
    """Whether a bar chart reads from ``side`` ("left", or "right" in Arabic): each row's
    label ends at that edge, and each bar begins clear of the labels and grows away from it."""
    box = svg.bounding_box()
    labels = [t.bounding_box() for t in svg.locator("text[font-size='11']").all()]
    bars = [b for b in (r.bounding_box() for r in svg.locator("rect").all()) if b and b["width"] > 0]
    assert box and labels and bars, "a chart with labelled bars"
    if side == "left":
        return (all(abs(b["x"] - box["x"]) < 3 for b in labels)
                and all(b["x"] > box["x"] + 0.2 * box["width"] for b in bars))
    right = box["x"] + box["width"]
    return (all(abs(b["x"] + b["width"] - right) < 3 for b in labels)
            and all(b["x"] + b["width"] < right - 0.2 * box["width"] for b in bars))


def test_an_editor_changes_one_weight_previews_applies_and_undoes_it_in_the_browser(full_stack, desk):
    page, stack = desk, full_stack
    from tests.conftest import unique_email
    from tests.e2e.test_browser_flow import register_mentor
    register_mentor(stack, unique_email("preview"), monthly_capacity=0)    # a group for the table, never proposed
    login = f"edith-{id(page)}"
    account(stack, "Edith Editor", "editor", login)

    sign_in(page, stack, login, "not the password")
    assert "do not match" in page.get_by_role("alert").inner_text()
    assert serious(page) == [], "sign-in page with an error"
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Matching policy"
    assert serious(page) == [], "policy page"

    before = page.get_by_label("Region weight").input_value()
    page.get_by_label("Region weight").fill("0.2")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    assert "What this change would do" in preview.inner_text()
    assert re.search(r"\d+ of \d+ requests would get a different top three", page.locator("#moved").inner_text())
    assert page.get_by_label("Region weight").input_value() == "0.2"       # the change is still in the form
    assert page.locator("svg[role=img] title").count() == 1               # the chart has a text alternative
    preview_agrees_with_itself(page)
    assert serious(page) == [], "preview"

    page.get_by_role("button", name="Apply").click()                      # no reason yet
    assert page.locator("#reason-error").count() == 1
    page.get_by_label("Why (kept in the history").fill("more cross-border exchanges this term")
    page.get_by_role("button", name="Apply").click()
    applied = page.get_by_role("status").inner_text()
    version = int(re.search(r"Version (\d+) is now in force", applied).group(1))
    assert "/apply" not in page.url             # redirected after the post: a reload posts nothing
    page.reload()
    assert page.get_by_role("status").inner_text() == applied
    assert page.locator("#history tbody tr").first.get_attribute("data-version") == str(version)
    top = page.locator("#history tbody tr").first
    assert top.get_attribute("data-version") == str(version)
    assert f"region weight: {float(before)} → 0.2" in top.inner_text() and "Edith Editor" in top.inner_text()

    page.get_by_label("Why roll back to version 0").fill("back to the defaults after the pilot")
    page.get_by_role("button", name="Roll back to version 0").click()
    assert "Rolled back to the built-in defaults" in page.get_by_role("status").inner_text()
    assert page.get_by_label("Region weight").input_value() == before
    # Rolling back to what is in force changes nothing, and says so.
    page.get_by_label("Why roll back to version 0").fill("pressed again")
    page.get_by_role("button", name="Roll back to version 0").click()
    assert "Nothing changed" in page.get_by_role("status").inner_text()
    assert serious(page) == [], "policy page after a rollback"

    page.get_by_role("link", name="Audit log").click()
    page.get_by_label("Action").select_option("rollback")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("#audit tbody tr")
    assert rows.count() >= 1 and "Edith Editor [" in rows.first.inner_text()
    assert serious(page) == [], "audit page"

    page.get_by_role("button", name="Sign out").click()
    page.goto(stack.url("matching") + "/admin/")
    assert page.locator("h1").inner_text() == "Staff sign-in"


def preview_agrees_with_itself(page):
    """The table's columns divide as they say, the summary names the table's own lowest and
    highest ratios, and changed rankings name mentors, never raw ids."""
    rows = page.locator("#exposure-table tbody tr")
    table: dict[str, list[str]] = {rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").all_inner_texts()
                                   for i in range(rows.count())}
    assert table, "one row per mentor group"
    for run, line in zip((0, 3), page.locator("#exposure-ends li").all_inner_texts(), strict=True):
        ratios = {g: float(cells[run + 2]) for g, cells in table.items() if cells[run + 2] != "—"}
        for g in ratios:
            eligible, share = float(table[g][run]), float(table[g][run + 1])
            assert abs(share - eligible * ratios[g]) < 0.002, (g, table[g])
        if not ratios:        # the replayed requests ranked nobody (a stack with no requests yet)
            assert "not enough rankings yet" in line, line
            continue
        said = re.search(r"Least exposed: (.+), ratio ([\d.]+)\. Most exposed: (.+), ratio ([\d.]+)\. "
                         r"Disparity ratio [\d.]+ ÷ [\d.]+ = ([\d.]+)", line)
        assert said, line
        low, high = float(said.group(2)), float(said.group(4))
        assert (low, high) == (min(ratios.values()), max(ratios.values()))
        assert ratios[said.group(1)] == low and ratios[said.group(3)] == high
        assert abs(float(said.group(5)) - low / high) < 0.002
    if page.locator("#moved-samples").count():
        assert not re.search(r"\b[0-9a-f]{32}\b", page.locator("#moved-samples").inner_text())


def test_a_viewer_sees_the_policy_but_cannot_change_it(full_stack, desk):
    page, stack = desk, full_stack
    login = f"vera-{id(page)}"
    account(stack, "Vera Viewer", "viewer", login)
    sign_in(page, stack, login)
    assert page.locator("h1").inner_text() == "Matching policy"
    assert page.get_by_role("button", name="Apply").count() == 0
    assert page.get_by_role("button", name=re.compile("Roll back")).count() == 0
    page.get_by_role("button", name="Preview").click()                   # previewing is allowed
    assert page.locator("#preview").count() == 1
    # A forged apply with her session is refused.
    response = page.request.post(stack.url("matching") + "/admin/policy/apply",
                                 form={"csrf_token": page.locator("input[name=csrf_token]").first.input_value(),
                                       "weight_region": "0.3", "reason": "sneaky"})
    assert response.status == 403


def matched_request(stack, language, mentor_name, trainee_name):
    """A mentor and a trainee who only meet each other (a language no other test uses);
    returns (request id, trainee's email, mentor's email) once the mentor's invite is in
    the mailbox."""
    from tests.conftest import MailboxClient, unique_email
    from tests.e2e.test_browser_flow import post_json, register_mentor

    mentor_email, trainee_email = unique_email("console-mentor"), unique_email("console-trainee")
    register_mentor(stack, mentor_email, languages=[language], name=mentor_name)
    all_day = [{"day": d, "start": "06:00", "end": "23:00"} for d in range(7)]
    request_id = post_json(stack.url("intake") + "/api/requests", {
        "name": trainee_name, "email": trainee_email, "country": "KH", "timezone": "Asia/Phnom_Penh",
        "languages": [language], "discipline": "colour", "focus_skills": ["colour grading"],
        "goals": "Grade documentary interviews consistently", "availability": all_day})["id"]
    MailboxClient(stack.url("mailbox")).wait_for(1, to=mentor_email)
    return request_id, trainee_email, mentor_email


def test_the_fairness_report_page_gives_every_figure_its_sample_size(full_stack, desk):
    page, stack = desk, full_stack
    matched_request(stack, "mn", "Bat Erdene", "Saraa Bold")     # at least one ranking counted
    login = f"rita-{id(page)}"
    account(stack, "Rita Reader", "viewer", login)
    sign_in(page, stack, login)
    page.get_by_role("link", name="Fairness report").click()
    assert page.locator("h1").inner_text() == "Fairness report"
    sentences = page.locator("#exposure-sentences li").all_inner_texts()
    assert sentences, "one sentence per mentor group"
    for line in sentences:
        assert "no rankings counted yet" in line or (
            re.search(r"receive \d\.\d\d of the attention", line) and re.search(r"; \d+ rankings\)", line)
            and ("95%\u00a0interval" in line or "too few decisions to judge" in line)), line
    assert (page.locator("svg[role=img] desc").text_content() or "").strip()          # the chart reads out its figures
    assert chart_reads_from(page.locator("figure svg"), "left")
    assert serious(page) == [], "report page"
    csv = page.request.get(stack.url("matching") + "/admin/report/exposure.csv")
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    header = csv.text().splitlines()[0].split(",")
    assert header[0] == "group" and {"n", "ci95_low", "ci95_high", "enough_to_judge"} <= set(header)
    page.get_by_role("link", name="Mentorships").click()
    assert page.locator("h1").inner_text() == "How mentorships go"
    assert page.locator("#by_mentor_group caption").count() == 1 and serious(page) == [], "mentorships page"
    table = page.request.get(stack.url("matching") + "/admin/mentorships/by_trainee_group.csv")
    assert table.status == 200 and table.text().startswith("group,pairs,active,ended_early,continuation,")

    # In Arabic the chart reads from the right: labels at the right edge, bars growing leftwards.
    page.goto(stack.url("matching") + "/admin/report?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert chart_reads_from(page.locator("figure svg"), "right")
    assert serious(page) == [], "report page in Arabic"


def test_staff_find_a_request_by_email_and_see_why_each_mentor_was_proposed(full_stack, desk):
    from tests.conftest import MailboxClient, poll

    page, stack = desk, full_stack
    request_id, trainee_email, mentor_email = matched_request(stack, "km", "Sokha Chan", "Dara Pich")

    login = f"luis-{id(page)}"
    account(stack, "Luis Lookup", "viewer", login)
    sign_in(page, stack, login)
    page.get_by_role("link", name="Requests").click()
    page.get_by_label("Request number, trainee's name or email").fill(trainee_email.upper())
    page.get_by_role("button", name="Find").click()
    assert page.locator("h1").inner_text() == "Dara Pich: colour"         # one match: straight to it
    assert request_id in page.content()
    first = page.locator("section.proposal").first
    assert "Attempt 1: Sokha Chan" in first.inner_text()
    assert (first.locator("svg desc").text_content() or "").count(".") >= 7            # every criterion read out
    assert chart_reads_from(first.locator("svg"), "left")
    request_page = page.url
    skipped = page.locator("#skipped").inner_text()
    assert "were already proposed for this request: Sokha Chan" in skipped and "share no language" in skipped
    poll(lambda: page.reload() or "invite" in page.locator("#emails").inner_text(), timeout=30)
    assert "Nothing written yet." in page.locator("#written").inner_text()
    assert serious(page) == [], "request page"

    # The mentor declines with a reason only the programme reads: staff read it here.
    invite = MailboxClient(stack.url("mailbox")).wait_for(1, to=mentor_email)[0]
    decline = re.search(r"^Decline: (\S+)$", invite["text"].replace("\r\n", "\n"), re.M).group(1)
    mentor_page = page.context.new_page()
    mentor_page.goto(decline)
    mentor_page.get_by_label("Reason (optional; only the programme reads it)").fill("On a night shoot all month")
    mentor_page.get_by_role("button", name="Decline the session").click()
    # Closed only once the answer has loaded: Chromium can drop a close that races a
    # navigation's commit, and page.close() then waits for ever (crbug 536385539,
    # playwright#42068); CI once hung here 15 minutes.
    mentor_page.locator('#outcome[data-state="declined"]').wait_for()
    mentor_page.close()
    def declined_row():
        page.reload()
        row = page.locator("#written tbody tr").first.inner_text()
        return "On a night shoot" in row and row
    row = poll(declined_row, timeout=30)
    assert "the mentor" in row and "declined a time" in row and "the programme only" in row

    # Found by the mentor's name too.
    page.get_by_role("link", name="Requests").click()
    page.get_by_label("Request number, trainee's name or email, or a proposed mentor's name").fill("sokha ch")
    page.get_by_role("button", name="Find").click()
    assert page.locator("h1").inner_text() == "Dara Pich: colour"
    page.goto(stack.url("matching") + "/admin/requests?q=nobody-at-all")
    assert "No request matches" in page.get_by_role("status").inner_text()
    assert serious(page) == [], "lookup page"

    # The same request in Arabic: each proposal's bars read from the right.
    page.goto(request_page.split("#")[0] + ("&" if "?" in request_page else "?") + "lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert chart_reads_from(page.locator("section.proposal").first.locator("svg"), "right")
    assert serious(page) == [], "request page in Arabic"


def test_an_editor_drafts_a_cohort_from_its_code_and_confirms_it(full_stack, desk):
    from tests.conftest import MailboxClient, unique_email
    from tests.e2e.test_browser_flow import post_json, register_mentor

    page, stack = desk, full_stack
    code = f"MY-{id(page) % 100000}"
    mentors = [unique_email("cohort-mentor") for _ in range(2)]
    for i, email in enumerate(mentors):
        register_mentor(stack, email, languages=["my"], name=f"Aung Kyaw {i}", monthly_capacity=1)
    all_day = [{"day": d, "start": "06:00", "end": "23:00"} for d in range(7)]
    for i in range(3):
        post_json(stack.url("intake") + "/api/requests", {
            "name": f"Thida Win {i}", "email": unique_email("cohort-trainee"), "country": "MM",
            "timezone": "Asia/Yangon", "languages": ["my"], "discipline": "colour", "focus_skills": ["colour grading"],
            "goals": "Grade a feature documentary", "availability": all_day, "cohort": code})

    login = f"carla-{id(page)}"
    account(stack, "Carla Cohort", "editor", login)
    sign_in(page, stack, login)
    page.get_by_role("link", name="Cohorts").click()
    page.get_by_label("Programme code").fill("NO-SUCH-CODE")
    page.get_by_role("button", name="Draft the assignment").click()
    assert "No requests are waiting" in page.get_by_role("alert").inner_text()
    from tests.conftest import poll

    def drafted():
        page.get_by_label("Programme code").fill(code)
        page.get_by_role("button", name="Draft the assignment").click()
        return page.locator("h1").inner_text().endswith(": draft")
    poll(drafted, timeout=30)          # until matching has the three held requests
    summary = page.locator("#summary").inner_text()
    assert "2 of 3 trainees get a mentor" in summary and "most trainees for one mentor: 1" in summary
    assert page.locator("#assignments tbody tr").count() == 2
    assert "every eligible mentor was at capacity" in page.content()
    assert serious(page) == [], "cohort draft"
    page.get_by_role("button", name="Confirm: send the invitations").click()
    assert page.locator("#reason-error").count() == 1
    page.get_by_label("Why confirm").fill("the spring cohort starts on Monday")
    page.get_by_role("button", name="Confirm: send the invitations").click()
    assert page.locator("h1").inner_text().endswith(": confirmed")
    mailbox = MailboxClient(stack.url("mailbox"))
    for email in mentors:
        assert mailbox.wait_for(1, to=email)[0]["subject"].startswith("Critique session request")


def test_an_editor_sets_minimum_shares_access_boosts_and_exclusions_in_the_form_and_rolls_them_back(full_stack, desk):
    import json
    import urllib.request

    from tests.conftest import unique_email
    from tests.e2e.test_browser_flow import register_mentor

    page, stack = desk, full_stack
    # Two mentor groups, two mentors of one name; capacity 0, so nobody else's match changes.
    on_hold = [register_mentor(stack, unique_email(f"share-{country}"), country=country, monthly_capacity=0,
                               name="Adaeze Quartey", timezone=zone)
               for country, zone in (("KE", "Africa/Nairobi"), ("BR", "America/Sao_Paulo"))]
    login = f"mina-{id(page)}"
    account(stack, "Mina Shares", "editor", login)
    sign_in(page, stack, login)

    def in_force():
        req = urllib.request.Request(stack.url("matching") + "/api/admin/policy",
                                     headers={"Authorization": f"Bearer {stack.staff_token('viewer')}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)

    before = in_force()
    shares = page.locator("#min-shares")
    shares.get_by_label("East Africa").fill("0.7")
    shares.get_by_label("Latin America & Caribbean").fill("0.6")
    page.get_by_role("button", name="Preview").click()
    assert "add up to more than 1" in page.locator("#min_share-error").inner_text()
    assert shares.get_by_label("East Africa").input_value() == "0.7"         # what was typed is kept
    assert in_force()["version"] == before["version"]                         # and nothing changed
    assert serious(page) == [], "policy page with a share error"

    shares.get_by_label("Latin America & Caribbean").fill("")
    shares.get_by_label("East Africa").fill("0.2")
    page.locator("#access-boosts").get_by_label("West Africa").fill("0.1")
    # Mentors are picked by name, never typed as ids: two of one name are told apart.
    search = page.get_by_label("Find a mentor to exclude, by name")
    search.fill("Alice Hughes")
    page.get_by_role("button", name="Find mentors").click()
    nobody = page.locator("#found-mentors").inner_text()
    assert "No mentor in the pool has a name starting with “Alice Hughes”" in nobody
    assert page.locator("#min-shares").get_by_label("East Africa").input_value() == "0.2"   # the form is kept
    search.fill("adaeze QUAR")
    page.get_by_role("button", name="Find mentors").click()
    assert "2 mentors found" in page.locator("#found-mentors").inner_text()
    assert serious(page) == [], "policy page with mentors found"
    for mentor_id, country in zip(on_hold, ("Kenya", "Brazil"), strict=True):
        box = page.get_by_label(re.compile(rf"Adaeze Quartey \({country} · colour · …{mentor_id[-6:]}\)"))
        box.check()
    page.get_by_label("Why (kept in the history").fill("pilot: more East African mentors in every list")
    page.get_by_role("button", name="Apply").click()
    version = int(re.search(r"Version (\d+) is now in force", page.get_by_role("status").inner_text()).group(1))
    fairness = in_force()["fairness"]
    assert fairness["min_share"] == {"East Africa": 0.2}
    assert fairness["access_boost"] == {"West Africa": 0.1}
    assert sorted(fairness["excluded_mentors"]) == sorted(on_hold)
    # Shown by name, ticked; unticking one lets them be proposed again.
    excluded = page.locator("#excluded")
    assert excluded.get_by_role("checkbox", checked=True).count() == 2
    excluded.get_by_label(re.compile(r"Adaeze Quartey \(Brazil")).uncheck()
    page.get_by_label("Why (kept in the history").fill("the Brazilian mentor is back")
    page.get_by_role("button", name="Apply").click()
    assert in_force()["fairness"]["excluded_mentors"] == [on_hold[0]]
    assert in_force()["version"] == version + 1
    # A forged id (not from the list) is still refused.
    response = page.request.post(stack.url("matching") + "/admin/policy/preview", form={
        "csrf_token": page.locator("input[name=csrf_token]").first.input_value(), "per_group": "1",
        "excluded_mentors": "Alice Hughes"})
    assert response.status == 422 and "Not a mentor&#39;s id." in response.text()
    top = page.locator("#history tbody tr").nth(1)
    assert top.get_attribute("data-version") == str(version)
    assert "min_share" in top.inner_text() and "excluded_mentors" in top.inner_text()
    assert page.locator("#min-shares").get_by_label("East Africa").input_value() == "0.2"

    page.get_by_label(f"Why roll back to version {before['version']}").fill("end of the pilot")
    page.get_by_role("button", name=f"Roll back to version {before['version']}").click()
    assert "Rolled back" in page.get_by_role("status").inner_text()
    after = in_force()["fairness"]
    assert (after["min_share"], after["access_boost"], after["excluded_mentors"]) == (
        before["fairness"]["min_share"], before["fairness"]["access_boost"], before["fairness"]["excluded_mentors"])
    assert serious(page) == [], "policy page after the rollback"


def test_the_console_speaks_the_browsers_language_and_keeps_the_one_chosen(full_stack, browser):
    stack = full_stack
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="fr-FR")   # a tablet, in French
    page = context.new_page()
    try:
        login = f"fanny-{id(page)}"
        account(stack, "Fanny Programme", "editor", login)
        page.goto(stack.url("matching") + "/admin/")
        assert page.locator("h1").inner_text() == "Connexion de l'équipe"
        assert page.locator("html").get_attribute("lang") == "fr"
        page.get_by_label("Identifiant").fill(login)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        assert page.locator("h1").inner_text() == "Règles de mise en relation"

        page.get_by_label("Poids : région").fill("1.5")
        page.get_by_role("button", name="Aperçu").click()
        assert "Vérifiez 1 champ signalé" in page.get_by_role("alert").inner_text()   # one field: the singular
        assert page.locator("#weight_region-error").inner_text() == "Entre 0 et 1."
        assert page.get_by_label("Poids : région").input_value() == "1.5"       # what was typed is kept
        assert serious(page) == [], "policy page in French, with an error"

        page.get_by_role("link", name="Español").click()
        assert page.locator("h1").inner_text() == "Política de emparejamiento"
        page.get_by_role("link", name="Informe de equidad").click()              # the choice is kept
        assert page.locator("h1").inner_text() == "Informe de equidad"
        assert page.locator("html").get_attribute("lang") == "es"
        assert serious(page) == [], "report page in Spanish"
    finally:
        context.close()
