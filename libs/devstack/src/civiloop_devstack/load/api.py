"""The services' HTTP APIs as the load run's people use them, over one pooled async client."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt

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


@dataclass
class Api:
    """Base URLs by service name, and the client every simulated person shares."""

    urls: dict[str, str]
    client: httpx.AsyncClient
    unanswered: Counter[str] = field(default_factory=Counter)
    """Calls that went unanswered, by method, service and what went wrong."""

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
            raise Refused(reply.status_code,
                          f"{method} {service}{path}: {reply.text[:300]}")
        return reply.json() if reply.content else None

    async def read(self, service: str, path: str, auth: dict[str, str], **kwargs: Any) -> Any:
        """A GET, asked again (up to three times) when it goes unanswered."""
        async for attempt in _again():
            with attempt:
                return await self.call(service, "GET", path, auth, **kwargs)
        raise AssertionError("unreachable: tenacity reraises")

    async def step(self, service: str, method: str, path: str, auth: dict[str, str],
                   **kwargs: Any) -> None:
        """A person's action, tried again when it went unanswered, as an app would."""
        async for attempt in _again():
            with attempt:
                try:
                    await self.call(service, method, path, auth, **kwargs)
                except Refused as exc:
                    # A 409 naming it done "already" after an unanswered try: that try went
                    # through.
                    if not (attempt.retry_state.attempt_number > 1 and exc.status == 409
                            and "already" in str(exc)):
                        raise


def _again() -> AsyncRetrying:
    """Up to three tries while a call goes unanswered."""
    return AsyncRetrying(stop=stop_after_attempt(3), reraise=True,
                         retry=retry_if_exception_type(Unanswered))


def admin() -> dict[str, str]:
    """The district admin's token (sees every unit)."""
    return bearer("district_admin", "load-admin")


def volunteer(volunteer_id: str) -> dict[str, str]:
    """A volunteer's token."""
    return bearer("volunteer", volunteer_id)


def resident(resident_id: str) -> dict[str, str]:
    """A resident's token."""
    return bearer("resident", resident_id)
