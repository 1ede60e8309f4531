"""Telling an outage from a bug, and backing off from it."""
import random

import redis.exceptions
from kafka.errors import KafkaConfigurationError, KafkaTimeoutError, UnknownProducerIdError

from shared.resilience import Backoff, is_infrastructure_error


def test_outages_of_redis_and_the_broker_are_infrastructure_errors_and_bugs_are_not():
    assert is_infrastructure_error(redis.exceptions.ConnectionError("refused"))
    assert is_infrastructure_error(redis.exceptions.BusyLoadingError("loading the AOF"))
    assert is_infrastructure_error(redis.exceptions.TimeoutError("slow"))
    assert is_infrastructure_error(KafkaTimeoutError("no broker"))
    assert is_infrastructure_error(UnknownProducerIdError())
    assert not is_infrastructure_error(KafkaConfigurationError("bad bootstrap list"))
    assert not is_infrastructure_error(redis.exceptions.ResponseError("WRONGTYPE"))
    assert not is_infrastructure_error(KeyError("request_id"))
    assert not is_infrastructure_error(ConnectionError("a handler's own downstream"))


def test_backoff_doubles_up_to_its_cap_with_jitter_between_half_and_all_of_each_step():
    backoff = Backoff(0.1, 1.0, _random=random.Random(7))
    delays = [backoff.next() for _ in range(8)]
    ceilings = [0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0, 1.0]
    assert all(c / 2 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    assert len(set(delays)) == len(delays)      # jittered: no two peers retry in step
    backoff.reset()
    assert 0.05 <= backoff.next() <= 0.1


def test_a_producer_is_dropped_only_when_it_cannot_go_on_not_when_the_broker_is_slow_or_away():
    from kafka.errors import KafkaConnectionError, KafkaError

    from shared.kafka import _PythonProducer
    fatal = _PythonProducer.fatal
    assert fatal(UnknownProducerIdError()) and fatal(KafkaError("aborting producer batches due to fatal error"))
    assert not fatal(KafkaTimeoutError("flush timed out")) and not fatal(KafkaConnectionError("refused"))


def test_librdkafka_errors_are_outages_unless_the_configuration_is_wrong_and_fatal_only_when_it_says_so():
    from confluent_kafka import KafkaError, KafkaException

    from shared import rdkafka
    from shared.resilience import is_infrastructure_error
    away = KafkaException(KafkaError(KafkaError._TRANSPORT, "broker down"))
    assert is_infrastructure_error(away) and is_infrastructure_error(
        KafkaException(KafkaError(KafkaError._TIMED_OUT, "not acknowledged in time")))
    assert not is_infrastructure_error(KafkaException(KafkaError(KafkaError._INVALID_ARG, "bad setting")))
    assert not rdkafka.fatal(away)
    assert rdkafka.fatal(KafkaException(KafkaError(KafkaError._FENCED, "fenced", fatal=True)))
