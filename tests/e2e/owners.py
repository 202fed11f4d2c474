"""What the services that own the facts say, read through their own list APIs as the district.

requests: every order and its timeline (the order's life); volunteers: the roster, the
services (people served), each volunteer's hours ledger, teams and organisations, the
honours board; feedback: ratings and follow-ups. ``tests/e2e/recount.py`` turns this into
the figures stats must publish.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from civiloop_devstack.demo import bearer

Doc = dict[str, Any]
PAGE = 200  # the largest page the requests and volunteers lists give
RATINGS_LIMIT = 500  # feedback's lists have no pages: one station must stay below this
READERS = 8  # owners read at once: few enough not to be a load of their own


def moment(text: str) -> datetime:
    """An API time as stats keeps it: UTC, to the millisecond."""
    at = datetime.fromisoformat(text).astimezone(UTC)
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


@dataclass(frozen=True)
class Place:
    """Unit codes of an order, volunteer or team at the three levels."""

    centre: str
    institute: str | None
    station: str | None

    @classmethod
    def of(cls, unit: Doc) -> Place:
        """The place of a UnitRef as the APIs show it."""
        return cls(unit["centre"], unit.get("institute"), unit.get("station"))


@dataclass(frozen=True)
class Step:
    """One line of an order's timeline in requests."""

    at: datetime
    step: str


@dataclass(frozen=True)
class Order:
    """An order as requests keeps it: where, what, and every step it took."""

    order_id: str
    place: Place
    platform: str
    category: str
    group_activity: bool
    duplicate: bool
    steps: tuple[Step, ...]


@dataclass
class Owners:
    """Everything the owning services list, for the whole district."""

    units: dict[str, Doc] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    stars: dict[str, int] = field(default_factory=dict)
    roster: list[Doc] = field(default_factory=list)
    services: list[Doc] = field(default_factory=list)
    hours: list[Doc] = field(default_factory=list)
    teams: list[Doc] = field(default_factory=list)
    organisations: list[Doc] = field(default_factory=list)
    honours: list[Doc] = field(default_factory=list)
    follow_ups: list[Doc] = field(default_factory=list)

    def place_of(self, code: str) -> Place:
        """The place of a unit of the tree, from its code."""
        unit = self.units[code]
        if unit["level"] == "centre":
            return Place(code, None, None)
        if unit["level"] == "institute":
            return Place(unit["parent"], code, None)
        return Place(self.units[unit["parent"]]["parent"], unit["parent"], code)


class Reader:
    """Reads the owners' lists as the district admin."""

    def __init__(self, urls: dict[str, str]) -> None:
        self.urls, self.auth = urls, bearer("district_admin", "recount")

    def get(self, client: httpx.Client, service: str, path: str, **params: Any) -> Any:
        """One GET; raise with the answer when it fails."""
        reply = client.get(self.urls[service] + path, params=params, headers=self.auth)
        if reply.status_code != 200:
            raise AssertionError(f"GET {service}{path}: {reply.status_code} {reply.text[:300]}")
        return reply.json()

    def pages(self, client: httpx.Client, service: str, path: str) -> list[Doc]:
        """Every item of a paged list (``items``, ``total``)."""
        found: list[Doc] = []
        page = 1
        while True:
            got = self.get(client, service, path, page=page, page_size=PAGE)
            found += got["items"]
            if page * PAGE >= got["total"]:
                return found
            page += 1

    def read(self) -> Owners:
        """Everything, the district's whole tree."""
        owners = Owners()
        with httpx.Client(timeout=30) as client:
            owners.units = {u["code"]: u for u in self.get(client, "stats", "/api/v1/stats/units")}
            self._orders(client, owners)
            self._people(client, owners)
            self._feedback(client, owners)
        return owners

    def each(self, client: httpx.Client, service: str, path: Callable[[Doc], str],
             items: list[Doc]) -> list[Any]:
        """One GET per item, ``READERS`` at a time, the answers in the items' order (one by
        one, the recount after a chaos run read for over half a minute on a busy machine)."""
        with ThreadPoolExecutor(READERS) as pool:
            return list(pool.map(lambda item: self.get(client, service, path(item)), items))

    def _orders(self, client: httpx.Client, owners: Owners) -> None:
        views = self.pages(client, "requests", "/api/v1/requests/orders")
        timelines = self.each(client, "requests",
                              lambda v: f"/api/v1/requests/orders/{v['order_id']}/timeline", views)
        for view, timeline in zip(views, timelines, strict=True):
            owners.orders[view["order_id"]] = Order(
                view["order_id"], Place.of(view["unit"]), view["platform"], view["category"],
                view["group_activity"], view.get("duplicate_of") is not None,
                tuple(Step(moment(s["at"]), s["step"]) for s in timeline["steps"]))

    def _people(self, client: httpx.Client, owners: Owners) -> None:
        base = "/api/v1/volunteers"
        owners.roster = self.pages(client, "volunteers", base)
        owners.services = self.pages(client, "volunteers", f"{base}/services")
        owners.teams = self.pages(client, "volunteers", f"{base}/teams")
        owners.organisations = self.pages(client, "volunteers", f"{base}/organisations")
        owners.honours = self.get(client, "volunteers", f"{base}/honours/board")
        for ledger in self.each(client, "volunteers",
                                lambda v: f"{base}/{v['volunteer_id']}/hours", owners.roster):
            owners.hours += ledger["entries"]

    def _feedback(self, client: httpx.Client, owners: Owners) -> None:
        stations = [c for c, u in owners.units.items() if u["level"] == "station"]
        for station in stations:
            ratings = self.get(client, "feedback", "/api/v1/feedback/ratings",
                               station=station, limit=RATINGS_LIMIT)
            assert len(ratings) < RATINGS_LIMIT, f"{station}: too many ratings to list at once"
            # An order served again after a follow-up has a rating per round: the last counts.
            for rating in sorted(ratings, key=lambda r: r["round"]):
                owners.stars[rating["order_id"]] = rating["current"]["stars"]
        owners.follow_ups = self.get(client, "feedback", "/api/v1/feedback/follow-ups",
                                     limit=RATINGS_LIMIT)
        assert len(owners.follow_ups) < RATINGS_LIMIT, "too many follow-ups to list at once"
