"""Satisfaction figures: average stars, count, share of 4–5 stars and share unrated.

Counted over outcomes: one per served round of an order that was rated (its current stars)
or lapsed unrated. Rounds still inside their rating window are not counted yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.values import Category, Id, Platform, Stars, UnitRef

SATISFIED = 4
"""4 or 5 stars count as satisfied."""


class Dimension(StrEnum):
    """What figures can be grouped by."""

    DISTRICT = "district"
    INSTITUTE = "institute"
    STATION = "station"
    CATEGORY = "category"
    PLATFORM = "platform"
    TEAM = "team"
    VOLUNTEER = "volunteer"


class Period(StrEnum):
    """How figures are split in time (by when the round was rated or lapsed)."""

    ALL = "all"
    DAY = "day"
    MONTH = "month"


class Outcome(BaseModel):
    """How one served round of an order ended: its current stars, or None when unrated."""

    order_id: Id
    round: int
    unit: UnitRef
    category: Category
    platform: Platform
    team_id: Id | None = None
    volunteer_ids: list[Id] = Field(default_factory=list)
    stars: Stars | None
    at: AwareDatetime

    def keys(self, by: Dimension) -> list[str]:
        """The groups this outcome counts in (a round served by three volunteers: three)."""
        match by:
            case Dimension.DISTRICT:
                return [self.unit.centre]
            case Dimension.INSTITUTE:
                return [self.unit.institute or "-"]
            case Dimension.STATION:
                return [self.unit.station or "-"]
            case Dimension.CATEGORY:
                return [self.category]
            case Dimension.PLATFORM:
                return [self.platform.value]
            case Dimension.TEAM:
                return [self.team_id or "-"]
            case Dimension.VOLUNTEER:
                return list(self.volunteer_ids)

    def period(self, period: Period) -> str:
        """The period this outcome falls in."""
        match period:
            case Period.ALL:
                return "all"
            case Period.DAY:
                return self.at.date().isoformat()
            case Period.MONTH:
                return self.at.strftime("%Y-%m")


class Figures(BaseModel):
    """Satisfaction of one group in one period."""

    key: str
    period: str
    rated: int
    unrated: int
    average: float | None
    share_satisfied: float | None = Field(description="Share of rated rounds with 4–5 stars.")
    share_unrated: float | None = Field(description="Share of ended rounds left unrated.")


def figures(outcomes: Iterable[Outcome], by: Dimension,
            period: Period = Period.ALL) -> list[Figures]:
    """The figures of every group and period, sorted by group then period."""
    stars: dict[tuple[str, str], list[int]] = defaultdict(list)
    unrated: dict[tuple[str, str], int] = defaultdict(int)
    for outcome in outcomes:
        for key in outcome.keys(by):
            group = (key, outcome.period(period))
            if outcome.stars is None:
                unrated[group] += 1
            else:
                stars[group].append(outcome.stars)
    return [_figures(group, stars.get(group, []), unrated.get(group, 0))
            for group in sorted(set(stars) | set(unrated))]


def _figures(group: tuple[str, str], stars: list[int], unrated: int) -> Figures:
    rated, ended = len(stars), len(stars) + unrated
    return Figures(
        key=group[0], period=group[1], rated=rated, unrated=unrated,
        average=round(sum(stars) / rated, 2) if rated else None,
        share_satisfied=round(sum(s >= SATISFIED for s in stars) / rated, 4) if rated else None,
        share_unrated=round(unrated / ended, 4) if ended else None)
