"""One change feed per replica, fanned out to the live streams of the people watching.

A hub watches a few collections of the service's own database with one MongoDB change
stream (the server waits for changes; nothing polls), opened when the first subscriber
comes and closed a while after the last one leaves. Each committed change is handed to
every subscriber's bounded queue; a subscriber too slow to keep up is dropped (its stream
ends and the browser reconnects). Recent changes are kept for cheap resumes.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pymongo.asynchronous.database import AsyncDatabase

from civiloop_platform.logs import get_logger

log = get_logger(__name__)
T = TypeVar("T")
# How long one wait for changes may last on the server (a write anywhere ends it sooner).
# The feed stops between two waits: cancelling a pending wait can leave pymongo 4.20's
# read hanging, so a stop waits for the current one to end instead.
MAX_AWAIT_MS = 5_000


class HubFull(Exception):
    """This replica serves as many live streams as it may."""


@dataclass
class Change:
    """One committed change of one document: its collection, id and state after it."""

    seq: int
    collection: str
    key: str
    document: dict[str, Any] | None
    _shared: dict[str, asyncio.Future[Any]] = field(default_factory=dict, repr=False)

    def fields(self, *stored_only: str) -> dict[str, Any]:
        """The document's fields without ``_id``, ``version`` and ``stored_only`` ({} if gone)."""
        skip = {"_id", "version", *stored_only}
        return {k: v for k, v in (self.document or {}).items() if k not in skip}

    async def shared(self, name: str, make: Callable[[], Awaitable[T]]) -> T:
        """``make()``'s result, computed once for all subscribers of this change."""
        if name not in self._shared:
            self._shared[name] = asyncio.ensure_future(make())
        result: T = await asyncio.shield(self._shared[name])
        return result


@dataclass
class Settings:
    """Bounds of one hub (the LIVE_* settings)."""

    queue: int = 100
    buffer: int = 1000
    max_subscribers: int = 1000
    idle_close_s: float = 60.0


class Subscription:
    """One live stream's view of the hub: the changes since it subscribed, in order."""

    def __init__(self, hub: ChangeHub, queue: int, epoch: str) -> None:
        self._hub, self.epoch = hub, epoch
        self._queue: asyncio.Queue[Change | None] = asyncio.Queue(queue + 1)
        self.ready_id: str | None = None
        self.resumed = False
        self.closed = False

    def offer(self, change: Change) -> None:
        """Queue ``change``; a full queue means the reader fell behind: end the stream."""
        if self.closed:
            return
        if self._queue.qsize() >= self._queue.maxsize - 1:
            self.end()
            return
        self._queue.put_nowait(change)

    def end(self) -> None:
        """End the stream: the reader gets no more changes, only the end."""
        if not self.closed:
            self.closed = True
            with contextlib.suppress(asyncio.QueueFull):
                self._queue.put_nowait(None)  # the queue keeps one place for this

    async def next(self, timeout_s: float) -> Change | None:
        """The next change, or None once the stream ended or ``timeout_s`` passed."""
        try:
            return await asyncio.wait_for(self._queue.get(), max(timeout_s, 0))
        except TimeoutError:
            return None

    def event_id(self, change: Change) -> str:
        """The SSE id of ``change``: what Last-Event-ID brings back to resume after it."""
        return f"{self.epoch}.{change.seq}"

    def close(self) -> None:
        """Leave the hub (the reader went away)."""
        self.end()
        self._hub.leave(self)


class ChangeHub:
    """The live feed of ``collections`` in ``db`` for this replica's subscribers."""

    def __init__(self, db: AsyncDatabase[Any], collections: tuple[str, ...],
                 settings: Settings | None = None) -> None:
        self.db, self.collections = db, collections
        self.settings = settings or Settings()
        self.epoch, self.seq = uuid.uuid4().hex[:8], 0
        self.recent: deque[Change] = deque(maxlen=self.settings.buffer)
        self.subscribers: set[Subscription] = set()
        self._task: asyncio.Task[None] | None = None
        self._opened: asyncio.Future[None] | None = None
        self._idle_since: float | None = None
        self._stopping = False

    async def subscribe(self, last_event_id: str | None = None) -> Subscription:
        """A new subscription, once the feed listens; changes since ``last_event_id`` replayed."""
        if self._stopping:
            raise HubFull("the service is stopping")
        if len(self.subscribers) >= self.settings.max_subscribers:
            raise HubFull(f"{len(self.subscribers)} live streams on this replica already")
        await self._listening()
        sub = Subscription(self, self.settings.queue, self.epoch)
        backlog = self._since(last_event_id)
        sub.resumed = backlog is not None
        for change in backlog or []:
            sub.offer(change)
        # A resumed stream keeps the browser's last id until the replayed changes move it.
        sub.ready_id = None if sub.resumed else f"{self.epoch}.{self.seq}"
        self.subscribers.add(sub)
        self._idle_since = None
        return sub

    def leave(self, sub: Subscription) -> None:
        """Forget ``sub``; the feed closes after ``idle_close_s`` with nobody left."""
        self.subscribers.discard(sub)
        if not self.subscribers:
            self._idle_since = asyncio.get_running_loop().time()

    def _since(self, last_event_id: str | None) -> list[Change] | None:
        """The kept changes after ``last_event_id``, or None when they are not all kept."""
        epoch, _, seq = (last_event_id or "").partition(".")
        if epoch != self.epoch or not seq.isdigit() or int(seq) > self.seq:
            return None
        oldest = self.recent[0].seq if self.recent else self.seq + 1
        if int(seq) + 1 < oldest:
            return None
        return [c for c in self.recent if c.seq > int(seq)]

    async def _listening(self) -> None:
        """Open the change stream unless it is open; raise what opening it raised."""
        if self._task is None or self._task.done():
            loop = asyncio.get_running_loop()
            self._opened = loop.create_future()
            self._task = asyncio.create_task(self._run(self._opened), name="live-hub")
        assert self._opened is not None
        await asyncio.shield(self._opened)

    async def _run(self, opened: asyncio.Future[None]) -> None:
        pipeline = [{"$match": {"ns.coll": {"$in": list(self.collections)}}}]
        try:
            async with await self.db.watch(pipeline, full_document="updateLookup",
                                           max_await_time_ms=MAX_AWAIT_MS) as stream:
                opened.set_result(None)
                while stream.alive and not self._stopping and not self._idle():
                    event = await stream.try_next()
                    if event is not None:
                        self._publish(event)
        except Exception as exc:  # the streams end; browsers reconnect and refetch
            if not opened.done():
                opened.set_exception(exc)
            log.warning("live feed stopped", error=repr(exc), collections=self.collections)
        finally:
            self._restart()

    def _idle(self) -> bool:
        since = self._idle_since
        return since is not None and (asyncio.get_running_loop().time() - since
                                      > self.settings.idle_close_s)

    def _publish(self, event: dict[str, Any]) -> None:
        """Number the change, keep it, and hand it to every subscriber."""
        self.seq += 1
        change = Change(self.seq, event["ns"]["coll"], str(event["documentKey"]["_id"]),
                        event.get("fullDocument"))
        self.recent.append(change)
        for sub in list(self.subscribers):
            sub.offer(change)

    def _restart(self) -> None:
        """A closed feed: end every stream and start the next feed as a new epoch."""
        for sub in list(self.subscribers):
            sub.end()
        self.subscribers.clear()
        self.recent.clear()
        self.epoch, self._idle_since = uuid.uuid4().hex[:8], None

    async def close(self) -> None:
        """Stop the feed after its current wait and end every stream (the service stops)."""
        self._stopping = True
        if self._task is None:
            return
        _, late = await asyncio.wait([self._task], timeout=MAX_AWAIT_MS / 1000 + 5)
        if late:  # a wait that outlived its bound: cancel, and leave it if even that hangs
            self._task.cancel()
            await asyncio.wait([self._task], timeout=5)
