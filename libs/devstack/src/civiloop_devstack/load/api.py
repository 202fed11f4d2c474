"""The services' HTTP APIs as the load run's people use them, over one pooled async client."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential,
)

from civiloop_devstack.demo import bearer


class Unanswered(RuntimeError):
    """A call got no answer (timeout, reset): it may or may not have taken effect."""

    def __init__(self, method: str, service: str, path: str, cause: Exception) -> None:
        super().__init__(f"load: {method} {service}{path}: {cause!r}")
        # What the run counts: a PoolTimeout is the generator short of connections, a
        # ReadTimeout a service that took longer than the client waits.
        self.kind = f"{method} {service} {type(cause).__name__}"


class Refused(Exception):
    """A service answered with an error status; carries it and the message."""

    def __init__(self, status: int, what: str) -> None:
        super().__init__(f"{status} {what}")
        self.status = status


class Unavailable(Refused):
    """A service answered 5xx: it is failing or on its way back, not judging the request."""


@dataclass
class Api:
    """Base URLs by service name, and the client every simulated person shares."""

    urls: dict[str, str]
    client: httpx.AsyncClient
    unanswered: Counter[str] = field(default_factory=Counter)
    """Calls that went unanswered, by method, service and what went wrong."""
    patience_s: float = 0.0
    """How long a person keeps trying through calls unanswered or answered 5xx (a service
    restarting, a store stalled); 0 is `make load`'s three quick tries of unanswered calls."""

    async def call(self, service: str, method: str, path: str, auth: dict[str, str],
                   **kwargs: Any) -> Any:
        """The JSON answer of one call, or Refused with the status and the service's words."""
        try:
            reply = await self.client.request(method, self.urls[service] + path,
                                              headers=auth, **kwargs)
        except httpx.TransportError as exc:  # say which call: the stack trace does not
            unanswered = Unanswered(method, service, path, exc)
            self.unanswered[unanswered.kind] += 1
            raise unanswered from exc
        if reply.status_code >= 300:
            failed = Unavailable if reply.status_code >= 500 else Refused
            raise failed(reply.status_code, f"{method} {service}{path}: {reply.text[:300]}")
        return reply.json() if reply.content else None

    async def read(self, service: str, path: str, auth: dict[str, str], **kwargs: Any) -> Any:
        """A GET, asked again when it goes unanswered (and, with patience, answered 5xx)."""
        async for attempt in self.again():
            with attempt:
                return await self.call(service, "GET", path, auth, **kwargs)
        raise AssertionError("unreachable: tenacity reraises")

    async def step(self, service: str, method: str, path: str, auth: dict[str, str],
                   **kwargs: Any) -> None:
        """A person's action, tried again when it went unanswered, as an app would."""
        async for attempt in self.again():
            with attempt:
                try:
                    await self.call(service, method, path, auth, **kwargs)
                except Refused as exc:
                    # A 409 naming it done "already" after an unanswered try: that try went
                    # through.
                    if not (attempt.retry_state.attempt_number > 1 and exc.status == 409
                            and "already" in str(exc)):
                        raise

    def passing(self, exc: BaseException) -> bool:
        """Whether ``exc`` is worth trying again: no answer, or (with patience) a 5xx."""
        return isinstance(exc, Unanswered) or (self.patience_s > 0
                                               and isinstance(exc, Unavailable))

    def again(self) -> AsyncRetrying:
        """Three quick tries while a call goes unanswered; with patience, tries for that long."""
        if not self.patience_s:
            return AsyncRetrying(stop=stop_after_attempt(3), reraise=True,
                                 retry=retry_if_exception(self.passing))
        return AsyncRetrying(stop=stop_after_delay(self.patience_s), reraise=True,
                             wait=wait_exponential(multiplier=0.5, max=5),
                             retry=retry_if_exception(self.passing))


def admin() -> dict[str, str]:
    """The district admin's token (sees every unit)."""
    return bearer("district_admin", "load-admin")


def volunteer(volunteer_id: str) -> dict[str, str]:
    """A volunteer's token."""
    return bearer("volunteer", volunteer_id)


def resident(resident_id: str) -> dict[str, str]:
    """A resident's token."""
    return bearer("resident", resident_id)
