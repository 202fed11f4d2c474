"""A known stream of events for one small district, and the figures it must give.

Kun district (昆区) with two institutes and three stations; unit codes carry a random
suffix so that other tests' events on the same topics never land in these figures.
Day n is ``T0 + n days``; T0 is 1 May 2025, 09:00 in the district's time zone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from civiloop_contracts.events.dispatch import (
    AssignMode,
    EscalationCause,
    OrderDispatched,
    OrderEscalated,
    OrderUnassignable,
)
from civiloop_contracts.events.feedback import FeedbackGiven, FollowUpCause, FollowUpOpened
from civiloop_contracts.events.intake import Channel, SurveyAnswer
from civiloop_contracts.events.requests import (
    CancelReason,
    CloseOutcome,
    OrderCancelled,
    OrderClosed,
    OrderPlaced,
    OrderStatus,
    OrderStep,
    OrderStepRecorded,
    SurveyAnswered,
    SurveyChoice,
    SurveyPublished,
    SurveyQuestion,
)
from civiloop_contracts.events.service import (
    OrderAccepted,
    ServiceCompleted,
    ServiceHoursApproved,
    VolunteerHours,
)
from civiloop_contracts.events.volunteers import (
    HonourAwarded,
    HonourRevoked,
    OrganisationRegistered,
    TeamRegistered,
    TeamUpdated,
    VolunteerRegistered,
    VolunteerStatus,
    VolunteerUpdated,
)
from civiloop_contracts.payload import Payload
from civiloop_contracts.values import (
    HonourLevel,
    HonourTitle,
    Platform,
    Role,
    Specialty,
    TimeWindow,
    UnitLevel,
    UnitRef,
)

ZONE = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 5, 1, 9, 0, tzinfo=ZONE)


def day(n: float, minutes: float = 0) -> datetime:
    """``n`` days and ``minutes`` after T0."""
    return T0 + timedelta(days=n, minutes=minutes)


@dataclass
class District:
    """The unit codes of one test district."""

    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:6])

    @property
    def centre(self) -> str:
        return f"kq-{self.suffix}"

    @property
    def kunhe(self) -> str:
        return f"kh-{self.suffix}"

    @property
    def shaoxian(self) -> str:
        return f"sx-{self.suffix}"

    @property
    def wanhe(self) -> str:
        return f"wh-{self.suffix}"

    @property
    def hedong(self) -> str:
        return f"hd-{self.suffix}"

    @property
    def sanxing(self) -> str:
        return f"sx3-{self.suffix}"

    def ref(self, station: str) -> UnitRef:
        """The unit reference of a station as events carry it."""
        institute = self.shaoxian if station == self.sanxing else self.kunhe
        return UnitRef(centre=self.centre, institute=institute, station=station)

    def units(self) -> list[tuple[str, dict[str, object]]]:
        """The tree as the district admin PUTs it, parents first; population on stations."""
        def station(name: str, parent: str, residents: list[tuple[str, int]]) -> dict[str, object]:
            return {"name": name, "level": "station", "parent": parent,
                    "population": [{"since": s, "residents": r} for s, r in residents]}
        return [
            (self.centre, {"name": "昆区新时代文明实践中心", "name_en": "Kun District Centre",
                           "level": "centre"}),
            (self.kunhe, {"name": "昆河镇实践所", "level": "institute", "parent": self.centre}),
            (self.shaoxian, {"name": "少先路实践所", "level": "institute", "parent": self.centre}),
            (self.wanhe, station("万和阳光社区实践站", self.kunhe,
                                 [("2024-01-01", 1000), ("2025-06-01", 1200)])),
            (self.hedong, station("河东社区实践站", self.kunhe, [("2024-01-01", 500)])),
            (self.sanxing, station("三星社区实践站", self.shaoxian, [("2024-01-01", 500)])),
        ]


Step = tuple[Payload, datetime]


def _order(d: District, oid: str, station: str, platform: Platform, category: str,
           group: bool = False) -> OrderPlaced:
    return OrderPlaced(order_id=oid, unit=d.ref(station), platform=platform, category=category,
                       need="需要服务", place="社区活动室", channel=Channel.WECHAT,
                       window=TimeWindow(start=day(60), end=day(61)), group_activity=group,
                       audience_size=50 if group else 1)


def _served(d: District, oid: str, placed: datetime, minutes: tuple[int, int, int], people: int,
            hours: dict[str, float]) -> list[Step]:
    """Dispatched, accepted and completed ``minutes`` after ``placed``, hours approved."""
    to_dispatch, to_accept, to_complete = minutes
    lines = [VolunteerHours(volunteer_id=v, hours=h) for v, h in hours.items()]
    return [
        (OrderDispatched(order_id=oid, assignment_id=f"{oid}-a1", mode=AssignMode.DIRECTIVE,
                         level=UnitLevel.STATION, dispatching_unit=d.ref(d.wanhe),
                         volunteer_ids=list(hours), accept_deadline=day(90), score=0.8,
                         attempt=1), placed + timedelta(minutes=to_dispatch)),
        (OrderAccepted(order_id=oid, assignment_id=f"{oid}-a1", accepted_by=next(iter(hours)),
                       volunteer_ids=list(hours)), placed + timedelta(minutes=to_accept)),
        (ServiceCompleted(order_id=oid, assignment_id=f"{oid}-a1", hours=lines,
                          people_served=people), placed + timedelta(minutes=to_complete)),
        (ServiceHoursApproved(order_id=oid, approved_by="leader-1", hours=lines),
         placed + timedelta(minutes=to_complete + 60)),
    ]


def _people(d: District) -> list[Step]:
    """Volunteers, teams, an organisation and honours, with a move, a leave and a revocation."""
    def volunteer(vid: str, station: str) -> Step:
        return (VolunteerRegistered(volunteer_id=vid, display_name="王*", unit=d.ref(station)),
                day(0))

    def honour(hid: str, title: HonourTitle, level: HonourLevel, station: str) -> Step:
        return (HonourAwarded(honour_id=hid, title=title, level=level, year=2025,
                              holder_name="李*", unit=d.ref(station)), day(1))

    return [
        volunteer(f"v1-{d.suffix}", d.wanhe), volunteer(f"v2-{d.suffix}", d.wanhe),
        volunteer(f"v3-{d.suffix}", d.hedong), volunteer(f"v4-{d.suffix}", d.sanxing),
        volunteer(f"v5-{d.suffix}", d.wanhe), volunteer(f"v6-{d.suffix}", d.sanxing),
        (VolunteerUpdated(volunteer_id=f"v5-{d.suffix}", status=VolunteerStatus.LEFT), day(20)),
        (VolunteerUpdated(volunteer_id=f"v6-{d.suffix}", unit=d.ref(d.wanhe)), day(10)),
        (TeamRegistered(team_id=f"t1-{d.suffix}", name="文艺队", specialty=Specialty.CULTURE_SPORT,
                        platform=Platform.CULTURE, unit=d.ref(d.wanhe)), day(0)),
        (TeamRegistered(team_id=f"t2-{d.suffix}", name="健身队", specialty=Specialty.CULTURE_SPORT,
                        platform=Platform.FITNESS, unit=d.ref(d.sanxing)), day(0)),
        (TeamUpdated(team_id=f"t2-{d.suffix}", active=False), day(15)),
        (OrganisationRegistered(organisation_id=f"org1-{d.suffix}", name="昆河志愿者协会",
                                unit=UnitRef(centre=d.centre, institute=d.kunhe)), day(0)),
        honour(f"h1-{d.suffix}", HonourTitle.MORAL_MODEL, HonourLevel.NATIONAL, d.wanhe),
        honour(f"h2-{d.suffix}", HonourTitle.GOOD_PERSON, HonourLevel.CITY, d.sanxing),
        honour(f"h3-{d.suffix}", HonourTitle.GOOD_PERSON, HonourLevel.CITY, d.hedong),
        (HonourRevoked(honour_id=f"h3-{d.suffix}", reason="核实有误"), day(12)),
    ]


def _lines(oid: str, *lines: tuple[datetime, str, str] | tuple[datetime, str, str, str]
           ) -> list[Step]:
    """requests' timeline of ``oid``: an OrderStepRecorded per (time, step, status[, outcome])."""
    return [(OrderStepRecorded(order_id=oid, seq=seq, step=OrderStep(line[1]),
                               status=OrderStatus(line[2]), actor=Role.SERVICE,
                               outcome=CloseOutcome(line[3]) if len(line) > 3 else None),
             line[0]) for seq, line in enumerate(lines)]


def _served_lines(placed: datetime, minutes: tuple[int, int, int]
                  ) -> list[tuple[datetime, str, str]]:
    """The lines requests records for the reports of ``_served``."""
    return [(placed, "place", "placed"),
            (placed + timedelta(minutes=minutes[0]), "dispatch", "dispatched"),
            (placed + timedelta(minutes=minutes[1]), "accept", "accepted"),
            (placed + timedelta(minutes=minutes[2]), "complete", "completed")]


def _rated(at: datetime) -> list[tuple[datetime, str, str] | tuple[datetime, str, str, str]]:
    """The rating's two lines: rated, then closed as rated."""
    return [(at, "rate", "rated"), (at, "close", "closed", "rated")]


def _orders(d: District) -> list[Step]:
    """Seven orders: served and rated, closed unrated, unassignable, cancelled, one in June.

    Each order's life is requests' timeline (OrderStepRecorded); the reports of dispatch,
    volunteers and feedback come too, and one requests ignored: o5's late dispatch.
    """
    s = d.suffix
    v1, v2, v3, v6 = (f"v{n}-{s}" for n in (1, 2, 3, 6))
    steps: list[Step] = [
        (_order(d, f"o1-{s}", d.wanhe, Platform.SCIENCE, "health_check"), day(1)),
        *_served(d, f"o1-{s}", day(1), (10, 30, 120), 1, {v1: 2.0}),
        (FeedbackGiven(order_id=f"o1-{s}", feedback_id=f"f1-{s}", stars=5), day(2)),
        (OrderClosed(order_id=f"o1-{s}", outcome=CloseOutcome.RATED, stars=5), day(2)),
        *_lines(f"o1-{s}", *_served_lines(day(1), (10, 30, 120)), *_rated(day(2))),
        (_order(d, f"o2-{s}", d.wanhe, Platform.CULTURE, "performance", group=True), day(2)),
        *_served(d, f"o2-{s}", day(2), (20, 60, 240), 50, {v1: 3.0, v2: 3.0}),
        (FeedbackGiven(order_id=f"o2-{s}", feedback_id=f"f2-{s}", stars=4), day(3)),
        *_lines(f"o2-{s}", *_served_lines(day(2), (20, 60, 240)), *_rated(day(3))),
        (_order(d, f"o3-{s}", d.hedong, Platform.EDUCATION, "tutoring"), day(3)),
        *_served(d, f"o3-{s}", day(3), (30, 90, 300), 1, {v3: 1.5}),
        # The hours are approved again, corrected: the later approval is the one that counts.
        (ServiceHoursApproved(order_id=f"o3-{s}", approved_by="leader-1",
                              hours=[VolunteerHours(volunteer_id=v3, hours=2.5)]), day(4)),
        (OrderClosed(order_id=f"o3-{s}", outcome=CloseOutcome.UNRATED), day(10)),
        *_lines(f"o3-{s}", *_served_lines(day(3), (30, 90, 300)),
                (day(10), "close", "closed", "unrated")),
        (_order(d, f"o4-{s}", d.sanxing, Platform.FITNESS, "fitness_class"), day(4)),
        (OrderEscalated(order_id=f"o4-{s}", from_level=UnitLevel.STATION,
                        to_level=UnitLevel.INSTITUTE, to_unit=UnitRef(centre=d.centre,
                                                                      institute=d.shaoxian),
                        cause=EscalationCause.EXPIRED), day(4, 60)),
        (OrderUnassignable(order_id=f"o4-{s}", level=UnitLevel.CENTRE, attempts=3), day(4, 120)),
        (OrderClosed(order_id=f"o4-{s}", outcome=CloseOutcome.UNASSIGNABLE), day(4, 120)),
        *_lines(f"o4-{s}", (day(4), "place", "placed"), (day(4, 60), "escalate", "escalated"),
                (day(4, 120), "mark_unassignable", "unassignable", "unassignable")),
        (_order(d, f"o5-{s}", d.wanhe, Platform.THEORY, "policy_lecture"), day(5)),
        (OrderCancelled(order_id=f"o5-{s}", reason=CancelReason.WITHDRAWN,
                        cancelled_by=Role.RESIDENT), day(5, 5)),
        *_lines(f"o5-{s}", (day(5), "place", "placed"),
                (day(5, 5), "cancel", "cancelled", "cancelled")),
        # Dispatch had not heard of the cancel: requests ignored this one, and so must stats.
        (OrderDispatched(order_id=f"o5-{s}", assignment_id=f"o5-{s}-a1",
                         mode=AssignMode.DIRECTIVE, level=UnitLevel.STATION,
                         dispatching_unit=d.ref(d.wanhe), volunteer_ids=[v1],
                         accept_deadline=day(90), score=0.5, attempt=1), day(5, 6)),
        (_order(d, f"o6-{s}", d.wanhe, Platform.SCIENCE, "health_check"), day(6)),
        *_served(d, f"o6-{s}", day(6), (40, 100, 200), 1, {v6: 1.5}),
        (FeedbackGiven(order_id=f"o6-{s}", feedback_id=f"f6-{s}", stars=2), day(7)),
        *_lines(f"o6-{s}", *_served_lines(day(6), (40, 100, 200)), *_rated(day(7))),
        (FollowUpOpened(order_id=f"o6-{s}", follow_up_id=f"fu6-{s}",
                        cause=FollowUpCause.LOW_RATING, stars=2), day(7)),
        (_order(d, f"o7-{s}", d.wanhe, Platform.SCIENCE, "health_check"), day(40)),
        (OrderDispatched(order_id=f"o7-{s}", assignment_id=f"o7-{s}-a1",
                         mode=AssignMode.GRAB, level=UnitLevel.STATION,
                         dispatching_unit=d.ref(d.wanhe), volunteer_ids=[v1],
                         accept_deadline=day(90), score=0.5, attempt=1), day(40, 50)),
        *_lines(f"o7-{s}", (day(40), "place", "placed"), (day(40, 50), "dispatch", "dispatched")),
    ]
    return steps


def _survey(d: District) -> list[Step]:
    """A needs survey at 万和阳光 and three residents' answers."""
    s = d.suffix
    question = SurveyQuestion(question_id="q1", text="您需要哪些服务?", multiple=True, choices=[
        SurveyChoice(choice_id="c1", label="文艺演出", platform=Platform.CULTURE,
                     category="performance"),
        SurveyChoice(choice_id="c2", label="科普讲座", platform=Platform.SCIENCE,
                     category="science_popularisation"),
        SurveyChoice(choice_id="c3", label="legal aid")])

    def answer(rid: str, choices: list[str]) -> Step:
        return (SurveyAnswered(survey_id=f"s1-{s}", response_id=f"{rid}-{s}", unit=d.ref(d.wanhe),
                               answers=[SurveyAnswer(question_id="q1", choice_ids=choices)]),
                day(8))

    return [(SurveyPublished(survey_id=f"s1-{s}", unit=d.ref(d.wanhe), title="需求调查",
                             questions=[question]), day(7)),
            answer("r1", ["c1", "c2"]), answer("r2", ["c1"]), answer("r3", ["c1", "c3"])]


def known_stream(d: District) -> list[Step]:
    """Every event of the test district, each with the time it happened."""
    return [*_people(d), *_orders(d), *_survey(d)]


MAY_31 = "2025-05-31"  # as of the end of that day: o7 (10 June) not yet placed
MAY_5 = "2025-05-05"  # day 4: before the leave, the move, the revocation, the unrated close

EXPECTED_MAY_31 = {
    "registered_volunteers": 5, "population": 2000, "registration_rate": 0.0025,
    "organisations": 1, "teams": 1, "honours": 2,
    "orders_placed": 6, "orders_dispatched": 4, "orders_accepted": 4, "orders_completed": 4,
    "orders_rated": 3, "orders_closed_unrated": 1, "orders_cancelled": 1,
    "orders_escalated": 1, "orders_unassignable": 1, "activities_held": 1, "people_served": 53,
    "service_hours": 12.0, "hours_per_registered_volunteer": 2.4, "active_volunteers": 4,
    "hours_per_active_volunteer": 3.0,
    "dispatch_median_min": 25.0, "dispatch_p90_min": 37.0,
    "accept_median_min": 75.0, "accept_p90_min": 97.0,
    "complete_median_min": 220.0, "complete_p90_min": 282.0,
    "average_stars": 3.67, "share_4_5_stars": 0.6667, "share_unrated": 0.25,
    "open_follow_ups": 1,
}
"""The district on 31 May 2025, worked out by hand from the stream above."""

EXPECTED_MAY_5 = {
    "registered_volunteers": 6, "population": 2000, "registration_rate": 0.003,
    "teams": 2, "honours": 3, "orders_placed": 4, "orders_dispatched": 3,
    "orders_closed_unrated": 0, "orders_unassignable": 1, "orders_cancelled": 0,
    "service_hours": 10.5, "hours_per_registered_volunteer": 1.75, "dispatch_median_min": 20.0,
    "open_follow_ups": 0, "people_served": 52,
}
"""The same district as it stood at the end of 5 May 2025."""
