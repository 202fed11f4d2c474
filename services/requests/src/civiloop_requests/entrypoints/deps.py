"""What every route needs: a unit of work to run a use case in, and queries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_random

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.payload import Payload, make_event
from civiloop_platform.auth.tokens import Principal
from civiloop_platform.store.versioned import Stale
from civiloop_requests.adapters.order_queries import MongoOrderQueries
from civiloop_requests.app.placing import SOURCE
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.domain.actor import Actor

T = TypeVar("T")


def acting(caller: Principal) -> Actor:
    """The caller as the actor the timeline names for a step they take."""
    return Actor(role=caller.role, id=caller.subject)


class UseCases:
    """Runs use cases for one HTTP request: in a transaction, events tagged with its correlation."""

    def __init__(self, request: Request) -> None:
        self.runtime = request.app.state.runtime
        self.correlation_id: str = request.state.correlation_id
        self.queries = MongoOrderQueries(self.runtime.database)

    def announce(self, payload: Payload, time: datetime | None = None) -> Envelope:
        """The event for ``payload``, carrying this request's correlation id."""
        return make_event(payload, source=SOURCE, correlation_id=self.correlation_id, time=time)

    async def run(self, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """Run ``work`` in one transaction, again from a fresh read if a concurrent write won."""
        async for attempt in AsyncRetrying(stop=stop_after_attempt(5), reraise=True,
                                           wait=wait_random(0.01, 0.1),
                                           retry=retry_if_exception_type(Stale)):
            with attempt:
                result: T = await self.runtime.unit_of_work().run(work)
        return result


Cases = Annotated[UseCases, Depends(UseCases)]
