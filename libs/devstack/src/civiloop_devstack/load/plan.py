"""What a load run does: its district, its orders and who answers them, all from one seed."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from civiloop_contracts.events.intake import Channel, OrderRequested
from civiloop_contracts.values import Platform, Role, TimeWindow, UnitRef
from civiloop_devstack.demo import with_check_digit

# The menu's individual services (one volunteer each) and the answers each one requires.
SERVICES: tuple[tuple[str, Platform, dict[str, Any]], ...] = (
    ("home_health_check", Platform.SCIENCE, {"mobility_needs": True}),
    ("legal_aid", Platform.EDUCATION, {"topic": "family"}),
    ("party_member_service", Platform.THEORY, {}),
    ("farming_tech_advice", Platform.SCIENCE, {}),
)
SPECIALTIES = ["medicine_health", "law", "party_members", "science_tech"]
PLATFORMS = ["science", "education", "theory"]
STARS = (5, 5, 5, 4, 4, 3, 5, 4, 5, 2)  # mostly content; one in ten low enough to follow up


@dataclass(frozen=True)
class Order:
    """One order a station will publish, and how its resident will judge it."""

    n: int
    request: OrderRequested
    station: str
    stars: int
    at_kiosk: bool

    @property
    def resident(self) -> str:
        """The resident's pseudonymous id, as the station frontend knows them."""
        return self.request.resident_ref or ""


@dataclass
class LoadPlan:
    """A run: ``stations`` stations (five to an institute) sending ``orders`` at ``rate``/s."""

    stations: int = 20
    orders: int = 2000
    rate: float = 2.0
    volunteers_per_station: int = 3
    decline_share: float = 0.05
    kiosk_share: float = 0.25
    centre: str = "kunqu"
    tag: str = field(default_factory=lambda: f"{random.randrange(16**6):06x}")
    seed: int = 2026

    def __post_init__(self) -> None:
        if self.stations < 1 or self.orders < 1 or self.rate <= 0:
            raise ValueError("stations, orders and rate must be positive")
        if self.volunteers_per_station < 1:
            raise ValueError("volunteers_per_station must be at least 1")
        self.random = random.Random(self.seed)

    @property
    def institutes(self) -> list[str]:
        """The run's institute codes (a town per five stations)."""
        return [f"ld{self.tag}-i{i + 1}" for i in range((self.stations + 4) // 5)]

    def unit(self, s: int) -> UnitRef:
        """The UnitRef of station number ``s``."""
        return UnitRef(centre=self.centre, institute=self.institutes[s // 5],
                       station=f"ld{self.tag}-s{s + 1:02d}")

    def order(self, n: int, now: datetime | None = None) -> Order:
        """Order number ``n``: station round robin, services in turn, a fresh resident."""
        unit = self.unit(n % self.stations)
        category, platform, answers = SERVICES[n % len(SERVICES)]
        start = (now or datetime.now(UTC)) + timedelta(days=1, hours=n % 48)
        request = OrderRequested(
            request_id=f"ld{self.tag}-r{n:06d}", unit=unit, platform=platform,
            category=category, need=f"压测工单 {n}：请志愿者上门服务", place=f"{n % 30 + 1}号楼",
            window=TimeWindow(start=start, end=start + timedelta(hours=2)),
            requested_by=Role.RESIDENT, resident_ref=f"ld{self.tag}-res{n:06d}",
            channel=Channel.WECHAT, answers=answers)
        return Order(n, request, unit.station or "", STARS[self.random.randrange(len(STARS))],
                     self.random.random() < self.kiosk_share)

    def declines(self) -> bool:
        """Whether a volunteer turns this offer down (unavailable that day)."""
        return self.random.random() < self.decline_share

    def person(self) -> dict[str, str]:
        """A made-up phone and resident ID number (GB 11643 check digit) for a registration."""
        # Not from the seed: a second run must not register the first run's people again.
        born = datetime(1960, 1, 1) + timedelta(days=random.randrange(40 * 365))
        body = f"150203{born:%Y%m%d}{random.randrange(1000):03d}"
        return {"phone": f"139{random.randrange(10**8):08d}",
                "id_number": with_check_digit(body)}
