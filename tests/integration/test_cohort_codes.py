"""Programme codes are one cohort whatever their case, and staff see which codes have
trainees waiting (matching's handlers and console on real Redis)."""
from __future__ import annotations

import re

import pytest

from services.matching import handlers
from services.matching.app import create_app as matching_app
from services.matching.bootstrap import bootstrap
from shared.config import StackSettings
from shared.staff import StaffAccounts
from tests.integration.test_races import requested

pytestmark = pytest.mark.integration


def test_a_code_typed_in_any_case_is_one_cohort_and_the_console_lists_it(infra, redis_client):
    matching = bootstrap(StackSettings.from_env(infra.env()), redis_client)
    try:
        for request_id, typed in (("c1", "accra-2026"), ("c2", "ACCRA-2026"), ("c3", "Accra-2026 "), ("c4", "lagos")):
            event = requested(request_id)
            event.data["cohort"] = typed
            uow = matching.runtime.unit_of_work()
            handlers.event_handlers(matching)[event.type](event, uow)
            uow.commit()
        assert matching.repository.held_for_cohort("accra-2026") == ["c1", "c2", "c3"]
        assert matching.repository.held_for_cohort("ACCRA-2026") == ["c1", "c2", "c3"]
        assert matching.repository.cohorts_waiting() == [("ACCRA-2026", 3), ("LAGOS", 1)]

        client = matching_app(matching=matching).test_client()
        accounts = StaffAccounts(redis_client)
        accounts.set_password(accounts.create("Kofi Mensah", "viewer", login="kofi").split(".")[0],
                              "a long enough staff password")
        page = client.get("/admin/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert csrf
        client.post("/admin/login", data={"csrf_token": csrf.group(1), "login": "kofi",
                                          "password": "a long enough staff password"})
        listing = client.get("/admin/cohorts").get_data(as_text=True)
        assert re.search(r"ACCRA-2026</a></td><td>3<", listing) and re.search(r"LAGOS</a></td><td>1<", listing)
    finally:
        matching.runtime.close()
