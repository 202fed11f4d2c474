"""Volunteers who answer their offers and serve, and residents who judge the service."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tenacity import AsyncRetrying, retry_if_exception, stop_after_delay, wait_fixed

from civiloop_devstack.load.api import Api, Refused, Unanswered, admin, resident, volunteer
from civiloop_devstack.load.plan import LoadPlan, Order
from civiloop_devstack.load.tally import Tally

POLL_S = (1.0, 5.0)  # a volunteer with nothing new looks less and less often, up to 5 s
RATE_WITHIN_S = 120.0
V = "/api/v1/volunteers"


async def pause(stop: asyncio.Event, seconds: float) -> None:
    """Sleep ``seconds``, or less if the run is told to stop."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


@dataclass
class Volunteers:
    """Each volunteer looks at their offers, declines a few, and serves the rest."""

    api: Api
    plan: LoadPlan
    tally: Tally
    served: asyncio.Queue[str]
    seen: set[str] = field(default_factory=set)

    async def run(self, ids: list[str], stop: asyncio.Event) -> None:
        """Every volunteer of ``ids`` at work until ``stop``."""
        await asyncio.gather(*(self.work(v, stop) for v in ids))

    async def work(self, me: str, stop: asyncio.Event) -> None:
        """One volunteer: look at offers, answer the new ones, look again later."""
        idle = POLL_S[0]
        while not stop.is_set():
            try:
                offers = await self.api.call("volunteers", "GET", f"{V}/offers/mine",
                                             volunteer(me), params={"awaiting": "true"})
            except (Refused, Unanswered) as exc:
                if not self.api.passing(exc):
                    raise
                offers = []  # look again later, as an app would
            fresh = [o for o in offers if o["assignment_id"] not in self.seen]
            for offer in fresh:
                self.seen.add(offer["assignment_id"])
                await self.answer(me, offer)
            idle = POLL_S[0] if fresh else min(idle * 2, POLL_S[1])
            await pause(stop, idle)

    async def answer(self, me: str, offer: dict[str, Any]) -> None:
        """Decline (now and then) or accept, check in and out, and complete the order."""
        self.tally.offers += 1
        path, token = f"{V}/assignments/{offer['assignment_id']}", volunteer(me)
        declining = self.plan.declines()
        try:
            if declining:
                await self.api.step("volunteers", "POST", f"{path}/decline", token,
                                    json={"reason": "unavailable", "note": "那天在外地"})
            else:
                await self.api.step("volunteers", "POST", f"{path}/accept", token, json={})
        except Refused as exc:
            if exc.status != 409:
                raise
            self.tally.taken_back += 1  # withdrawn between the look and the answer
            return
        if declining:
            self.tally.declined += 1
            return
        self.tally.accepted += 1
        await self.serve(me, offer["order_id"])

    async def serve(self, me: str, order_id: str) -> None:
        """Check in and out now (after the accept, so the hours are final), report it done."""
        path, token = f"{V}/orders/{order_id}", volunteer(me)
        for step in ("check-in", "check-out"):  # the server's clock stamps both
            await self.api.step("volunteers", "POST", f"{path}/{step}", token, json={})
        await self.api.step("volunteers", "POST", f"{path}/complete", token,
                            json={"people_served": 1, "summary": "压测：服务完成"})
        self.tally.completed += 1
        await self.served.put(order_id)


def _not_yet(exc: BaseException) -> bool:
    """Feedback has not heard of the completion yet (it travels as an event), or no answer."""
    return isinstance(exc, Unanswered) or (isinstance(exc, Refused) and (exc.status == 404 or (
        exc.status == 409 and "not completed" in str(exc))))


@dataclass
class Residents:
    """Each resident whose order was served rates it: by phone app, or at the station kiosk."""

    api: Api
    orders: dict[str, Order]
    tally: Tally
    kiosk: Callable[[Order, str], Awaitable[None]]

    async def run(self, served: asyncio.Queue[str], stop: asyncio.Event,
                  workers: int = 8) -> None:
        """Rate every served order as it comes, ``workers`` at a time, until ``stop`` and done."""
        async def rater() -> None:
            while not (stop.is_set() and served.empty()):
                try:
                    order_id = await asyncio.wait_for(served.get(), 0.5)
                except TimeoutError:
                    continue  # nothing served just now: look whether the run is over
                await self.rate(order_id)
        await asyncio.gather(*(rater() for _ in range(workers)))

    async def rate(self, order_id: str) -> None:
        """The order's own resident judges it."""
        view = await self.api.read("requests", f"/api/v1/requests/orders/{order_id}", admin())
        order = self.orders[view["request_id"]]
        if order.at_kiosk:
            await self.kiosk(order, order_id)
        else:
            await self.by_phone(order, order_id)
        self.tally.rated += 1

    async def by_phone(self, order: Order, order_id: str) -> None:
        """POST the rating, again while feedback has not yet heard of the completion."""
        body = {"stars": order.stars, "tags": ["on_time"] if order.stars >= 4 else ["late"],
                "comment": "压测评价"}
        within_s = max(RATE_WITHIN_S, self.api.patience_s)
        async for attempt in AsyncRetrying(stop=stop_after_delay(within_s),
                                           wait=wait_fixed(1.0), reraise=True,
                                           retry=retry_if_exception(
                                               lambda e: _not_yet(e) or self.api.passing(e))):
            with attempt:
                try:
                    await self.api.call("feedback", "POST",
                                        f"/api/v1/feedback/orders/{order_id}/rating",
                                        resident(order.resident), json=body)
                except Refused as exc:
                    if not (exc.status == 409 and "rated already" in str(exc)):
                        raise  # rated already: our own earlier try went through
