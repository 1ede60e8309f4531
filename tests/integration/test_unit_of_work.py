"""``UnitOfWork.read_for_update`` on real Redis: the watch and the reads it guards go in
one round trip, and guard them as a watch followed by the reads would."""
from __future__ import annotations

import pytest
import redis

from shared.outbox import Outbox
from shared.store import AlreadyDone, UnitOfWork

pytestmark = pytest.mark.integration


def unit(client) -> UnitOfWork:
    return UnitOfWork(client, Outbox(client, "tests"))


def round_trips(uow: UnitOfWork, monkeypatch):
    """What the unit's watching connection sends from now on, one entry per send."""
    uow.watch("warm-up")        # the guard and its connection exist from here
    sent = []
    assert uow._guard is not None and uow._guard.connection is not None
    conn = uow._guard.connection
    real = conn.send_packed_command

    def send(command, *args, **kwargs):
        sent.append(command)
        return real(command, *args, **kwargs)
    monkeypatch.setattr(conn, "send_packed_command", send)
    return sent


def client_id(conn) -> int:
    """The server's id for this connection (asked on it)."""
    conn.send_command("CLIENT", "ID")
    return int(conn.read_response())


def test_the_watch_and_its_reads_go_in_one_round_trip_and_reply_in_order(redis_client, monkeypatch):
    redis_client.set("request", "open")
    redis_client.hset("calendar", mapping={"s1": "a|b"})
    uow = unit(redis_client)
    sent = round_trips(uow, monkeypatch)

    replies = uow.read_for_update(["request", "calendar"], ("GET", "request"), ("HGETALL", "calendar"),
                                  ("EXISTS", "missing"))

    assert replies == ["open", {"s1": "a|b"}, 0]
    assert len(sent) == 1
    assert uow.watched == {"warm-up", "request", "calendar"}


def test_a_change_to_a_read_key_after_the_read_refuses_the_commit(redis_client):
    redis_client.set("load", "1")
    uow = unit(redis_client)
    (load,) = uow.read_for_update(["load"], ("GET", "load"))
    uow.pipe.set("load", int(load) + 1)
    redis_client.set("load", "5")               # another replica, between the read and the commit

    with pytest.raises(redis.WatchError):
        uow.commit()
    assert redis_client.get("load") == "5"      # nothing of the refused unit was stored


def test_a_change_to_a_key_not_watched_does_not_refuse(redis_client):
    redis_client.set("load", "1")
    uow = unit(redis_client)
    (load,) = uow.read_for_update(["load"], ("GET", "load"))
    uow.pipe.set("load", int(load) + 1)
    redis_client.set("elsewhere", "x")

    uow.commit()
    assert redis_client.get("load") == "2"


def test_a_refused_read_raises_after_every_reply_is_read(redis_client):
    redis_client.set("text", "x")
    uow = unit(redis_client)
    with pytest.raises(redis.ResponseError):
        uow.read_for_update(["text"], ("HGETALL", "text"), ("GET", "text"))
    # The connection holds no stray reply: the same unit reads on, and commits.
    assert uow.read_for_update([], ("GET", "text")) == ["x"]
    uow.pipe.set("text", "y")
    uow.commit()
    assert redis_client.get("text") == "y"


def test_a_connection_lost_while_watching_says_run_the_unit_again(redis_client):
    redis_client.set("load", "1")
    uow = unit(redis_client)
    uow.read_for_update(["load"], ("GET", "load"))
    redis_client.client_kill_filter(_id=client_id(uow._guard.connection))

    with pytest.raises(redis.WatchError):
        uow.read_for_update(["other"], ("GET", "other"))
    assert uow.watched == set()


def test_a_pooled_connection_the_server_dropped_is_opened_again_before_anything_is_watched(redis_client):
    redis_client.set("load", "1")
    first = unit(redis_client)
    first.read_for_update(["load"], ("GET", "load"))
    dropped = client_id(first._guard.connection)
    first.discard()                                          # the connection goes back to the pool
    redis_client.client_kill_filter(_id=dropped)

    uow = unit(redis_client)
    assert uow.read_for_update(["load"], ("GET", "load")) == ["1"]
    uow.pipe.set("load", "2")
    uow.commit()
    assert redis_client.get("load") == "2"


def test_a_processed_mark_is_read_with_the_first_read_in_its_round_trip(redis_client, monkeypatch):
    redis_client.set("request", "open")
    uow = unit(redis_client)
    sent = round_trips(uow, monkeypatch)
    uow.done_unless("processed:e1")

    assert uow.read_for_update(["request"], ("GET", "request")) == ["open"]   # the mark's reply is not the caller's
    uow.pipe.set("processed:e1", "1")
    uow.commit()

    assert len(sent) == 2                       # the read (mark included), then the commit
    assert redis_client.get("processed:e1") == "1"


@pytest.mark.parametrize("where", ["first read", "commit"])
def test_a_unit_whose_mark_exists_stops_where_it_is_read_and_stores_nothing(redis_client, where):
    """Read with the unit's first read for update, or at its commit if it reads nothing."""
    redis_client.set("processed:e1", "1")
    uow = unit(redis_client)
    uow.done_unless("processed:e1")
    uow.pipe.set("effect", "again")
    with pytest.raises(AlreadyDone):
        if where == "first read":
            uow.read_for_update(["request"], ("GET", "request"))
        uow.commit()
    uow.discard()
    assert redis_client.get("effect") is None


def test_already_done_reads_the_mark_only_if_one_was_asked_for(redis_client):
    redis_client.set("processed:e1", "1")
    asked, fresh, unasked = unit(redis_client), unit(redis_client), unit(redis_client)
    asked.done_unless("processed:e1")
    fresh.done_unless("processed:e2")
    assert asked.already_done() is True
    assert fresh.already_done() is False and unasked.already_done() is False


def test_a_mark_set_by_another_worker_after_the_read_refuses_the_commit(redis_client):
    uow = unit(redis_client)
    uow.done_unless("processed:e1")
    uow.read_for_update(["request"], ("GET", "request"))
    redis_client.set("processed:e1", "1")       # a copy of this worker finished the same event
    uow.pipe.set("effect", "twice")
    with pytest.raises(redis.WatchError):
        uow.commit()
    assert redis_client.get("effect") is None


def test_unwatched_reads_go_with_the_processed_mark_and_are_no_conflict(redis_client, monkeypatch):
    """As notifications reads an event's emails' sent marks: in the mark's round trip, and
    a sender marking one of them meanwhile does not refuse the commit."""
    redis_client.set("sent:a", "1")
    uow = unit(redis_client)
    sent = round_trips(uow, monkeypatch)
    uow.done_unless("processed:e1")
    assert uow.read_for_update((), ("MGET", "sent:a", "sent:b")) == [["1", None]]
    redis_client.set("sent:b", "committing")    # a sender, between the read and the commit
    uow.pipe.set("processed:e1", "1")
    uow.commit()
    assert len(sent) == 2 and redis_client.get("processed:e1") == "1"
