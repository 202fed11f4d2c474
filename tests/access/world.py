"""The matrix's district, made through the services' own APIs: everything lives in station A.

Centre C has institutes I and J; station A is in I, station B in J; centre D is elsewhere.
Volunteer V (home A) leads team T (V and W); organisation ORG is registered at A. Resident R
ordered three times at A: O1 was served by V, rated low (the station typed in R's verbal
rating) and followed up (F); O2 is accepted by V and being served; O3 is offered to V,
unanswered. W's filled-in hours (E) wait for approval; V's are approved.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from civiloop_platform.auth import mint_token
from civiloop_platform.settings import DEV_AUTH_SECRET
from tests.access.stack import Stack
from tests.services.volunteers.builders import id_number, phone
from tests.support import eventually


@dataclass(frozen=True)
class Codes:
    """Unit codes of one run (fresh, so nothing of another test's data is in the way)."""

    run: str = field(default_factory=lambda: uuid.uuid4().hex[:6])

    def __getattr__(self, name: str) -> str:
        if name in ("C", "D", "I", "J", "A", "B"):
            return f"{name.lower()}-{self.run}"
        raise AttributeError(name)

    def unit(self, station: str = "A") -> dict[str, str]:
        """The UnitRef of station A (or B) as JSON."""
        institute = "I" if station == "A" else "J"
        return {"centre": self.C, "institute": getattr(self, institute),
                "station": getattr(self, station)}


def bearer(role: str, subject: str, station: str | None = None, institute: str | None = None,
           centre: str | None = None) -> dict[str, str]:
    """The Authorization header of a development token."""
    return {"Authorization": "Bearer " + mint_token(
        DEV_AUTH_SECRET, subject=subject, role=role, station=station, institute=institute,
        centre=centre)}


@dataclass
class World:
    """What the fixture made: ids by name (V, W, T, R, O1, O2, O3, A3, F, E, H, SV, IMP:…)."""

    codes: Codes
    ids: dict[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> str:
        ids = self.__dict__.get("ids", {})
        if name in ids:
            return str(ids[name])
        raise AttributeError(name)


def window(days: float = 1) -> dict[str, str]:
    """A two-hour time window ``days`` from now."""
    start = datetime.now(UTC) + timedelta(days=days)
    return {"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}


def volunteer_body(codes: Codes, station: str = "A") -> dict[str, Any]:
    """A registration at ``station`` with a fresh person."""
    return {"name": "李明", "id_number": id_number(), "phone": phone(),
            "unit": codes.unit(station),  # fit for each of the fixture's three orders
            "specialties": ["medicine_health", "law", "science_tech"],
            "platforms": ["science", "education"]}


def order_body(codes: Codes, category: str) -> dict[str, Any]:
    """A resident's order at station A."""
    return {"unit": codes.unit(), "category": category, "need": "需要上门服务",
            "place": "3号楼", "window": window(),
            "answers": {"topic": "family"} if category == "legal_aid" else {}}


async def call(client: httpx.AsyncClient, method: str, path: str, headers: dict[str, str],
               **kwargs: Any) -> Any:
    """One API call that must succeed; its JSON."""
    reply = await client.request(method, path, headers=headers, **kwargs)
    assert reply.status_code < 300, f"{method} {path}: {reply.status_code} {reply.text}"
    return reply.json() if reply.content else None


async def until_ok(client: httpx.AsyncClient, method: str, path: str, headers: dict[str, str],
                   **kwargs: Any) -> Any:
    """Retry a call until it succeeds (an event it needs is still on its way); its JSON."""
    found: list[Any] = []

    async def ok() -> bool:
        reply = await client.request(method, path, headers=headers, **kwargs)
        if reply.status_code < 300:
            found.append(reply.json() if reply.content else None)
        return bool(found)
    await eventually(ok, within_s=90)
    return found[0]


async def build_world(stack: Stack, codes: Codes) -> World:
    """Units, people, a team, orders around the loop, a follow-up, hours, an honour, imports."""
    world = World(codes)
    await _units(stack, world)
    await _people(stack, world)
    await _orders(stack, world)
    await _served_and_rated(stack, world)
    await _offered(stack, world)
    await _paperwork(stack, world)
    return world


ADMIN = bearer("district_admin", "fixture-admin")


async def _units(stack: Stack, world: World) -> None:
    c = world.codes
    rows = [(c.C, "centre", None), (c.D, "centre", None), (c.I, "institute", c.C),
            (c.J, "institute", c.C), (c.A, "station", c.I), (c.B, "station", c.J)]
    for code, level, parent in rows:  # the tree is requests'; stats follows UnitDefined
        await call(stack.clients["requests"], "PUT", f"/api/v1/requests/units/{code}", ADMIN,
                   json={"name": code, "level": level, "parent": parent})

    async def stats_knows_them() -> bool:
        reply = await stack.clients["stats"].get("/api/v1/stats/units", headers=ADMIN)
        return {c.A, c.B} <= {u["code"] for u in reply.json()}
    await eventually(stats_knows_them, within_s=90)


def operator_a(world: World) -> dict[str, str]:
    """The fixture's operator of station A."""
    c = world.codes
    return bearer("station_operator", "op-a", station=c.A, institute=c.I, centre=c.C)


async def _people(stack: Stack, world: World) -> None:
    volunteers, op = stack.clients["volunteers"], operator_a(world)
    for name in ("V", "W"):
        made = await call(volunteers, "POST", "/api/v1/volunteers", op,
                          json=volunteer_body(world.codes))
        world.ids[name] = made["volunteer_id"]
    team = await call(volunteers, "POST", "/api/v1/volunteers/teams", op, json={
        "name": "健康服务队", "specialty": "medicine_health", "platform": "science",
        "unit": world.codes.unit(), "leader_id": world.V, "member_ids": [world.V, world.W]})
    world.ids["T"] = team["team_id"]
    organisation = await call(volunteers, "POST", "/api/v1/volunteers/organisations", op,
                              json={"name": "社区志愿者协会", "unit": world.codes.unit()})
    world.ids["ORG"] = organisation["organisation_id"]
    world.ids["R"] = f"res-{world.codes.run}"

    async def dispatch_knows_them() -> bool:  # else orders escalate and close unassignable
        reply = await stack.clients["dispatch"].get("/api/v1/dispatch/fairness", headers=op)
        return reply.status_code == 200 and reply.json()["registered"] == 2
    await eventually(dispatch_knows_them, within_s=90)


async def _orders(stack: Stack, world: World) -> None:
    c, requests = world.codes, stack.clients["requests"]
    resident = bearer("resident", world.R, station=c.A, institute=c.I)
    for name, category in (("O1", "home_health_check"), ("O2", "legal_aid"),
                           ("O3", "farming_tech_advice")):
        made = await call(requests, "POST", "/api/v1/requests/orders", resident,
                          json=order_body(c, category))
        world.ids[name] = made["order_id"]
    for name in ("O1", "O2", "O3"):  # dispatch by hand to V, whom the matcher may not pick
        order = getattr(world, name)
        case = await until_ok(stack.clients["dispatch"], "POST",
                              f"/api/v1/dispatch/orders/{order}/dispatch", ADMIN,
                              json={"kind": "volunteer", "id": world.V, "reason": "fixture"})
        world.ids[f"A{name[1]}"] = case["offer"]["assignment_id"]
        await _offer_known(stack, world, world.ids[f"A{name[1]}"])


def _v(world: World) -> dict[str, str]:
    return bearer("volunteer", world.V)


async def _offer_known(stack: Stack, world: World, assignment: str) -> None:
    async def known() -> bool:
        reply = await stack.clients["volunteers"].get(
            "/api/v1/volunteers/offers/mine", params={"awaiting": "true"}, headers=_v(world))
        return any(o["assignment_id"] == assignment for o in reply.json())
    await eventually(known, within_s=90)


async def _served_and_rated(stack: Stack, world: World) -> None:
    volunteers, me = stack.clients["volunteers"], _v(world)
    for name in ("A1", "A2"):
        await call(volunteers, "POST", f"/api/v1/volunteers/assignments/{getattr(world, name)}"
                   "/accept", me, json={})
    now = datetime.now(UTC)
    for step, at in (("check-in", now - timedelta(hours=2)),
                     ("check-out", now - timedelta(minutes=40))):
        await call(volunteers, "POST", f"/api/v1/volunteers/orders/{world.O1}/{step}", me,
                   json={"at": at.isoformat()})
    await call(volunteers, "POST", f"/api/v1/volunteers/orders/{world.O1}/complete", me,
               json={"people_served": 1, "summary": "量了血压"})
    # The station types in the resident's verbal rating, so both may change it.
    await until_ok(stack.clients["feedback"], "POST",
                   f"/api/v1/feedback/orders/{world.O1}/rating", operator_a(world),
                   json={"stars": 2, "comment": "来晚了"})
    follow_ups = await until_ok(stack.clients["feedback"], "GET", "/api/v1/feedback/follow-ups",
                                ADMIN)
    world.ids["F"] = next(f["follow_up_id"] for f in follow_ups if f["order_id"] == world.O1)
    for order in (world.O1, world.O2):  # requests learnt who serves them
        await until_ok(stack.clients["requests"], "GET", f"/api/v1/requests/orders/{order}", me)


async def _offered(stack: Stack, world: World) -> None:
    """O3 stays offered to V; dispatch's queue shows it."""
    await _offer_known(stack, world, world.A3)


async def _paperwork(stack: Stack, world: World) -> None:
    """Hours (V's approved, W's pending), an honour, a survey with an answer, two imports."""
    c, volunteers, op = world.codes, stack.clients["volunteers"], operator_a(world)
    start = datetime.now(UTC) - timedelta(days=1)
    activity = {"activity_id": f"act-{c.run}", "name": "清扫街道", "start": start.isoformat(),
                "end": (start + timedelta(hours=3)).isoformat()}
    for name, entry in (("V", "E0"), ("W", "E")):
        made = await call(volunteers, "POST", f"/api/v1/volunteers/{getattr(world, name)}/hours",
                          op, json={"activity": activity, "hours": 2, "content": "清扫"})
        world.ids[entry] = made["entry_id"]
    await call(volunteers, "POST", f"/api/v1/volunteers/hours/{world.E0}/approve", op, json={})
    honour = await call(volunteers, "POST", "/api/v1/volunteers/honours", ADMIN, json={
        "title": "good_person", "level": "district", "year": 2026, "holder_name": "李明",
        "volunteer_id": world.V, "unit": c.unit()})
    world.ids["H"] = honour["honour_id"]
    nominated = await call(volunteers, "POST", "/api/v1/volunteers/honours/nominations", op,
                           json={"title": "good_person", "level": "district", "year": 2026,
                                 "holder_name": "王芳", "unit": c.unit(), "deeds": "助人为乐"})
    world.ids["NOM"] = nominated["nomination_id"]
    await call(volunteers, "POST", f"/api/v1/volunteers/honours/nominations/{world.NOM}/review",
               ADMIN, json={"approve": True})
    survey = await call(stack.clients["requests"], "POST", "/api/v1/requests/surveys", op,
                        json={"unit": c.unit(), "title": "居民需求调查",
                              "categories": ["free_clinic", "legal_aid"]})
    world.ids["SV"] = survey["survey_id"]
    now = datetime.now(UTC)
    planned = await call(stack.clients["requests"], "POST", "/api/v1/requests/activities", op,
                         json={"unit": c.unit(), "category": "free_clinic", "title": "义诊",
                               "venue": "广场", "capacity": 50, "window": {
                                   "start": (now - timedelta(minutes=10)).isoformat(),
                                   "end": (now + timedelta(hours=3)).isoformat()}})
    world.ids["AC"] = planned["activity_id"]
    await call(stack.clients["requests"], "POST", f"/api/v1/requests/activities/{world.AC}/publish",
               op)
    await call(stack.clients["requests"], "POST", f"/api/v1/requests/surveys/{world.SV}/answers",
               bearer("resident", world.R), json={"chosen": ["free_clinic"]})
    await _held_activity(stack, world, now)
    starters = {"op-a": op, "disp-i": bearer("dispatcher", "disp-i", institute=c.I),
                "disp-c": bearer("dispatcher", "disp-c", centre=c.C)}
    for subject, who in starters.items():  # an import is its starter's to follow
        made = await call(volunteers, "POST", "/api/v1/volunteers/imports/volunteers",
                          {**who, "Content-Type": "text/csv"}, content=import_csv(c))
        world.ids[f"IMP:{subject}"] = made["import_id"]


def import_csv(codes: Codes) -> bytes:
    """One volunteer at station A, as a CSV upload."""
    body = volunteer_body(codes)
    return (f"name,id_number,phone,centre,institute,station\n{body['name']},"
            f"{body['id_number']},{body['phone']},{codes.C},{codes.I},{codes.A}\n").encode()


async def _held_activity(stack: Stack, world: World, now: datetime) -> None:
    """AH: an activity R attended (checked in with its code), held; feedback knows it."""
    c, requests, op = world.codes, stack.clients["requests"], operator_a(world)
    base = "/api/v1/requests/activities"
    planned = await call(requests, "POST", base, op, json={
        "unit": c.unit(), "category": "health_education", "title": "健康讲座", "venue": "活动室",
        "capacity": 20, "window": {"start": (now - timedelta(minutes=10)).isoformat(),
                                   "end": (now + timedelta(hours=1)).isoformat()}})
    world.ids["AH"] = planned["activity_id"]
    sheet = await call(requests, "POST", f"{base}/{world.AH}/publish", op)
    await call(requests, "POST", f"{base}/{world.AH}/check-in", bearer("resident", world.R),
               json={"code": sheet["check_in_code"]})
    await call(requests, "POST", f"{base}/{world.AH}/hold", op)
    await until_ok(stack.clients["feedback"], "GET",
                   f"/api/v1/feedback/activities/{world.AH}/ratings", op)
