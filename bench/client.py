"""``python -m bench client``: what the Kafka client itself costs, apart from the services
(docs/decisions/0012-cpu.md, "the bus client"), on the local broker.

Two figures per client, each against its own fresh broker:
- ``client_idle_cpu_ms_per_s``: one consumer in a group, reading 3 topics of 3 partitions
  with the workers' fetch wait, polling an empty log for ``CLIENT_IDLE_S`` seconds (20).
- ``client_cpu_ms_per_record``: ``CLIENT_RECORDS`` records (200) of 600 bytes, each
  produced with ``flush()`` and polled until it arrives, with that same consumer.

The clients are kafka-python and confluent-kafka (librdkafka), the two the services can
run on (``KAFKA_CLIENT``, decision 0015). ``CLIENTS`` names which to run
(``kafka-python,confluent-kafka`` by default); ``KAFKA_FETCH_MAX_WAIT_MS`` and the other
``KAFKA_*`` settings apply to both.

CPU is this process's (user + system). To compare another kafka-python version, install
it in a copy of the project's virtualenv and run the suite there (on 2026-12-03: 2.2.15
against 3.0.12, 2.5–3.2 against 4.9–5.3 ms per record, 27–28 against 34–38 ms a second
idle).
"""
from __future__ import annotations

import resource
import subprocess
import time
from collections.abc import Iterator
from typing import Any

from bench.e2e import _env_int

TOPICS = ("bench.a", "bench.b", "bench.c")


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def kafka_client() -> Iterator[dict]:
    """Both figures for kafka-python and confluent-kafka (librdkafka, in C), each against
    its own fresh broker. ``CLIENTS`` names which (both by default);
    ``KAFKA_FETCH_MAX_WAIT_MS`` sets the fetch wait of both."""
    import os
    wanted = os.environ.get("CLIENTS", "kafka-python,confluent-kafka").split(",")
    if "kafka-python" in wanted:
        yield from _measured("kafka-python", _KafkaPython)
    if "confluent-kafka" in wanted:
        yield from _measured("confluent-kafka", _Confluent)


class _Client:
    """What ``_measured`` drives: a consumer in the group and a producer, of one library."""
    consumer: Any
    version: str

    def joined(self) -> bool:
        return bool(self.consumer.assignment())


class _KafkaPython(_Client):
    def __init__(self, bootstrap: str, settings) -> None:
        import kafka
        from kafka import KafkaConsumer, KafkaProducer
        self.version = kafka.__version__
        self.consumer = KafkaConsumer(*TOPICS, bootstrap_servers=bootstrap, group_id="bench-client",
                                      enable_auto_commit=False, fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms,
                                      max_poll_interval_ms=settings.kafka_max_poll_interval_ms,
                                      session_timeout_ms=settings.kafka_session_timeout_ms)
        self.producer = KafkaProducer(bootstrap_servers=bootstrap)

    def poll(self, timeout_ms: int) -> int:
        return sum(map(len, self.consumer.poll(timeout_ms=timeout_ms).values()))

    def send(self, key: bytes, value: bytes) -> None:
        self.producer.send(TOPICS[0], key=key, value=value)
        self.producer.flush()

    def close(self) -> None:
        self.producer.close()
        self.consumer.close()


class _Confluent(_Client):
    """The same steps with confluent-kafka's Consumer and Producer, the consumer configured
    as the workers configure it (``shared.rdkafka.consumer_config``)."""
    def __init__(self, bootstrap: str, settings) -> None:
        import confluent_kafka

        from shared.rdkafka import consumer_config
        self.version = f"{confluent_kafka.__version__} (librdkafka {confluent_kafka.libversion()[0]})"
        self.consumer = confluent_kafka.Consumer(
            consumer_config(settings.with_overrides(kafka_bootstrap_servers=bootstrap), "bench-client"))
        self.consumer.subscribe(list(TOPICS))
        self.producer = confluent_kafka.Producer({"bootstrap.servers": bootstrap, "linger.ms": 0})

    def poll(self, timeout_ms: int) -> int:
        # ``consume(n, timeout)`` waits for all n or the whole timeout: one blocking poll
        # for the first record, then what has already been fetched.
        first = self.consumer.poll(timeout_ms / 1000)
        if first is None:
            return 0
        return sum(1 for m in [first, *self.consumer.consume(499, 0)] if m.error() is None)

    def send(self, key: bytes, value: bytes) -> None:
        self.producer.produce(TOPICS[0], key=key, value=value)
        self.producer.flush()

    def close(self) -> None:
        self.producer.flush()
        self.consumer.close()


def _measured(name: str, client_type) -> Iterator[dict]:
    from kafka.admin import KafkaAdminClient, NewTopic

    from devstack.stack import free_port, port_open, tansu_binary, wait_until
    from shared.config import Settings

    defaults = Settings.from_env()
    idle_s, count = _env_int("CLIENT_IDLE_S", 20), _env_int("CLIENT_RECORDS", 200)
    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    broker = subprocess.Popen([tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url,
                               "--storage-engine", "memory://tansu/", "--cluster-id", "bench-client"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: port_open(port), 30, "the broker")
        bootstrap = f"127.0.0.1:{port}"
        admin = KafkaAdminClient(bootstrap_servers=bootstrap)
        admin.create_topics([NewTopic(t, 3, 1) for t in TOPICS])
        admin.close()
        client = client_type(bootstrap, defaults)

        def joined() -> bool:
            client.poll(200)
            return client.joined()
        wait_until(joined, 60, "the group to form")
        base = {"client": name, "client_version": client.version}

        cpu0, started = _cpu_s(), time.monotonic()
        while time.monotonic() - started < idle_s:
            client.poll(defaults.kafka_poll_timeout_ms)
        yield {"name": "client_idle_cpu_ms_per_s", "value": round(1000 * (_cpu_s() - cpu0) / idle_s, 1),
               "unit": "ms/s", "seconds": idle_s, **base}

        cpu0, started, received = _cpu_s(), time.monotonic(), 0
        for i in range(count):
            client.send(str(i).encode(), b"x" * 600)
            deadline = time.monotonic() + 5
            got = 0
            while not got and time.monotonic() < deadline:
                got = client.poll(100)
            received += got
        elapsed = time.monotonic() - started
        yield {"name": "client_cpu_ms_per_record", "value": round(1000 * (_cpu_s() - cpu0) / count, 2),
               "unit": "ms", "records": count, "received": received, "seconds": round(elapsed, 2), **base}
        client.close()
    finally:
        broker.kill()
        broker.wait()
