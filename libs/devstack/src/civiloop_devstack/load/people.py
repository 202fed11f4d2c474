"""Volunteers who answer their offers and serve, and residents who judge the service."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_after_delay, wait_fixed

from civiloop_devstack.load import live
from civiloop_devstack.load.api import Api, Refused, Unanswered, admin, resident, volunteer
from civiloop_devstack.load.plan import LoadPlan, Order
from civiloop_devstack.load.tally import Tally

# Offers come by the live stream, as on the app's offers screen; the app also looks by hand
# when the stream (re)connects, and this slow look catches what a broken stream missed.
SAFETY_POLL_S = 60.0
Looks = asyncio.Queue[list[dict[str, Any]] | None]
"""Offers the stream brought, or None: look by hand (the stream is ready)."""
RATE_WITHIN_S = 120.0
V = "/api/v1/volunteers"


async def pause(stop: asyncio.Event, seconds: float) -> None:
    """Sleep ``seconds``, or less if the run is told to stop."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


@dataclass
class Volunteers:
    """Each volunteer follows their offers live, declines a few, and serves the rest."""

    api: Api
    plan: LoadPlan
    tally: Tally
    served: asyncio.Queue[str]
    streams: httpx.AsyncClient
    """The client the live streams hold their connections on (see ``live.streams_client``)."""
    seen: set[str] = field(default_factory=set)

    async def run(self, ids: list[str], stop: asyncio.Event) -> None:
        """Every volunteer of ``ids`` at work until ``stop``."""
        await asyncio.gather(*(self.work(v, stop) for v in ids))

    async def work(self, me: str, stop: asyncio.Event) -> None:
        """One volunteer: follow the live offers and answer the new ones as they come."""
        looks: Looks = asyncio.Queue()
        follower = asyncio.create_task(self.follow(me, looks, stop))
        try:
            while not stop.is_set():
                for offer in await self.next_offers(me, looks, stop):
                    if offer["assignment_id"] not in self.seen:
                        self.seen.add(offer["assignment_id"])
                        await self.answer(me, offer)
        finally:
            follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await follower

    async def follow(self, me: str, looks: Looks, stop: asyncio.Event) -> None:
        """``GET /offers/mine/live`` as the app's EventSource: reconnected whenever it ends."""
        url = self.api.urls["volunteers"] + f"{V}/offers/mine/live"
        while not stop.is_set():
            with contextlib.suppress(httpx.HTTPError, httpx.StreamError):
                async for event, item in live.events(self.streams, url, volunteer(me)):
                    if event == "ready":
                        looks.put_nowait(None)
                    elif event == "offer" and live.awaits(item, me):
                        looks.put_nowait([item])
            await pause(stop, live.RECONNECT_S)

    async def next_offers(self, me: str, looks: Looks, stop: asyncio.Event) -> list[dict[str, Any]]:
        """What the stream brings next, or a look by hand when it says so or stays quiet."""
        got, stopped = asyncio.ensure_future(looks.get()), asyncio.ensure_future(stop.wait())
        await asyncio.wait({got, stopped}, timeout=SAFETY_POLL_S,
                           return_when=asyncio.FIRST_COMPLETED)
        got.cancel()
        stopped.cancel()
        if got.done() and not got.cancelled() and (offers := got.result()) is not None:
            return offers
        return [] if stop.is_set() else await self.look(me)

    async def look(self, me: str) -> list[dict[str, Any]]:
        """``GET /offers/mine?awaiting=true``; nothing when it goes unanswered (look later)."""
        try:
            offers: list[dict[str, Any]] = await self.api.call(
                "volunteers", "GET", f"{V}/offers/mine", volunteer(me),
                params={"awaiting": "true"})
        except (Refused, Unanswered) as exc:
            if not self.api.passing(exc):
                raise
            return []
        return offers

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
