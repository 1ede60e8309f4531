"""Reading what is on a topic, for assertions (no consumer group, from the start)."""
from __future__ import annotations

import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition


def read_topic(bootstrap: str, topic: str, expect: int = 0, timeout: float = 10.0) -> list:
    """All records on ``topic``, read to the end of each partition's log as the broker's
    fetch reports it (its high watermark); waits up to ``timeout`` for at least ``expect``."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    try:
        deadline = time.monotonic() + timeout
        partitions = None
        while partitions is None and time.monotonic() < deadline:
            partitions = consumer.partitions_for_topic(topic)
            if partitions is None:
                time.sleep(0.1)
        tps = [TopicPartition(topic, p) for p in sorted(partitions or [])]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        records = []
        while time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=200).values():
                records.extend(batch)
            if len(records) >= expect and _read_to_the_end(consumer, tps):
                break
        return records
    finally:
        consumer.close()


def _read_to_the_end(consumer, tps: list) -> bool:
    """Every partition fetched at least once and read up to its high watermark."""
    return all((end := consumer.highwater(tp)) is not None and consumer.position(tp) >= end for tp in tps)


def committed(bootstrap: str, group: str, topic: str) -> dict[int, int]:
    """A consumer group's committed offset per partition of ``topic`` (without joining it)."""
    reader = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    try:
        partitions = sorted(reader.partitions_for_topic(topic) or [])
        return {p: offset for p in partitions if (offset := reader.committed(TopicPartition(topic, p))) is not None}
    finally:
        reader.close(autocommit=False)


def producer(bootstrap: str) -> KafkaProducer:
    return KafkaProducer(bootstrap_servers=bootstrap, acks="all")


def read_everything(bootstrap: str, topics: list[str], timeout: float = 10.0) -> list:
    """Every record still on ``topics`` (one consumer, all partitions), read to the end."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    try:
        tps = [TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or [])]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        ends = consumer.end_offsets(tps)
        records: list = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(consumer.position(tp) < ends[tp] for tp in tps):
            for batch in consumer.poll(timeout_ms=200).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()
