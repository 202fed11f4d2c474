"""The figures of one scope, computed from a snapshot of facts as ``definitions`` says."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from civiloop_stats.domain.definitions import FIGURES
from civiloop_stats.domain.facts import OrderFacts, Place, Snapshot, VolunteerFacts, as_of
from civiloop_stats.domain.quantiles import percentile
from civiloop_stats.domain.scope import Scope

Value = int | float | None
Figures = dict[str, Value]


def summarise(snapshot: Snapshot, scope: Scope, population: int | None) -> Figures:
    """Every figure of FIGURES for ``scope``, in their order; None where undefined."""
    registered = registered_volunteers(snapshot.volunteers, scope)
    figures: Figures = {"registered_volunteers": len(registered), "population": population,
                        "registration_rate": ratio(len(registered), population, 4)}
    figures |= _registry(snapshot, scope)
    orders = list(orders_in(snapshot, scope))
    figures |= _milestones(orders, scope) | _durations(orders, scope)
    figures |= _activities(snapshot, scope, figures)
    figures |= _hours(snapshot, scope, len(registered))
    figures |= _satisfaction(figures, orders, scope)
    figures["open_follow_ups"] = sum(
        1 for f in snapshot.follow_ups
        if f.order_id in {o.order_id for o in orders} and _open(f.opened_at, f.resolved_at, scope))
    return {f.key: figures[f.key] for f in FIGURES}


def ratio(numerator: float, denominator: float | None, digits: int) -> float | None:
    """numerator ÷ denominator rounded, None when the denominator is missing or zero."""
    if not denominator:
        return None
    return round(numerator / denominator, digits)


def _open(opened: datetime | None, closed: datetime | None, scope: Scope) -> bool:
    """True when something opened by ``as_of`` is not closed by then."""
    return opened is not None and opened <= scope.as_of and (closed is None or closed > scope.as_of)


def volunteer_place(volunteer: VolunteerFacts, moment: datetime) -> Place | None:
    """Where the volunteer belongs at ``moment``."""
    return as_of(volunteer.places, moment)


def registered_volunteers(volunteers: list[VolunteerFacts], scope: Scope) -> set[str]:
    """Ids of volunteers registered in the scope's unit at ``as_of`` and not left."""
    return {v.volunteer_id for v in volunteers
            if v.registered_at is not None and v.registered_at <= scope.as_of
            and as_of(v.statuses, scope.as_of) != "left"
            and scope.covers(volunteer_place(v, scope.as_of))}


def _registry(snapshot: Snapshot, scope: Scope) -> Figures:
    teams = [t for t in snapshot.teams if scope.covers(t.place) and t.registered_at <= scope.as_of
             and as_of(t.actives, scope.as_of) is not False
             and (scope.platform is None or t.platform == scope.platform)]
    return {
        "organisations": sum(1 for o in snapshot.organisations
                             if scope.covers(o.place) and o.registered_at <= scope.as_of
                             and (o.dissolved_at is None or o.dissolved_at > scope.as_of)),
        "teams": len(teams),
        "honours": sum(1 for h in snapshot.honours if scope.covers(h.place)
                       and _open(h.awarded_at, h.revoked_at, scope)),
    }


def orders_in(snapshot: Snapshot, scope: Scope) -> Iterator[OrderFacts]:
    """Orders placed in the scope's unit (and platform / category), whenever placed."""
    for order in snapshot.orders.values():
        if scope.covers(order.place) and scope.matches(order.platform, order.category):
            yield order


def closed_unrated_at(order: OrderFacts, moment: datetime) -> datetime | None:
    """When the order closed unrated, if that is its standing at ``moment``."""
    closes = [c for c in order.closes if c.at <= moment]
    if not closes:
        return None
    last = max(closes, key=lambda c: (c.at, c.value))
    if last.value != "unrated" or any(last.at < r <= moment for r in order.reopens):
        return None
    return last.at


def _milestones(orders: list[OrderFacts], scope: Scope) -> Figures:
    def count(attr: str) -> int:
        return sum(1 for o in orders if scope.in_period(getattr(o, attr)))

    completions = [(o, c) for o in orders for c in o.completions if scope.in_period(c.at)]
    return {
        "orders_placed": count("placed_at"), "orders_dispatched": count("dispatched_at"),
        "orders_accepted": count("accepted_at"), "orders_completed": count("completed_at"),
        "orders_rated": count("rated_at"), "orders_cancelled": count("cancelled_at"),
        "orders_escalated": count("escalated_at"), "orders_unassignable": count("unassignable_at"),
        "orders_closed_unrated": sum(
            1 for o in orders if scope.in_period(closed_unrated_at(o, scope.as_of))),
        "activities_held": sum(1 for o, _ in completions if o.group_activity),
        "people_served": sum(c.people for _, c in completions),
    }


def _activities(snapshot: Snapshot, scope: Scope, figures: Figures) -> Figures:
    """Activities held in the period (in the unit, platform, category) add to the orders'."""
    held = [a for a in snapshot.activities if scope.covers(a.place)
            and scope.matches(a.platform, a.category) and scope.in_period(a.held_at)]
    return {"activities_held": int(figures["activities_held"] or 0) + len(held),
            "people_served": int(figures["people_served"] or 0) + sum(a.served for a in held)}


def _durations(orders: list[OrderFacts], scope: Scope) -> Figures:
    figures: Figures = {}
    for name, attr in (("dispatch", "dispatched_at"), ("accept", "accepted_at"),
                       ("complete", "completed_at")):
        minutes = [(getattr(o, attr) - o.placed_at).total_seconds() / 60 for o in orders
                   if scope.in_period(o.placed_at) and getattr(o, attr) is not None
                   and getattr(o, attr) <= scope.as_of]
        for label, p in (("median", 50), ("p90", 90)):
            value = percentile(minutes, p)
            figures[f"{name}_{label}_min"] = None if value is None else round(value, 1)
    return figures


def approved_hours(snapshot: Snapshot, scope: Scope) -> dict[str, float]:
    """Approved hours per volunteer in the scope and period (the latest approval counts)."""
    places = {v.volunteer_id: volunteer_place(v, scope.as_of) for v in snapshot.volunteers}
    totals: dict[str, float] = {}
    for line in snapshot.hours:
        approvals = [a for a in line.approvals if a.at <= scope.as_of]
        order = snapshot.orders.get(line.order_id)
        if not approvals or not scope.in_period(max(a.at for a in approvals)):
            continue
        if (scope.platform or scope.category) and (
                order is None or not scope.matches(order.platform, order.category)):
            continue
        place = places.get(line.volunteer_id) or (order.place if order else None)
        if scope.covers(place):
            hours = as_of(approvals, scope.as_of) or 0.0
            totals[line.volunteer_id] = totals.get(line.volunteer_id, 0.0) + hours
    return totals


def _hours(snapshot: Snapshot, scope: Scope, registered: int) -> Figures:
    per_volunteer = approved_hours(snapshot, scope)
    total = round(sum(per_volunteer.values()), 2)
    active = sum(1 for h in per_volunteer.values() if h > 0)
    return {"service_hours": total, "active_volunteers": active,
            "hours_per_registered_volunteer": ratio(total, registered, 2),
            "hours_per_active_volunteer": ratio(total, active, 2)}


def _satisfaction(figures: Figures, orders: list[OrderFacts], scope: Scope) -> Figures:
    stars = [o.stars for o in orders if scope.in_period(o.rated_at) and o.stars is not None]
    rated, unrated = int(figures["orders_rated"] or 0), int(figures["orders_closed_unrated"] or 0)
    return {"average_stars": ratio(sum(stars), len(stars), 2),
            "share_4_5_stars": ratio(sum(1 for s in stars if s >= 4), len(stars), 4),
            "share_unrated": ratio(unrated, rated + unrated, 4)}
