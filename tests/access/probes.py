"""How the matrix calls each route: path parameters and bodies filled from the fixture's world.

One or more probes per route (method, path template). A probe tests the route's policy, or
one of its parts (hours totals by person or by unit); a listing's probe says how to tell
that the reply holds station A's records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from civiloop_platform.auth.policy import STAFF
from civiloop_requests.entrypoints.menu_api import CATEGORY_EXAMPLE
from tests.access.callers import Caller
from tests.access.world import World, import_csv, order_body, volunteer_body, window

Fill = Callable[[World, Caller], Any]


@dataclass(frozen=True)
class Call:
    """One HTTP request of the matrix (without its Authorization header)."""

    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    json: Any = None
    content: bytes | None = None
    content_type: str | None = None


@dataclass(frozen=True)
class Probe:
    """How to call one route; ``sees`` tells a listing that holds station A's records."""

    service: str
    method: str
    template: str
    path: dict[str, Fill] = field(default_factory=dict)
    params: Fill | None = None
    json: Fill | None = None
    content: tuple[str, Fill] | None = None
    rule: str | None = None
    sees: Callable[[World, Any], bool] | None = None
    live: bool = False
    """A live (SSE) route: an allowed caller's stream stays open; a refusal comes at once."""

    def call(self, world: World, caller: Caller) -> Call:
        """The request this probe sends for ``caller``."""
        path = self.template.format(**{k: f(world, caller) for k, f in self.path.items()})
        return Call(self.method, path, self.params(world, caller) if self.params else {},
                    self.json(world, caller) if self.json else None,
                    self.content[1](world, caller) if self.content else None,
                    self.content[0] if self.content else None)

    def __str__(self) -> str:
        return f"{self.service} {self.method} {self.template}" + (
            f" [{self.rule}]" if self.rule else "")


def ref(name: str) -> Fill:
    """The fixture's id called ``name``."""
    return lambda world, _: getattr(world, name)


def lit(value: Any) -> Fill:
    """A fixed value."""
    return lambda _world, _caller: value


def code(name: str) -> Fill:
    """A unit code of the run (A, B, C, I, J, D)."""
    return lambda world, _: getattr(world.codes, name)


def staff_names(key: str, value: str) -> Fill:
    """``{key: id}`` for staff acting for a volunteer, ``{}`` for the volunteer themselves."""
    return lambda world, caller: ({key: getattr(world, value)} if caller.role in STAFF else {})


def has(field_name: str, value: str, inside: str | None = None) -> Callable[[World, Any], bool]:
    """A listing holds an item whose ``field_name`` is the fixture's ``value``."""
    def check(world: World, body: Any) -> bool:
        items = body[inside] if inside else body
        return any(item.get(field_name) == getattr(world, value) for item in items)
    return check


def unit_a(world: World, _: Caller) -> dict[str, str]:
    """Station A as a query: institute and station."""
    return {"institute": world.codes.I, "station": world.codes.A}


def _category(world: World, _: Caller) -> dict[str, Any]:
    return {**CATEGORY_EXAMPLE, "code": f"acc_{world.codes.run}"}


def _open311_form(world: World, _: Caller) -> bytes:
    return urlencode({"service_code": "home_health_check", "address_string": "3号楼",
                      "jurisdiction_id": f"{world.codes.I}.{world.codes.A}"}).encode()


def _an_hour_ago() -> str:
    return (datetime.now(UTC) - timedelta(hours=1)).isoformat()


def _claim(world: World, _: Caller) -> dict[str, Any]:
    return {"activity": {"activity_id": f"act2-{world.codes.run}", "name": "补录活动",
                         **window(-1)}, "hours": 1, "content": "补录"}


R, D, V, F, S = ("/api/v1/requests", "/api/v1/dispatch", "/api/v1/volunteers",
                 "/api/v1/feedback", "/api/v1/stats")
O1, O2, O3, A3 = ({"order_id": ref("O1")}, {"order_id": ref("O2")}, {"order_id": ref("O3")},
                  {"assignment_id": ref("A3")})
FMT = {"fmt": lit("json")}
NOM, ORG = {"nomination_id": ref("NOM")}, {"organisation_id": ref("ORG")}
AC, AH = {"activity_id": ref("AC")}, {"activity_id": ref("AH")}
SERVICES = ("requests", "dispatch", "volunteers", "feedback", "stats")

PROBES: list[Probe] = [
    # every service's operations routes
    *[Probe(name, "GET", path) for name in SERVICES
      for path in ("/healthz", "/readyz", "/metrics")],
    # every service's sign-in routes
    *[Probe(name, "GET", f"/api/v1/{name}/auth/me") for name in SERVICES],
    *[Probe(name, "POST", f"/api/v1/{name}/auth/dev-token", json=lit({"role": "resident"}))
      for name in SERVICES],
    # requests
    Probe("requests", "POST", f"{R}/orders", json=lambda w, _: order_body(w.codes, "free_clinic")),
    Probe("requests", "GET", f"{R}/orders/{{order_id}}", O1),
    Probe("requests", "GET", f"{R}/orders/{{order_id}}/timeline", O1),
    Probe("requests", "GET", f"{R}/orders", sees=has("order_id", "O1", "items")),
    Probe("requests", "GET", f"{R}/orders", params=unit_a, sees=has("order_id", "O1", "items")),
    Probe("requests", "GET", f"{R}/orders/live", live=True),
    Probe("requests", "POST", f"{R}/orders/{{order_id}}/cancel", O3,
          json=lit({"reason": "withdrawn"})),
    Probe("requests", "GET", f"{R}/units", sees=lambda w, b: any(u["code"] == w.codes.A
                                                                  for u in b)),
    Probe("requests", "PUT", f"{R}/units/{{code}}", {"code": lambda w, _: f"e-{w.codes.run}"},
          json=lambda w, _: {"name": "新站", "level": "station", "parent": w.codes.I}),
    Probe("requests", "GET", f"{R}/menu"),
    Probe("requests", "GET", f"{R}/menu/{{code}}", {"code": lit("free_clinic")}),
    Probe("requests", "PUT", f"{R}/menu/{{code}}", {"code": lambda w, _: f"acc_{w.codes.run}"},
          json=_category),
    Probe("requests", "DELETE", f"{R}/menu/{{code}}", {"code": lambda w, _: f"acc_{w.codes.run}"}),
    Probe("requests", "POST", f"{R}/surveys", json=lambda w, _: {
        "unit": w.codes.unit(), "title": "第二次调查", "categories": ["legal_aid"]}),
    Probe("requests", "GET", f"{R}/surveys", sees=has("survey_id", "SV")),
    Probe("requests", "GET", f"{R}/surveys/ranking", sees=lambda _, b: b["respondents"] > 0),
    Probe("requests", "GET", f"{R}/surveys/{{survey_id}}", {"survey_id": ref("SV")}),
    Probe("requests", "POST", f"{R}/surveys/{{survey_id}}/answers", {"survey_id": ref("SV")},
          json=lit({"chosen": ["legal_aid"]})),
    Probe("requests", "GET", f"{R}/surveys/{{survey_id}}/ranking", {"survey_id": ref("SV")}),
    Probe("requests", "POST", f"{R}/surveys/{{survey_id}}/orders", {"survey_id": ref("SV")},
          json=lambda _w, _c: {"place": "文化广场", "window": window(3)}),
    Probe("requests", "POST", f"{R}/surveys/{{survey_id}}/activities", {"survey_id": ref("SV")},
          json=lambda _w, _c: {"venue": "会议室", "window": window(3)}),
    Probe("requests", "POST", f"{R}/activities", json=lambda w, _: {
        "unit": w.codes.unit(), "category": "policy_lecture", "title": "宣讲", "venue": "会议室",
        "capacity": 30, "window": window(3)}),
    Probe("requests", "GET", f"{R}/activities"),
    Probe("requests", "GET", f"{R}/activities/organised", sees=has("activity_id", "AC")),
    Probe("requests", "GET", f"{R}/activities/{{activity_id}}", AC),
    Probe("requests", "POST", f"{R}/activities/{{activity_id}}/publish", AC),
    Probe("requests", "GET", f"{R}/activities/{{activity_id}}/attendance", AC),
    Probe("requests", "POST", f"{R}/activities/{{activity_id}}/attendance", AC,
          json=lit({"attended": [], "walk_ins": 3})),
    Probe("requests", "POST", f"{R}/activities/{{activity_id}}/sign-up", AC),
    Probe("requests", "POST", f"{R}/activities/{{activity_id}}/check-in", AC,
          json=lit({"code": "000000"})),
    Probe("requests", "POST", f"{R}/activities/{{activity_id}}/sign-up/cancel", AC),
    Probe("requests", "POST", f"{R}/activities/{{activity_id}}/staff", AC),
    Probe("requests", "POST", f"{R}/activities/{{activity_id}}/staff/check-in", AC),
    Probe("requests", "POST", f"{R}/activities/{{activity_id}}/staff/check-out", AC),
    Probe("requests", "POST", f"{R}/activities/{{activity_id}}/staff/cancel", AC),
    Probe("requests", "POST", f"{R}/activities/{{activity_id}}/hold", AC),
    Probe("requests", "POST", f"{R}/activities/{{activity_id}}/cancel", AC, json=lit({})),
    Probe("requests", "GET", "/open311/v2/services.{fmt}", FMT),
    Probe("requests", "GET", "/open311/v2/services/{service_code}.{fmt}",
          {**FMT, "service_code": lit("home_health_check")}),
    Probe("requests", "POST", "/open311/v2/requests.{fmt}", FMT,
          content=("application/x-www-form-urlencoded", _open311_form)),
    Probe("requests", "GET", "/open311/v2/requests.{fmt}", FMT,
          sees=has("service_request_id", "O1")),
    Probe("requests", "GET", "/open311/v2/requests/{service_request_id}.{fmt}",
          {**FMT, "service_request_id": ref("O1")}),
    # dispatch
    Probe("dispatch", "GET", f"{D}/queue", sees=has("order_id", "O3")),
    Probe("dispatch", "GET", f"{D}/queue/live", live=True),
    Probe("dispatch", "GET", f"{D}/orders/{{order_id}}", O3),
    Probe("dispatch", "GET", f"{D}/orders/{{order_id}}/candidates", O3),
    Probe("dispatch", "POST", f"{D}/orders/{{order_id}}/dispatch", O3,
          json=lambda w, _: {"kind": "volunteer", "id": w.V, "reason": "matrix"}),
    Probe("dispatch", "POST", f"{D}/orders/{{order_id}}/take-back", O3,
          json=lit({"reason": "matrix"})),
    Probe("dispatch", "GET", f"{D}/fairness", sees=lambda _, b: b["registered"] > 0),
    # volunteers
    Probe("volunteers", "GET", f"{V}/honours/board"),
    Probe("volunteers", "POST", f"{V}/honours", json=lambda w, _: {
        "title": "moral_model", "level": "city", "year": 2026, "holder_name": "王芳",
        "unit": w.codes.unit()}),
    Probe("volunteers", "POST", f"{V}/honours/{{honour_id}}/revoke", {"honour_id": ref("H")},
          json=lit({"reason": "matrix"})),
    Probe("volunteers", "GET", f"{V}/honours/titles"),
    Probe("volunteers", "GET", f"{V}/honours/notices"),
    Probe("volunteers", "POST", f"{V}/honours/nominations", json=lambda w, _: {
        "title": "moral_model", "level": "district", "year": 2026, "holder_name": "赵敏",
        "unit": w.codes.unit(), "deeds": "见义勇为"}),
    Probe("volunteers", "GET", f"{V}/honours/nominations",
          sees=has("nomination_id", "NOM", "items")),
    Probe("volunteers", "GET", f"{V}/honours/nominations/{{nomination_id}}", NOM),
    Probe("volunteers", "POST", f"{V}/honours/nominations/{{nomination_id}}/review", NOM,
          json=lit({"approve": True})),
    Probe("volunteers", "POST", f"{V}/honours/nominations/{{nomination_id}}/objections", NOM,
          json=lit({"text": "有异议"})),
    Probe("volunteers", "POST",
          f"{V}/honours/nominations/{{nomination_id}}/objections/{{objection_id}}/resolve",
          {**NOM, "objection_id": lit("obj-matrix")}, json=lit({"upheld": False})),
    Probe("volunteers", "POST", f"{V}/honours/nominations/{{nomination_id}}/decide", NOM,
          json=lit({"award": False})),
    Probe("volunteers", "GET", f"{V}/organisations/{{organisation_id}}", ORG),
    Probe("volunteers", "PATCH", f"{V}/organisations/{{organisation_id}}", ORG,
          json=lit({"name": "社区志愿服务协会"})),
    Probe("volunteers", "GET", f"{V}/organisations/{{organisation_id}}/members", ORG),
    Probe("volunteers", "POST", f"{V}/organisations/{{organisation_id}}/members", ORG,
          json=lambda w, _: {"volunteer_ids": [w.W]}),
    Probe("volunteers", "POST", f"{V}/organisations/{{organisation_id}}/members/remove", ORG,
          json=lambda w, _: {"volunteer_ids": [w.W]}),
    Probe("volunteers", "POST", f"{V}/organisations/{{organisation_id}}/dissolve", ORG,
          json=lit({"reason": "matrix"})),
    Probe("volunteers", "POST", f"{V}/hours/{{entry_id}}/approve", {"entry_id": ref("E")},
          json=lit({})),
    Probe("volunteers", "POST", f"{V}/hours/{{entry_id}}/reject", {"entry_id": ref("E")},
          json=lit({"note": "不对"})),
    Probe("volunteers", "POST", f"{V}/hours/sheets", json=lambda w, c: {
        "activity": {"activity_id": f"sheet-{w.codes.run}-{c.subject}", "name": "清扫",
                     **window(-1)}, "content": "清扫街道", "lines": [{"volunteer_id": w.W,
                                                                 "hours": 1}]}),
    Probe("volunteers", "GET", f"{V}/hours/totals", rule="volunteers.read",
          params=lambda w, _: {"by": "volunteer", "key": w.V}),
    Probe("volunteers", "GET", f"{V}/hours/totals", rule="teams.read",
          params=lambda w, _: {"by": "team", "key": w.T}),
    Probe("volunteers", "GET", f"{V}/hours/totals", rule="hours.totals.units",
          params=lambda w, _: {"by": "station", "key": w.codes.A},
          sees=lambda _, b: bool(b["totals"])),
    Probe("volunteers", "POST", f"{V}/imports/{{kind}}", {"kind": lit("volunteers")},
          content=("text/csv", lambda w, _: import_csv(w.codes))),
    Probe("volunteers", "GET", f"{V}/imports/{{import_id}}", {"import_id": lambda w, c: (
        w.ids.get(f"IMP:{c.subject}", w.ids["IMP:op-a"]))}),
    Probe("volunteers", "GET", f"{V}/offers/mine", sees=has("order_id", "O3")),
    Probe("volunteers", "GET", f"{V}/offers/mine/live", live=True),
    Probe("volunteers", "GET", f"{V}/orders/{{order_id}}/servers", O1),
    Probe("volunteers", "GET", f"{V}/orders/{{order_id}}/service", O1),
    Probe("volunteers", "GET", V, params=unit_a, sees=has("volunteer_id", "V", "items")),
    Probe("volunteers", "GET", f"{V}/services", params=unit_a,
          sees=has("order_id", "O1", "items")),
    Probe("volunteers", "GET", f"{V}/teams", params=unit_a, sees=has("team_id", "T", "items")),
    Probe("volunteers", "GET", f"{V}/organisations", params=unit_a,
          sees=has("organisation_id", "ORG", "items")),
    Probe("volunteers", "POST", f"{V}/assignments/{{assignment_id}}/accept", A3,
          json=staff_names("volunteer_id", "V")),
    Probe("volunteers", "POST", f"{V}/assignments/{{assignment_id}}/decline", A3,
          json=lambda w, c: {"reason": "unavailable", **staff_names("volunteer_id", "V")(w, c)}),
    Probe("volunteers", "POST", f"{V}/orders/{{order_id}}/check-in", O2,
          json=lambda w, _: {"volunteer_id": w.V, "at": _an_hour_ago()}),
    Probe("volunteers", "POST", f"{V}/orders/{{order_id}}/check-out", O2,
          json=lambda w, _: {"volunteer_id": w.V}),
    Probe("volunteers", "POST", f"{V}/orders/{{order_id}}/complete", O2,
          json=lit({"people_served": 1})),
    Probe("volunteers", "POST", V, json=lambda w, _: volunteer_body(w.codes)),
    Probe("volunteers", "POST", f"{V}/teams", json=lambda w, _: {
        "name": "第二服务队", "specialty": "law", "platform": "education",
        "unit": w.codes.unit(), "member_ids": [w.W]}),
    Probe("volunteers", "GET", f"{V}/teams/{{team_id}}", {"team_id": ref("T")}),
    Probe("volunteers", "PATCH", f"{V}/teams/{{team_id}}", {"team_id": ref("T")},
          json=lit({"name": "健康志愿服务队"})),
    Probe("volunteers", "POST", f"{V}/organisations", json=lambda w, _: {
        "name": "志愿者协会", "unit": w.codes.unit()}),
    Probe("volunteers", "GET", f"{V}/{{volunteer_id}}", {"volunteer_id": ref("V")}),
    Probe("volunteers", "PATCH", f"{V}/{{volunteer_id}}", {"volunteer_id": ref("V")},
          json=lit({"skills": ["first_aid"]})),
    Probe("volunteers", "GET", f"{V}/{{volunteer_id}}/hours", {"volunteer_id": ref("V")}),
    Probe("volunteers", "POST", f"{V}/{{volunteer_id}}/hours", {"volunteer_id": ref("V")},
          json=_claim),
    Probe("volunteers", "GET", f"{V}/{{volunteer_id}}/record.csv", {"volunteer_id": ref("V")}),
    # feedback
    Probe("feedback", "POST", f"{F}/orders/{{order_id}}/rating", O1, json=lit({"stars": 3})),
    Probe("feedback", "PUT", f"{F}/orders/{{order_id}}/rating", O1, json=lit({"stars": 3})),
    Probe("feedback", "GET", f"{F}/orders/{{order_id}}/rating", O1),
    Probe("feedback", "GET", f"{F}/ratings", sees=has("order_id", "O1")),
    Probe("feedback", "GET", f"{F}/follow-ups", sees=has("follow_up_id", "F")),
    Probe("feedback", "GET", f"{F}/follow-ups/live", live=True),
    Probe("feedback", "GET", f"{F}/follow-ups/{{follow_up_id}}", {"follow_up_id": ref("F")}),
    Probe("feedback", "POST", f"{F}/follow-ups/{{follow_up_id}}/assign",
          {"follow_up_id": ref("F")}, json=lit({"assignee": "op-a"})),
    Probe("feedback", "POST", f"{F}/follow-ups/{{follow_up_id}}/notes",
          {"follow_up_id": ref("F")}, json=lit({"text": "电话回访了"})),
    Probe("feedback", "POST", f"{F}/follow-ups/{{follow_up_id}}/resolve",
          {"follow_up_id": ref("F")}, json=lit({"resolution": "explained", "note": "已解释"})),
    Probe("feedback", "POST", f"{F}/activities/{{activity_id}}/rating", AH,
          json=lit({"stars": 4})),
    Probe("feedback", "GET", f"{F}/activities/{{activity_id}}/ratings", AH),
    Probe("feedback", "GET", f"{F}/satisfaction",
          sees=lambda w, b: any(row["key"] == w.codes.A for row in b)),
    # stats
    Probe("stats", "GET", f"{S}/units", sees=lambda w, b: any(u["code"] == w.codes.A for u in b)),
    Probe("stats", "PUT", f"{S}/units/{{code}}", {"code": lambda w, _: f"e-{w.codes.run}"},
          json=lit({"population": [{"since": "2026-01-01", "residents": 3000}]})),
    Probe("stats", "GET", f"{S}/tables/{{name}}", {"name": lit("figures")},
          params=lambda w, _: {"unit": w.codes.A}),
    Probe("stats", "GET", f"{S}/figures", params=lambda w, _: {"unit": w.codes.A}),
    Probe("stats", "GET", f"{S}/definitions"),
    Probe("stats", "GET", f"{S}/public/board"),
    Probe("stats", "GET", f"{S}/public/units",
          sees=lambda w, b: any(u["code"] == w.codes.A for u in b)),
    Probe("stats", "GET", f"{S}/dashboard"),
]
