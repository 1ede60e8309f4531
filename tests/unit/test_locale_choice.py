"""Which of our languages a browser's Accept-Language header gets."""
import pytest

from shared.i18n import best_locale


@pytest.mark.parametrize(("header", "chosen"), [
    ("fr;q=0", "en"),                       # q=0 means "not French": before, French won
    ("fr;q=0, en;q=0.5", "en"),
    ("en;q=0, *;q=0.5", "ar"),              # anything but English: the first other we have (by code)
    ("pt-BR,pt;q=0.9,en;q=0.8", "pt"),      # a regional tag is served by its language
    ("fr-CA", "fr"),
    ("ha, fr;q=0.3", "fr"),                 # a language we lack is skipped, not a reason for English
    ("ar-EG,ar;q=0.9", "ar"), ("sw-KE", "sw"),
    ("es;q=0.1, fr;q=0.9", "fr"),           # weights, not order
    ("xx;q=abc, es", "es"),                 # a broken weight does not break the choice
    ("", "en"),
])
def test_the_browsers_preference_is_honoured_with_its_weights(header, chosen):
    assert best_locale(header) == chosen


@pytest.mark.parametrize(("locale", "hours", "said"), [
    ("en", 1, "You share 1 free hour a week."),        # was "1 free hours"
    ("en", 3, "You share 3 free hours a week."),
    ("en", 1.5, "You share 1.5 free hours a week."),
    ("fr", 1.5, "Vous avez 1,5 heure libre en commun par semaine."),   # French: a comma, and "one" below 2
    ("fr", 4, "Vous avez 4 heures libres en commun par semaine."),
    ("pt", 1, "Têm 1 hora livre em comum por semana."),
    ("es", 2.5, "Compartís 2,5 horas libres a la semana."),
])
def test_hours_in_common_are_said_with_the_right_plural_and_decimal_mark(locale, hours, said):
    from shared.i18n import reasons
    assert reasons([{"code": "availability", "params": {"hours": hours}}], "trainee", locale, "Ana") == [said]
