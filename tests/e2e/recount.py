"""Every figure stats publishes, recounted from what the owning services list.

The order's life is requests' timeline: an order reached a step when requests recorded it,
and a later step implies the earlier ones (requests' own rule: an accept that overtook its
dispatch still says the order was dispatched). People served and hours are volunteers',
stars and follow-ups feedback's. The definitions are those of docs/services/stats.md,
written again here without stats' code, so that the two can disagree.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tests.e2e.owners import Order, Owners, Place, moment

Value = int | float | None
REACHED_BY = {  # milestone: the timeline steps that show the order got there
    "dispatched": {"dispatch", "decline", "expire", "accept", "start_service", "complete",
                   "rate", "close"},
    "accepted": {"accept", "start_service", "complete", "rate", "close"},
    "completed": {"complete", "rate", "close"},
    "rated": {"rate"},
    "cancelled": {"cancel"},
    "escalated": {"escalate"},
    "unassignable": {"mark_unassignable"},
}
ENDINGS = {"cancel": "cancelled", "mark_unassignable": "unassignable", "link_duplicate": "duplicate"}


@dataclass(frozen=True)
class Ask:
    """One unit (by code), optional platform and category, and a period ending at ``as_of``."""

    code: str
    as_of: datetime
    since: datetime | None = None
    platform: str | None = None
    category: str | None = None

    def in_period(self, at: datetime | None) -> bool:
        """Whether ``at`` falls in the period."""
        return at is not None and at <= self.as_of and (self.since is None or at >= self.since)


def covers(owners: Owners, code: str, place: Place | None) -> bool:
    """Whether ``place`` lies in unit ``code``."""
    level = owners.units[code]["level"]
    return place is not None and code == {"centre": place.centre, "institute": place.institute,
                                          "station": place.station}[level]


def first(order: Order, milestone: str) -> datetime | None:
    """When the order first reached ``milestone``: the time of the earliest-recorded step
    that shows it (reports carry their own times, so a later line may bear an earlier one:
    a check-in a kiosk sends late)."""
    return next((s.at for s in order.steps if s.step in REACHED_BY[milestone]), None)


def closed_unrated_at(order: Order, as_of: datetime) -> datetime | None:
    """When the order closed unrated, if that is how it stands at ``as_of``."""
    closes: list[tuple[datetime, str]] = []
    for before, step in zip((None, *order.steps), order.steps, strict=False):
        if step.step == "close":  # closing right after the rating: rated
            closes.append((step.at, "rated" if before and before.step == "rate" else "unrated"))
        elif step.step in ENDINGS:
            closes.append((step.at, ENDINGS[step.step]))
    standing = [c for c in closes if c[0] <= as_of]
    if not standing:
        return None
    at, outcome = max(standing)
    reopened = any(at < s.at <= as_of for s in order.steps if s.step == "reopen")
    return at if outcome == "unrated" and not reopened else None


def ratio(numerator: float, denominator: float | None, digits: int) -> float | None:
    """numerator ÷ denominator rounded; None without a denominator."""
    return round(numerator / denominator, digits) if denominator else None


def percentile(values: list[float], p: int) -> float | None:
    """Linear interpolation between closest ranks (PERCENTILE.INC)."""
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def recount(owners: Owners, ask: Ask, population: int | None) -> dict[str, Value]:
    """Every figure of docs/services/stats.md for ``ask``."""
    orders = [o for o in owners.orders.values() if not o.duplicate
              and covers(owners, ask.code, o.place)
              and ask.platform in (None, o.platform) and ask.category in (None, o.category)]
    registered = {v["volunteer_id"] for v in owners.roster if v["status"] != "left"
                  and moment(v["registered_at"]) <= ask.as_of
                  and covers(owners, ask.code, Place.of(v["unit"]))}
    shown: dict[str, Value] = {"registered_volunteers": len(registered), "population": population,
                               "registration_rate": ratio(len(registered), population, 4)}
    shown |= registry(owners, ask) | milestones(owners, orders, ask) | durations(orders, ask)
    shown |= hours(owners, ask, len(registered)) | satisfaction(owners, orders, ask, shown)
    ids = {o.order_id for o in orders}
    shown["open_follow_ups"] = sum(1 for f in owners.follow_ups if f["order_id"] in ids
                                   and moment(f["opened_at"]) <= ask.as_of
                                   and (f["resolved_at"] is None
                                        or moment(f["resolved_at"]) > ask.as_of))
    return shown


def registry(owners: Owners, ask: Ask) -> dict[str, Value]:
    """Teams, organisations and honours standing in the unit."""
    return {
        "organisations": sum(1 for o in owners.organisations
                             if covers(owners, ask.code, Place.of(o["unit"]))),
        "teams": sum(1 for t in owners.teams if t["active"] and ask.platform in (None, t["platform"])
                     and covers(owners, ask.code, Place.of(t["unit"]))),
        "honours": sum(1 for h in owners.honours
                       if covers(owners, ask.code, owners.place_of(h["station"]))),
    }


def milestones(owners: Owners, orders: list[Order], ask: Ask) -> dict[str, Value]:
    """The loop's counts, activities and people served."""
    def count(milestone: str) -> int:
        return sum(1 for o in orders if ask.in_period(first(o, milestone)))

    by_id = {o.order_id: o for o in orders}
    done = [(by_id[s["order_id"]], s) for s in owners.services
            if s["order_id"] in by_id and s["completed_at"] is not None
            and ask.in_period(moment(s["completed_at"]))]
    return {
        "orders_placed": sum(1 for o in orders if ask.in_period(o.steps[0].at)),
        **{f"orders_{m}": count(m) for m in ("dispatched", "accepted", "completed", "rated",
                                             "cancelled", "escalated", "unassignable")},
        "orders_closed_unrated": sum(1 for o in orders
                                     if ask.in_period(closed_unrated_at(o, ask.as_of))),
        "activities_held": sum(1 for o, _ in done if o.group_activity),
        "people_served": sum(int(s["people_served"]) for _, s in done),
    }


def durations(orders: list[Order], ask: Ask) -> dict[str, Value]:
    """Minutes from placing to the first dispatch, accept and completion."""
    shown: dict[str, Value] = {}
    for name, milestone in (("dispatch", "dispatched"), ("accept", "accepted"),
                            ("complete", "completed")):
        minutes = [(reached - o.steps[0].at).total_seconds() / 60 for o in orders
                   if ask.in_period(o.steps[0].at) and (reached := first(o, milestone))
                   and reached <= ask.as_of]
        for label, p in (("median", 50), ("p90", 90)):
            value = percentile(minutes, p)
            shown[f"{name}_{label}_min"] = None if value is None else round(value, 1)
    return shown


def counted_hours(owners: Owners, ask: Ask) -> dict[str, float]:
    """Counted hours per volunteer in the unit: the latest per order and volunteer."""
    places = {v["volunteer_id"]: Place.of(v["unit"]) for v in owners.roster}
    latest: dict[tuple[str, str], tuple[datetime, float]] = {}
    for entry in owners.hours:
        if entry["status"] not in ("final", "approved"):
            continue
        at = moment(entry["decided_at"] or entry["recorded_at"])
        key = (entry["order_id"] or entry["activity_id"] or entry["entry_id"],
               entry["volunteer_id"])
        if at <= ask.as_of and (key not in latest or latest[key][0] < at):
            latest[key] = (at, float(entry["hours"]))
    totals: dict[str, float] = {}
    for (subject, volunteer), (at, amount) in latest.items():
        order = owners.orders.get(subject)
        if not ask.in_period(at) or ((ask.platform or ask.category) and (
                order is None or ask.platform not in (None, order.platform)
                or ask.category not in (None, order.category))):
            continue
        if covers(owners, ask.code, places.get(volunteer) or (order.place if order else None)):
            totals[volunteer] = totals.get(volunteer, 0.0) + amount
    return totals


def hours(owners: Owners, ask: Ask, registered: int) -> dict[str, Value]:
    """Service hours, active volunteers and hours per volunteer."""
    per_volunteer = counted_hours(owners, ask)
    total = round(sum(per_volunteer.values()), 2)
    active = sum(1 for h in per_volunteer.values() if h > 0)
    return {"service_hours": total, "active_volunteers": active,
            "hours_per_registered_volunteer": ratio(total, registered, 2),
            "hours_per_active_volunteer": ratio(total, active, 2)}


def satisfaction(owners: Owners, orders: Iterable[Order], ask: Ask,
                 shown: dict[str, Value]) -> dict[str, Value]:
    """Stars of the rated orders (feedback's latest), and the share closed unrated."""
    stars = [owners.stars[o.order_id] for o in orders
             if ask.in_period(first(o, "rated")) and o.order_id in owners.stars]
    rated, unrated = int(shown["orders_rated"] or 0), int(shown["orders_closed_unrated"] or 0)
    return {"average_stars": ratio(sum(stars), len(stars), 2),
            "share_4_5_stars": ratio(sum(1 for s in stars if s >= 4), len(stars), 4),
            "share_unrated": ratio(unrated, rated + unrated, 4)}


def as_row(values: dict[str, Any]) -> dict[str, str]:
    """Values as stats' CSV writes them (None empty)."""
    return {k: "" if v is None else str(v) for k, v in values.items()}
