"""A small SSE reader for tests: reads a live stream in a thread, hands out its events."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

PATIENCE_S = 90.0


@dataclass(frozen=True)
class Event:
    """One dispatched SSE event."""

    event: str
    data: Any
    id: str | None


class LiveStream:
    """GET ``url`` as an EventSource would, collecting events until closed."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.events: queue.Queue[Event | BaseException] = queue.Queue()
        self.seen: list[Event] = []
        self._stop = threading.Event()
        self.status: int | None = None
        self._opened = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(url, headers or {}),
                                        daemon=True)
        self._thread.start()
        if not self._opened.wait(PATIENCE_S):
            raise AssertionError(f"{url} did not answer")

    def _read(self, url: str, headers: dict[str, str]) -> None:
        try:
            # The server pings every few seconds (LIVE_PING_S), so a read never waits long.
            with httpx.stream("GET", url, headers={"Accept": "text/event-stream", **headers},
                              timeout=httpx.Timeout(30)) as reply:
                self.status = reply.status_code
                self._opened.set()
                if reply.status_code != 200:
                    reply.read()
                    self.events.put(Event("refused", reply.json(), None))
                    return
                self._parse(reply.iter_lines())
        except BaseException as exc:  # handed to the test, which fails with it
            self._opened.set()
            self.events.put(exc)

    def _parse(self, lines: Any) -> None:
        fields: dict[str, str] = {}
        for line in lines:
            if self._stop.is_set():
                return
            if line == "":
                if "data" in fields:
                    self.events.put(Event(fields.get("event", "message"),
                                          json.loads(fields["data"]), fields.get("id")))
                fields = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")

    def wait_for(self, match: Callable[[Event], bool], what: str,
                 within_s: float = PATIENCE_S) -> Event:
        """The first event (from now) that ``match``es; fail naming ``what`` otherwise."""
        while True:
            try:
                item = self.events.get(timeout=within_s)
            except queue.Empty:
                raise AssertionError(f"no event: {what}; saw {self.seen}") from None
            if isinstance(item, BaseException):
                raise AssertionError(f"the stream failed while waiting for {what}") from item
            self.seen.append(item)
            if match(item):
                return item

    def close(self) -> None:
        """Stop reading (the thread leaves at the next line: an event or a ping)."""
        self._stop.set()

    def __enter__(self) -> LiveStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_event(name: str, **fields: Any) -> Callable[[Event], bool]:
    """A matcher: an event ``name`` whose data has these ``fields``."""
    return lambda e: e.event == name and all(e.data.get(k) == v for k, v in fields.items())
