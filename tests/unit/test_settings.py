"""Every setting is parsed and checked at start: a wrong value stops the process with
the variable named and what it expects, never a silent default."""
import dataclasses
import subprocess
import sys

import pytest

from shared.config import (
    IntakeSettings,
    InvalidSettings,
    MatchingSettings,
    NotificationsSettings,
    SessionsSettings,
    Settings,
    StackSettings,
)

SERVICES = {"intake": IntakeSettings, "matching": MatchingSettings, "sessions": SessionsSettings,
            "notifications": NotificationsSettings}


def refused(env: dict, kind: type[Settings] = StackSettings) -> str:
    with pytest.raises(InvalidSettings) as err:
        kind.from_env(env)
    return str(err.value)


def test_a_mistyped_boolean_is_refused_not_read_as_false():
    # Before, "ture" became False and the SMTP login went over plaintext.
    message = refused({"SMTP_STARTTLS": "ture"})
    assert "SMTP_STARTTLS: expected true or false" in message and "'ture'" in message


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("SMTP_PORT", "25x", "a whole number"),
    ("MAIL_BACKOFF_S", "nan", "a number"),
    ("REDIS_URL", "localhost:6379", "redis://"),
    ("KEYRING_URL", "unix://", "unix://"),
    ("PUBLIC_BASE_URL", "ftp://twoshot.example.org", "http://"),
    ("MATCHING_PUBLIC_URL", "https://", "https://"),
    ("MAIL_FROM", "Twoshot sessions", "an e-mail address"),
    ("KAFKA_BOOTSTRAP_SERVERS", "kafka", "host:port"),
    ("LOG_LEVEL", "loud", "DEBUG, INFO"),
    ("KAFKA_CLIENT", "confluent", "kafka-python, librdkafka"),
])
def test_each_kind_of_wrong_value_names_its_variable_and_what_it_expects(variable, value, expected):
    message = refused({variable: value})
    assert f"{variable}: expected" in message and expected in message and repr(value) in message


def test_every_wrong_variable_is_named_at_once():
    message = refused({"SMTP_STARTTLS": "ture", "SMTP_PORT": "x", "HORIZON_DAYS": "two weeks"})
    assert all(v in message for v in ("SMTP_STARTTLS", "SMTP_PORT", "HORIZON_DAYS"))


def test_the_values_that_deployments_use_are_read_as_typed():
    s = StackSettings.from_env({
        "SMTP_STARTTLS": "Yes", "SMTP_PORT": " 587 ", "MAIL_BACKOFF_S": "2.5", "RATE_LIMITS_ENABLED": "off",
        "REDIS_URL": "rediss://user:pw@redis.internal:6380/0", "KEYRING_URL": "unix:///run/redis.sock",
        "PUBLIC_BASE_URL": "https://twoshot.example.org", "MAIL_FROM": "Twoshot <sessions@example.org>",
        "KAFKA_BOOTSTRAP_SERVERS": "k1.kafka:9092,k2.kafka:9092", "LOG_LEVEL": "debug"})
    assert (s.smtp_starttls, s.smtp_port, s.mail_backoff_s, s.rate_limits_enabled) == (True, 587, 2.5, False)
    assert s.redis_url.startswith("rediss://") and s.log_level == "DEBUG"


def test_a_process_with_a_wrong_setting_stops_at_start_and_says_which():
    env = {"SMTP_STARTTLS": "ture", "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-c",
                          "from shared.config import NotificationsSettings; NotificationsSettings.from_env()"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "SMTP_STARTTLS: expected true or false" in run.stderr


def names(kind: type[Settings]) -> set[str]:
    return {f.name for f in dataclasses.fields(kind)}


def test_each_service_reads_the_common_settings_and_its_own_and_nothing_else():
    common = names(Settings)
    own = {service: names(kind) - common for service, kind in SERVICES.items()}
    assert {"smtp_password", "smtp_starttls", "mail_from"} <= own["notifications"]
    assert not {"smtp_password", "smtp_user", "smtp_host"} & (own["intake"] | own["matching"] | own["sessions"])
    assert "matching_public_url" in own["matching"] and "matching_public_url" not in own["sessions"]
    assert {"meeting_base_url", "invite_ttl_hours", "mentorship_term_months"} <= own["sessions"] - own["matching"]
    # Every setting is some service's (or every process's): none is read by nobody.
    assert set().union(common, *own.values()) == names(StackSettings)


def test_a_wrong_value_stops_the_service_that_reads_it_and_no_other():
    env = {"SMTP_STARTTLS": "ture", "MEETING_BASE_URL": "meet.example.org"}
    assert "SMTP_STARTTLS" in refused(env, NotificationsSettings)
    assert "MEETING_BASE_URL" in refused(env, SessionsSettings)
    assert "SMTP_STARTTLS" not in refused(env, SessionsSettings)
    for kind in (IntakeSettings, MatchingSettings):
        settings = kind.from_env(env)      # not theirs: not read, so not refused
        assert not hasattr(settings, "smtp_starttls") and not hasattr(settings, "meeting_base_url")


def test_a_common_setting_stops_every_service():
    for kind in SERVICES.values():
        assert "REDIS_URL: expected" in refused({"REDIS_URL": "localhost:6379"}, kind)


def test_a_mistyped_cohort_term_stops_sessions_at_start():
    with pytest.raises(ValueError, match="MENTORSHIP_TERM_MONTHS_BY_COHORT"):
        SessionsSettings.from_env({"MENTORSHIP_TERM_MONTHS_BY_COHORT": "ACCRA-2026=ninety"})
    assert MatchingSettings.from_env({"MENTORSHIP_TERM_MONTHS_BY_COHORT": "ACCRA-2026=ninety"})
