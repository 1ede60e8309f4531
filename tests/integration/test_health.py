"""/readyz says what a process cannot serve without (Redis) and warns about what it can
do without for a while (the broker, the SMTP relay), without taking itself out of service."""
import signal

import pytest

from devstack.stack import free_port
from services.intake.app import create_app as intake_app
from services.intake.bootstrap import bootstrap as intake_bootstrap
from services.notifications.app import create_app as notifications_app
from services.notifications.bootstrap import bootstrap as notifications_bootstrap
from shared.config import StackSettings
from tests.conftest import poll

pytestmark = pytest.mark.integration


def test_ready_with_everything_up_and_only_a_warning_when_the_broker_is_away(settings, redis_client):
    up = intake_app(intake=intake_bootstrap(settings, redis_client)).test_client()
    # The broker answers a metadata request (checked in the background, read at once).
    body = poll(lambda: (r := up.get("/readyz")).json["warnings"] == [] and r, timeout=15)
    assert body.status_code == 200 and body.json["checks"] == {"redis": True}
    away = intake_bootstrap(settings.with_overrides(kafka_bootstrap_servers=f"127.0.0.1:{free_port()}",
                                                    kafka_max_block_ms=500), redis_client)
    assert not away.runtime.broker.check()
    body = intake_app(intake=away).test_client().get("/readyz")
    assert body.status_code == 200 and body.json["warnings"] == ["broker"]   # requests wait in the outbox


def test_notifications_warns_when_its_smtp_relay_does_not_answer_but_stays_ready(settings, redis_client, mailbox):
    up = notifications_app(notifications=notifications_bootstrap(settings, redis_client)).test_client()
    poll(lambda: up.get("/readyz").json["warnings"] == [], timeout=15)
    gone = notifications_app(notifications=notifications_bootstrap(settings.with_overrides(smtp_port=free_port()),
                                                                    redis_client)).test_client()
    body = poll(lambda: (r := gone.get("/readyz")).json["warnings"] == ["smtp"] and r, timeout=15)
    assert body.status_code == 200    # emails wait in the queue


def test_health_and_readiness_name_the_service_that_answers(settings, redis_client):
    intake = intake_bootstrap(settings, redis_client)
    client = intake_app(intake=intake).test_client()
    assert client.get("/healthz").json == {"status": "ok", "service": "intake"}
    assert client.get("/readyz").json["service"] == "intake"
    intake.runtime.close()


def test_the_broker_probe_keeps_its_client_and_follows_the_broker_away_and_back(restartable_broker, monkeypatch):
    import shared.kafka as kafka_module
    built = []
    real = kafka_module.KafkaAdminClient

    def counting(**config):
        built.append(config["client_id"])
        return real(**config)

    monkeypatch.setattr(kafka_module, "KafkaAdminClient", counting)
    stack = restartable_broker
    probe = kafka_module.BrokerProbe(StackSettings.from_env(stack.env(), kafka_max_block_ms=1000))
    assert probe.check() and probe.check() and probe.check()
    assert len(built) == 1                       # one client, one connection, for every check
    stack.stop_process("broker", signal.SIGKILL)
    assert not probe.check()
    stack.start_broker()
    assert poll(probe.check, timeout=30)         # a new broker at the address: yes again
    assert len(built) >= 2                        # the failed check let the old client go
    probe.close()
