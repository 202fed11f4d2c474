"""What every route needs: a unit of work to run a use case in, and queries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.payload import Payload
from civiloop_platform.auth.tokens import Principal
from civiloop_platform.edge import usecase
from civiloop_requests.adapters.order_queries import MongoOrderQueries
from civiloop_requests.app.placing import SOURCE
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.domain.actor import Actor

T = TypeVar("T")


def acting(caller: Principal) -> Actor:
    """The caller as the actor the timeline names for a step they take."""
    return Actor(role=caller.role, id=caller.subject)


class UseCases:
    """One HTTP request's use cases, run by the platform's edge, and the order queries."""

    def __init__(self, request: Request) -> None:
        self.request, self.runtime = request, request.app.state.runtime
        self.queries = MongoOrderQueries(self.runtime.database)

    def announce(self, payload: Payload, time: datetime | None = None) -> Envelope:
        """The event for ``payload``, carrying this request's correlation id."""
        return usecase.announce(self.request, payload, source=SOURCE, time=time)

    async def run(self, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """Run ``work`` as every service does (``civiloop_platform.edge.usecase.run``)."""
        return await usecase.run(self.request, work)


Cases = Annotated[UseCases, Depends(UseCases)]
