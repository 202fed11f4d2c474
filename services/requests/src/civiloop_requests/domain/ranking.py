"""Demand per category from needs-survey answers, for one unit or rolled up over many."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict, Field


class Demand(BaseModel):
    """How many respondents asked for one category, and what share of respondents that is."""

    model_config = ConfigDict(frozen=True)

    category: str
    count: int = Field(ge=0)
    share: float = Field(ge=0, le=1)


class Ranking(BaseModel):
    """Categories by demand, highest first, ties broken by category code."""

    model_config = ConfigDict(frozen=True)

    respondents: int = Field(ge=0)
    demands: tuple[Demand, ...] = ()

    def counts(self) -> dict[str, int]:
        """The count per category, for rolling up."""
        return {d.category: d.count for d in self.demands}


def rank(counts: Mapping[str, int], respondents: int) -> Ranking:
    """Order ``counts``; a share is of respondents, so shares may add up to more than 1."""
    # Residents may choose several services: share of people, not of choices, is what a
    # station plans with ("40% of residents want a free clinic").
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    demands = tuple(Demand(category=code, count=count,
                           share=count / respondents if respondents else 0.0)
                    for code, count in ordered)
    return Ranking(respondents=respondents, demands=demands)


def roll_up(rankings: Iterable[Ranking]) -> Ranking:
    """One ranking over several units' rankings (stations → institute → centre)."""
    total: Counter[str] = Counter()
    respondents = 0
    for ranking in rankings:
        respondents += ranking.respondents
        total.update(ranking.counts())
        for code in ranking.counts():
            total.setdefault(code, 0)  # keep categories nobody chose: zero demand is news too
    return rank(total, respondents)
