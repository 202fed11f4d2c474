"""The small district the browser tests work in, made through the services' own APIs."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from civiloop_devstack.demo import id_number
from civiloop_platform.auth.tokens import mint_token
from civiloop_platform.settings import DEV_AUTH_SECRET

CENTRE, INSTITUTE = "kunqu", "kunhe"
WANHE, DONGCUN = "wanhe-yangguang", "kunhe-dongcun"
UNITS = [(CENTRE, "昆区新时代文明实践中心", "Kun District Centre", "centre", None),
         (INSTITUTE, "昆河镇新时代文明实践所", "Kunhe Town Institute", "institute", CENTRE),
         (WANHE, "万和阳光社区新时代文明实践站", "Wanhe Sunshine Station", "station", INSTITUTE),
         (DONGCUN, "昆河镇东村新时代文明实践站", "Kunhe East Village Station", "station", INSTITUTE)]
# (key, name, station, specialty, platform): one doctor at 万和 serves the loop's home visit,
# two lawyers (one at each station) give the dispatcher a choice, two party members race
# for a grab-mode order.
PEOPLE = [("doctor", "王建华", WANHE, "medicine_health", "science"),
          ("lawyer", "李文静", WANHE, "law", "education"),
          ("lawyer2", "钱国栋", DONGCUN, "law", "education"),
          ("party1", "吴志刚", WANHE, "party_members", "theory"),
          ("party2", "郑丽萍", WANHE, "party_members", "theory")]
GRAB_CATEGORY = "party_member_service"
NOTICE_S = 90  # how long a nomination is in public notice (公示) on the test stack


def bearer(role: str, subject: str = "test", station: str | None = None,
           institute: str | None = None) -> dict[str, str]:
    """The Authorization header of a development token."""
    return {"Authorization": "Bearer " + mint_token(
        DEV_AUTH_SECRET, subject=subject, role=role, station=station, institute=institute)}


ADMIN = bearer("district_admin", "admin-browser")


@dataclass
class District:
    """Who is registered, by key, and helpers to act through the services' APIs."""

    urls: dict[str, str]
    people: dict[str, str] = field(default_factory=dict)

    def call(self, service: str, method: str, path: str, **kwargs: Any) -> Any:
        """One API call; the JSON reply, or AssertionError with the service's answer."""
        reply = httpx.request(method, self.urls[service] + path, timeout=30, **kwargs)
        assert reply.is_success, f"{method} {path}: {reply.status_code} {reply.text}"
        return reply.json() if reply.content else None

    def build(self) -> District:
        """The units tree, five volunteers, and dispatch knowing all of them."""
        for code, name, name_en, level, parent in UNITS:  # the tree is requests'
            self.call("requests", "PUT", f"/api/v1/requests/units/{code}", headers=ADMIN,
                      json={"name": name, "name_en": name_en, "level": level,
                            "parent": parent})
            if level == "station":  # the population is stats' own
                self.call("stats", "PUT", f"/api/v1/stats/units/{code}", headers=ADMIN,
                          json={"population": [{"since": "2024-01-01", "residents": 100}]})
        self.until(lambda: len(self.call("stats", "GET", "/api/v1/stats/public/units"))
                   == len(UNITS), "stats knows the units tree")
        for n, (key, name, station, specialty, platform) in enumerate(PEOPLE, start=1):
            made = self.call("volunteers", "POST", "/api/v1/volunteers", headers=ADMIN, json={
                "name": name, "phone": f"1390000{n:04d}", "id_number": id_number(900 + n),
                "unit": unit(station), "specialties": [specialty], "platforms": [platform]})
            self.people[key] = made["volunteer_id"]
        self.until(lambda: self.call("dispatch", "GET", "/api/v1/dispatch/fairness",
                                     headers=ADMIN)["registered"] == len(PEOPLE),
                   "dispatch knows every volunteer")
        return self

    def place(self, category: str, resident: str, answers: dict[str, Any] | None = None) -> str:
        """A resident's order at 万和 for tomorrow morning (as the resident's phone would)."""
        start = datetime.now(UTC) + timedelta(days=1)
        made = self.call("requests", "POST", "/api/v1/requests/orders", json={
            "unit": unit(WANHE), "category": category, "need": "需要志愿者上门帮忙",
            "place": "万和阳光社区5号楼", "answers": answers or {},
            "window": {"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()},
            "contact": {"name": "刘桂芳", "phone": "13912345678"}},
            headers=bearer("resident", resident, WANHE, INSTITUTE))
        return str(made["order_id"])

    def offered_to(self, order_id: str) -> list[str]:
        """Whom dispatch offers the order to now (waits until it is offered)."""
        def offer() -> list[str] | None:
            case = httpx.get(f"{self.urls['dispatch']}/api/v1/dispatch/orders/{order_id}",
                             headers=ADMIN, timeout=30)
            found = case.json().get("offer") if case.is_success else None
            return list(found["assignees"]) if found else None
        assignees: list[str] = self.until(offer, f"dispatch offers {order_id}")
        return assignees

    @staticmethod
    def until(check: Any, what: str, within_s: float = 90.0) -> Any:
        """Wait for ``check()`` to give something truthy; AssertionError naming ``what``."""
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if found := check():
                return found
            time.sleep(0.3)
        raise AssertionError(f"not within {within_s:.0f} s: {what}")


def unit(station: str) -> dict[str, str]:
    """The unit reference of a station of 昆河镇."""
    return {"centre": CENTRE, "institute": INSTITUTE, "station": station}


def resident_id() -> str:
    """A fresh pseudonymous resident id."""
    return f"res-{uuid.uuid4().hex[:8]}"
