"""Redis: the connection, and a unit of work that stores a handler's effects and
the events they cause in one MULTI/EXEC transaction."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

import redis
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.retry import Retry

from shared.config import Settings
from shared.events import Event
from shared.outbox import Outbox, Staged


def make_redis(settings: Settings) -> redis.Redis:
    """A client; redis-py connects lazily, on the first command.

    One immediate retry on a broken connection only (a pooled connection to a Redis
    that restarted fails once), none on a timeout: a command that timed out may have
    run, and retrying a MULTI/EXEC could apply it twice. Longer outages are waited out
    by the callers (workers back off and retry in place; HTTP answers 503)."""
    return redis.Redis.from_url(settings.redis_url, decode_responses=True,
                                socket_timeout=settings.redis_timeout_s,
                                socket_connect_timeout=settings.redis_timeout_s,
                                retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
                                health_check_interval=30)


class AlreadyDone(Exception):
    """``UnitOfWork.done_unless``'s key exists: the work was done before; nothing is stored."""


class UnitOfWork:
    """Writes queued on ``pipe`` and events passed to ``emit`` land together or not at all.

    Reads go straight to ``redis``; only writes go through ``pipe``. A read that the
    writes depend on (a mentor's load, a request's open proposal, a booked slot) is
    guarded with ``watch(key)`` *before* the read: ``commit`` then raises
    ``redis.WatchError`` if another writer changed any watched key meanwhile, and
    nothing is stored. The caller runs the whole unit again on fresh reads, so of two
    workers claiming the same thing exactly one wins (the consumer loop does this for
    every handler; see ``shared.consumer``).
    """

    def __init__(self, redis_client: redis.Redis, outbox: Outbox, watch: list[str] | tuple = (),
                 publish: Callable[[list[Staged]], None] | None = None):
        """``publish``: given the events this unit staged once it has committed, to send at
        once (``Outbox.publish``); they are staged leased, so no sweep sends them first.
        Without it they are due at once, for the next sweep."""
        self.redis = redis_client
        self.pipe = redis_client.pipeline(transaction=True)
        self._outbox = outbox
        self._publish = publish
        self.staged: list[Staged] = []
        self._done_key: str | None = None       # ``done_unless``'s key, not yet read
        self._guard: redis.client.Pipeline | None = None   # holds the WATCHes on its own connection
        self.watched: set[str] = set()
        self.emitted: list[Event] = []
        if watch:
            self.watch(*watch)

    def watch(self, *keys: str) -> None:
        """Guard the reads of ``keys`` that follow: the unit commits only if none of them
        changed after this call."""
        self.read_for_update(keys)

    def done_unless(self, key: str) -> None:
        """Go on only if ``key`` does not exist (an event's processed mark): it is watched,
        and read, with the unit's first ``read_for_update`` (or at ``commit``, or by
        ``already_done``), in the same round trip; ``AlreadyDone`` is raised there if it
        exists. A handler's reads before that are plain reads, which change nothing."""
        self._done_key = key

    def already_done(self) -> bool:
        """Whether ``done_unless``'s key exists, read now if no read has taken it yet
        (a unit that failed before its first read: a duplicate, not a failure)."""
        if self._done_key is None:
            return False
        try:
            self.read_for_update(())
        except AlreadyDone:
            return True
        return False

    def read_for_update(self, keys: Iterable[str], *reads: tuple) -> list:
        """``watch(*keys)`` and the ``reads`` it guards (commands as tuples, e.g.
        ``("GET", key)``), sent together: one round trip on the watching connection in
        place of one for the watch and one for each read. Their replies, in order.

        A connection lost before anything was watched is tried once more (as
        ``make_redis`` allows); lost while keys were watched, the watches are gone with
        it, so ``redis.WatchError`` says to run the unit again."""
        done_key = self._done_key
        if done_key is not None:
            keys, reads = [done_key, *keys], (("EXISTS", done_key), *reads)
        new = [k for k in dict.fromkeys(keys) if k not in self.watched]
        commands = ([("WATCH", *new)] if new else []) + list(reads)
        if not commands:
            return []
        if self._guard is None:
            self._guard = self.redis.pipeline(transaction=True)
        guard = self._guard
        if guard.connection is None:
            guard.connection = guard.connection_pool.get_connection()
        conn = guard.connection

        def send_and_read() -> list:
            conn.send_packed_command(conn.pack_commands(commands))
            replies, refused = [], None
            for command in commands:      # every reply is read, so none is left on the wire
                try:
                    replies.append(guard.parse_response(conn, command[0]))
                except redis.ResponseError as exc:
                    refused = refused or exc
                    replies.append(None)
            if refused is not None:
                raise refused
            return replies

        def lost(error: Exception) -> None:
            conn.disconnect()
            if guard.watching:
                self.discard()
                raise redis.WatchError(f"{type(error).__name__} while watching: {error}")

        replies = conn.retry.call_with_retry(send_and_read, lost)
        self.watched.update(new)
        self._done_key = None
        replies = replies[1:] if new else replies
        if done_key is not None:
            if replies[0]:
                raise AlreadyDone(done_key)
            replies = replies[1:]
        return replies

    def emit(self, event: Event) -> None:
        self.staged.append(self._outbox.stage(self.pipe, event, leased=self._publish is not None))
        self.emitted.append(event)

    def expect(self, event: Event, answer: str, after_s: float) -> None:
        """Emit ``event`` and send it again while ``answer`` has not arrived (``Outbox.expect``)."""
        self.staged.append(self._outbox.expect(self.pipe, event, answer, after_s, leased=self._publish is not None))
        self.emitted.append(event)

    def arrived(self, answer: str) -> None:
        self._outbox.arrived(self.pipe, answer)

    def commit(self) -> None:
        """MULTI/EXEC the queued writes; on the watching connection when keys are watched."""
        if self._done_key is not None:
            self.read_for_update(())
        guard = self._guard
        try:
            if guard is None:
                self.pipe.execute()
            else:
                guard.multi()
                for args, options in self.pipe.command_stack:
                    guard.pipeline_execute_command(*args, **options)
                guard.scripts |= self.pipe.scripts
                guard.execute()
        finally:
            self.discard()
        if self._publish is not None and self.staged:
            staged, self.staged = self.staged, []
            self._publish(staged)

    def discard(self) -> None:
        """Drop the queued writes and the watches (a unit given up, or retried afresh)."""
        self.pipe.reset()
        if self._guard is not None:
            self._guard.reset()
            self._guard = None
        self.watched = set()


def queue_script(pipe, script: str, keys: list[str], args: list) -> None:
    """Queue a Lua script on a transaction's pipeline by its text (EVAL). A script
    registered with redis-py makes the pipeline ask SCRIPT EXISTS before every EXEC: a
    round trip per commit. EVAL needs none, and Redis keeps the compiled script by its
    hash, so it is compiled once; a Redis that restarted compiles it again, where an
    EVALSHA inside MULTI would fail alone and let the rest of the transaction apply."""
    pipe.eval(script, len(keys), *keys, *args)


T = TypeVar("T")


class StillContended(Exception):
    """A unit lost its race every time it was tried."""


def claim(start: Callable[[], UnitOfWork], work: Callable[[UnitOfWork], T], attempts: int = 20) -> T:
    """Run ``work`` in a fresh unit from ``start`` and commit it; when another writer changed
    a watched key first, run it again on fresh reads (at most ``attempts`` times, then
    ``StillContended``). What ``work`` raises is the caller's, and nothing is stored."""
    for _ in range(attempts):
        uow = start()
        try:
            result = work(uow)
            uow.commit()
            return result
        except redis.WatchError:
            continue
        finally:
            uow.discard()
    raise StillContended()
