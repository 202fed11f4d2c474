"""The demo district from the source text, made only through the services' own APIs.

昆区 centre; 昆河镇 and 友谊大街 institutes; 万和阳光社区 among the stations. Populations are
set so that the registered volunteers make the source's 14.7%; each station has a doctor,
a lawyer, a teacher, a performer, a storyteller and a party member; a team per specialty;
the six honour titles; a needs survey with answers; and orders that went around the loop
(served and rated well, rated low and followed up, declined and redispatched, cancelled).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx

from civiloop_platform.auth.tokens import mint_token
from civiloop_platform.settings import DEV_AUTH_SECRET

T = TypeVar("T")
CENTRE = "kunqu"
INSTITUTES = {"kunhe": "昆河镇新时代文明实践所", "youyi": "友谊大街新时代文明实践所"}
STATIONS = {"wanhe-yangguang": ("kunhe", "万和阳光社区新时代文明实践站"),
            "kunhe-dongcun": ("kunhe", "昆河镇东村新时代文明实践站"),
            "youyi-xincun": ("youyi", "友谊大街新村新时代文明实践站")}
# (specialty, platform, name): one of each at every station.
PEOPLE = [("medicine_health", "science", "王医生"), ("law", "education", "李律师"),
          ("science_tech", "science", "赵老师"), ("culture_sport", "culture", "孙演员"),
          ("culture_heritage", "education", "周讲师"), ("party_members", "theory", "吴书记")]
TITLES = ["moral_model", "good_person", "virtuous_youth", "filial_youth", "civilised_herder",
          "lei_feng"]
# 46 registered volunteers (18 above, 28 more performers and party members) in 313 residents
# make 14.70%: the smallest demo with whole numbers that gives the source's share.
POPULATION = {"wanhe-yangguang": 105, "kunhe-dongcun": 104, "youyi-xincun": 104}
MORE = [("culture_sport", "culture", "文艺骨干"), ("party_members", "theory", "党员志愿者")]
MORE_EACH = 14
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check_digit(body: str) -> str:
    """The 17 digits of an ID number followed by their GB 11643 check digit."""
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS,
                                                                strict=True)) % 11]


def id_number(n: int) -> str:
    """A made-up resident ID number (Baotou Kun district) with a valid check digit."""
    return with_check_digit(f"15020319{70 + n % 30:02d}0{1 + n % 9}1{n % 10}{100 + n:03d}"[:17])


def bearer(role: str, subject: str, station: str | None = None,
           institute: str | None = None, centre: str | None = None) -> dict[str, str]:
    """An Authorization header with a development token (a station's names its institute)."""
    return {"Authorization": "Bearer " + mint_token(
        DEV_AUTH_SECRET, subject=subject, role=role, station=station, institute=institute,
        centre=centre)}


def until(check: Callable[[], T | None], what: str = "condition", within_s: float = 90.0) -> T:
    """Poll ``check`` until it returns something truthy, or raise naming ``what``."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise RuntimeError(f"demo: {what} did not happen within {within_s:.0f} s")


def unit(station: str) -> dict[str, str]:
    """The UnitRef of a station."""
    return {"centre": CENTRE, "institute": STATIONS[station][0], "station": station}


@dataclass
class Demo:
    """Loads the demo district through the services at ``urls`` (name → base URL)."""

    urls: dict[str, str]
    admin: dict[str, str] = field(default_factory=lambda: bearer("district_admin", "demo-admin"))
    volunteers: dict[tuple[str, str], str] = field(default_factory=dict)

    def call(self, service: str, method: str, path: str, **kwargs: Any) -> Any:
        """One API call; raise with the answer when it is not a success."""
        reply = httpx.request(method, self.urls[service] + path, timeout=30, **kwargs)
        if reply.status_code >= 300:
            raise RuntimeError(f"demo: {method} {service}{path}: {reply.status_code} "
                               f"{reply.text[:300]}")
        return reply.json() if reply.content else None

    def load(self, say: Callable[[str], None] = print) -> None:
        """Everything, in the order the district would build it."""
        self.units()
        self.people()
        registered = len(self.volunteers) + len(MORE) * MORE_EACH
        say(f"demo: {registered} volunteers, {len(PEOPLE)} teams, 3 stations")
        self.honours()
        self.survey()
        say("demo: six honours, a needs survey with 20 answers")
        self.orders()
        say("demo: orders served and rated, one followed up, one redispatched, one cancelled")

    def units(self) -> None:
        """The centre → institute → station tree (requests), with populations (stats)."""
        since = "2024-01-01"
        rows: list[tuple[str, str, str, str | None, int | None]] = [
            (CENTRE, "昆区新时代文明实践中心", "centre", None, None)]
        rows += [(code, name, "institute", CENTRE, None) for code, name in INSTITUTES.items()]
        rows += [(code, name, "station", inst, POPULATION[code])
                 for code, (inst, name) in STATIONS.items()]
        for code, name, level, parent, residents in rows:
            self.call("requests", "PUT", f"/api/v1/requests/units/{code}", headers=self.admin,
                      json={"name": name, "level": level, "parent": parent})
            if residents is not None:
                self.call("stats", "PUT", f"/api/v1/stats/units/{code}", headers=self.admin,
                          json={"population": [{"since": since, "residents": residents}]})

    def people(self) -> None:
        """A volunteer of each specialty at each station, and a team per specialty."""
        n = 0
        for station in STATIONS:
            for specialty, platform, name in PEOPLE:
                n += 1
                body = {"name": name, "phone": f"1391234{n:04d}", "id_number": id_number(n),
                        "unit": unit(station), "specialties": [specialty],
                        "platforms": [platform]}
                made = self.call("volunteers", "POST", "/api/v1/volunteers", json=body,
                                 headers=self.admin)
                self.volunteers[(station, specialty)] = made["volunteer_id"]
        for specialty, platform, name in MORE:
            for _ in range(MORE_EACH):
                n += 1
                self.call("volunteers", "POST", "/api/v1/volunteers", json={
                    "name": name, "phone": f"1391234{n:04d}", "id_number": id_number(n),
                    "unit": unit("youyi-xincun"), "specialties": [specialty],
                    "platforms": [platform]}, headers=self.admin)
        for specialty, platform, name in PEOPLE:
            leader = self.volunteers[("wanhe-yangguang", specialty)]
            members = [self.volunteers[(s, specialty)] for s in STATIONS]
            self.call("volunteers", "POST", "/api/v1/volunteers/teams", json={
                "name": f"{name[0]}家{specialty}志愿服务队", "specialty": specialty,
                "platform": platform, "unit": unit("wanhe-yangguang"), "leader_id": leader,
                "member_ids": members}, headers=self.admin)

    def honours(self) -> None:
        """The six titles of the good-deeds board."""
        for i, title in enumerate(TITLES):
            self.call("volunteers", "POST", "/api/v1/volunteers/honours", json={
                "title": title, "level": ["national", "city", "district"][i % 3],
                "year": 2024, "holder_name": f"张{'一二三四五六'[i]}",
                "unit": unit(list(STATIONS)[i % 3]), "story": "热心公益，常年照顾孤寡老人",
                # 学雷锋"四个优秀" names one of its four kinds
                **({"lei_feng_kind": "volunteer"} if title == "lei_feng" else {})},
                headers=self.admin)

    def survey(self) -> None:
        """万和阳光社区 asks its residents; 20 answer."""
        operator = bearer("station_operator", "demo-op", "wanhe-yangguang", "kunhe", CENTRE)
        categories = ["free_clinic", "legal_aid", "cultural_performance", "policy_lecture",
                      "health_education"]
        made = self.call("requests", "POST", "/api/v1/requests/surveys", json={
            "unit": unit("wanhe-yangguang"), "title": "2026年居民服务需求调查",
            "categories": categories}, headers=operator)
        for i in range(20):
            chosen = [c for j, c in enumerate(categories) if (i + j) % (j + 2) == 0] or \
                ["free_clinic"]
            self.call("requests", "POST", f"/api/v1/requests/surveys/{made['survey_id']}/answers",
                      json={"chosen": chosen}, headers=bearer("resident", f"demo-res-{i}"))

    def orders(self) -> None:
        """Orders around the loop at 万和阳光社区."""
        for i, stars in enumerate((5, 4, 5, 2)):
            self.serve("home_health_check" if i % 2 == 0 else "legal_aid", stars, i)
        self.declined_then_served()
        self.cancelled()

    def place(self, category: str, resident: str) -> str:
        """A resident's order at 万和阳光社区; its id."""
        start = datetime.now(UTC) + timedelta(days=1)
        answers: dict[str, Any] = {"topic": "family"} if category == "legal_aid" else {}
        made = self.call("requests", "POST", "/api/v1/requests/orders", json={
            "unit": unit("wanhe-yangguang"), "category": category, "need": "演示工单：需要上门服务",
            "place": "万和阳光社区3号楼", "answers": answers,
            "window": {"start": start.isoformat(),
                       "end": (start + timedelta(hours=2)).isoformat()},
            "contact": {"name": "张三", "phone": "13812345678"}},
            headers=bearer("resident", resident, "wanhe-yangguang", "kunhe"))
        order_id: str = made["order_id"]
        return order_id

    def offer(self, order_id: str, past: frozenset[str] = frozenset()) -> tuple[str, str]:
        """(volunteer, assignment) the order is offered to now (not one of ``past``)."""
        def find() -> tuple[str, str] | None:
            for volunteer in self.volunteers.values():
                offers = self.call("volunteers", "GET", "/api/v1/volunteers/offers/mine",
                                   headers=bearer("volunteer", volunteer))
                for offer in offers:
                    if offer["order_id"] == order_id and not offer.get("withdrawn") \
                            and offer["assignment_id"] not in past:
                        return volunteer, offer["assignment_id"]
            return None
        return until(find, f"an offer of {order_id}")

    def serve(self, category: str, stars: int, n: int) -> str:
        """Placed, dispatched, accepted, checked in and out, completed, rated."""
        resident = f"demo-res-{n}"
        order_id = self.place(category, resident)
        volunteer, assignment = self.offer(order_id)
        me = bearer("volunteer", volunteer)
        path = "/api/v1/volunteers"
        self.call("volunteers", "POST", f"{path}/assignments/{assignment}/accept", json={},
                  headers=me)
        now = datetime.now(UTC)
        for step, at in (("check-in", now - timedelta(hours=2)),
                         ("check-out", now - timedelta(minutes=40))):
            self.call("volunteers", "POST", f"{path}/orders/{order_id}/{step}",
                      json={"at": at.isoformat()}, headers=me)
        self.call("volunteers", "POST", f"{path}/orders/{order_id}/complete",
                  json={"people_served": 1, "summary": "服务完成"}, headers=me)
        self.approve_hours(volunteer, order_id)
        rate = f"{self.urls['feedback']}/api/v1/feedback/orders/{order_id}/rating"
        until(lambda: httpx.post(rate, json={"stars": stars, "comment": "演示评价"}, timeout=30,
                                 headers=bearer("resident", resident)).status_code == 201,
              f"the rating of {order_id}")
        return order_id

    def approve_hours(self, volunteer: str, order_id: str) -> None:
        """The station approves hours the volunteer reported afterwards (checked in before
        the demo's accept, so they wait for approval like any late report)."""
        ledger = self.call("volunteers", "GET", f"/api/v1/volunteers/{volunteer}/hours",
                           headers=self.admin)
        operator = bearer("station_operator", "demo-op", "wanhe-yangguang", "kunhe")
        for entry in ledger["entries"]:
            if entry["order_id"] == order_id and entry["status"] == "pending":
                self.call("volunteers", "POST",
                          f"/api/v1/volunteers/hours/{entry['entry_id']}/approve",
                          json={"note": "站点核实：按签到签退时间"}, headers=operator)

    def declined_then_served(self) -> None:
        """The first assignee declines; dispatch finds another."""
        order_id = self.place("home_health_check", "demo-res-decline")
        volunteer, assignment = self.offer(order_id)
        self.call("volunteers", "POST", f"/api/v1/volunteers/assignments/{assignment}/decline",
                  json={"reason": "unavailable", "note": "那天在外地"},
                  headers=bearer("volunteer", volunteer))
        self.offer(order_id, past=frozenset({assignment}))  # dispatch found another

    def cancelled(self) -> None:
        """A resident changes their mind."""
        order_id = self.place("legal_aid", "demo-res-cancel")
        self.call("requests", "POST", f"/api/v1/requests/orders/{order_id}/cancel",
                  json={"reason": "withdrawn"},
                  headers=bearer("resident", "demo-res-cancel", "wanhe-yangguang", "kunhe"))

