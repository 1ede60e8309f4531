"""``python -m bench client``: what the Kafka client itself costs, apart from the services
(docs/decisions/0012-cpu.md, "the bus client"), on the local broker.

Two figures for the installed kafka-python:
- ``client_idle_cpu_ms_per_s``: one consumer in a group, reading 3 topics of 3 partitions
  with the workers' fetch wait, polling an empty log for ``CLIENT_IDLE_S`` seconds (20).
- ``client_cpu_ms_per_record``: ``CLIENT_RECORDS`` records (200) of 600 bytes, each
  produced with ``flush()`` and polled until it arrives, with that same consumer.

CPU is this process's (user + system). To compare another client version, install it in a
copy of the project's virtualenv and run the suite there (on 2026-12-03, with the same
steps in a standalone script: 2.2.15 against 3.0.12, 2.5–3.2 against 4.9–5.3 ms per
record, 27–28 against 34–38 ms a second idle).
"""
from __future__ import annotations

import resource
import subprocess
import time
from collections.abc import Iterator

from bench.e2e import _env_int

TOPICS = ("bench.a", "bench.b", "bench.c")


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def kafka_client() -> Iterator[dict]:
    import kafka
    from kafka import KafkaConsumer, KafkaProducer
    from kafka.admin import KafkaAdminClient, NewTopic

    from devstack.stack import free_port, port_open, tansu_binary, wait_until
    from shared.config import Settings

    defaults = Settings()
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
        consumer = KafkaConsumer(*TOPICS, bootstrap_servers=bootstrap, group_id="bench-client",
                                 enable_auto_commit=False, fetch_max_wait_ms=defaults.kafka_fetch_max_wait_ms,
                                 max_poll_interval_ms=defaults.kafka_max_poll_interval_ms,
                                 session_timeout_ms=defaults.kafka_session_timeout_ms)

        def joined() -> bool:
            consumer.poll(timeout_ms=200)
            return bool(consumer.assignment())
        wait_until(joined, 60, "the group to form")
        base = {"kafka_python": kafka.__version__}

        cpu0, started = _cpu_s(), time.monotonic()
        while time.monotonic() - started < idle_s:
            consumer.poll(timeout_ms=defaults.kafka_poll_timeout_ms)
        yield {"name": "client_idle_cpu_ms_per_s", "value": round(1000 * (_cpu_s() - cpu0) / idle_s, 1),
               "unit": "ms/s", "seconds": idle_s, **base}

        producer = KafkaProducer(bootstrap_servers=bootstrap)
        cpu0, started, received = _cpu_s(), time.monotonic(), 0
        for i in range(count):
            producer.send(TOPICS[0], key=str(i).encode(), value=b"x" * 600)
            producer.flush()
            deadline = time.monotonic() + 5
            got = 0
            while not got and time.monotonic() < deadline:
                got = sum(map(len, consumer.poll(timeout_ms=100).values()))
            received += got
        elapsed = time.monotonic() - started
        yield {"name": "client_cpu_ms_per_record", "value": round(1000 * (_cpu_s() - cpu0) / count, 2),
               "unit": "ms", "records": count, "received": received, "seconds": round(elapsed, 2), **base}
        producer.close()
        consumer.close()
    finally:
        broker.kill()
        broker.wait()
