"""Where a person is, chosen as people expect on a phone: countries in their language's
order, time zones named in their language and narrowed to the country they chose, their
phone's zone chosen when they have not picked one, a one-zone country needing no choice."""
from __future__ import annotations

import pytest

from shared.geo import collation_key
from tests.e2e.conftest import serious

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone_in_sao_paulo(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="pt-BR",
                                  timezone_id="America/Sao_Paulo")
    yield context.new_page()
    context.close()


def _options(page, selector: str) -> list[tuple[str, str]]:
    return [tuple(o) for o in page.eval_on_selector_all(selector, "os => os.map(o => [o.value, o.textContent.trim()])")]


def test_countries_sort_accented_names_with_their_letter_and_zones_follow_the_country(full_stack,
                                                                                        phone_in_sao_paulo):
    page = phone_in_sao_paulo
    page.goto(f"{full_stack.url('intake')}/?lang=pt")
    names = [name for value, name in _options(page, "#country option") if value]
    assert names == sorted(names, key=collation_key)
    # "África do Sul" sits with the A's, not after "Zimbábue" as code points would put it.
    assert names.index("África do Sul") < names.index("Alemanha") < names.index("Zimbábue")

    # Nothing picked yet: the phone's own zone is chosen, named in Portuguese, not an IANA id.
    assert page.locator("#timezone").input_value() == "America/Sao_Paulo"
    assert "São Paulo" in page.locator("#timezone option:checked").inner_text()
    assert page.locator("#timezone optgroup[data-here]").is_hidden()

    page.locator("#country").select_option("BR")
    here = _options(page, "#timezone optgroup[data-here] option")
    assert ("America/Sao_Paulo", "Horário Brasil (São Paulo)") in here
    assert ("America/Manaus", "Horário Brasil (Manaus)") in here
    assert all(value.startswith(("America/", "Atlantic/")) for value, _ in here)
    assert page.locator("#timezone").input_value() == "America/Sao_Paulo", "the phone's zone is one of Brazil's"

    # A country with one zone: it is chosen at once; and the whole list stays behind it.
    page.locator("#country").select_option("GH")
    assert _options(page, "#timezone optgroup[data-here] option") == [("Africa/Accra", "Horário Gana")]
    assert page.locator("#timezone").input_value() == "Africa/Accra"
    assert len(_options(page, "#timezone optgroup[data-all] option")) > 400
    assert serious(page) == []

