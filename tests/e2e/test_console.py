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


def test_an_editor_changes_one_weight_previews_applies_and_undoes_it_in_the_browser(full_stack, desk):
    page, stack = desk, full_stack
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
    assert serious(page) == [], "preview"

    page.get_by_role("button", name="Apply").click()                      # no reason yet
    assert page.locator("#reason-error").count() == 1
    page.get_by_label("Why (kept in the history").fill("more cross-border exchanges this term")
    page.get_by_role("button", name="Apply").click()
    applied = page.get_by_role("status").inner_text()
    version = int(re.search(r"Version (\d+) is now in force", applied).group(1))
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
