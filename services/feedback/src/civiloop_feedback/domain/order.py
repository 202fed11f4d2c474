"""What the feedback service knows of an order: who may rate it, where, what, who served.

A read model built from requests' and volunteers' events (never by asking them). It holds
one service round at a time: a reopen starts a new round, which is completed and rated anew.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.values import Category, Id, Platform, Role, UnitRef
from civiloop_feedback.domain.errors import (
    AlreadyRated,
    NotCompleted,
    NotYours,
    RatingWindowClosed,
    UnknownOrder,
)
from civiloop_feedback.domain.rater import Rater


class Placement(BaseModel):
    """The order as placed: where, what, and the pseudonymous resident who may rate it."""

    unit: UnitRef
    category: Category
    platform: Platform
    resident_id: Id | None = None
    requested_by: Role = Role.RESIDENT


class Service(BaseModel):
    """Who served the current round, and when it was completed."""

    completed_at: AwareDatetime
    team_id: Id | None = None
    volunteer_ids: list[Id] = Field(default_factory=list)
    people_served: int = 1


class ServedOrder(BaseModel):
    """One order as this service sees it; ``placement`` is None until OrderPlaced arrives."""

    order_id: Id
    round: int = 1
    placement: Placement | None = None
    service: Service | None = None
    cancelled: bool = False  # or closed unserved (a duplicate, unassignable): never rated
    rated: bool = False
    lapsed: bool = False
    # Intake ratings parked for this order, counted on the order's document so that parking
    # and recording the completion write the same document: they cannot miss each other.
    parked: int = 0

    def check_rater(self, rater: Rater) -> Placement:
        """The placement, if ``rater`` may rate this order at all (whatever its state)."""
        if self.placement is None:
            raise UnknownOrder(f"order {self.order_id} is not known here")
        if rater.role is Role.RESIDENT:
            if self.placement.resident_id != rater.subject:
                raise NotYours(f"order {self.order_id} was not placed by this resident")
        elif not rater.covers(self.placement.unit):
            raise NotYours(f"order {self.order_id} belongs to another station")
        return self.placement

    def check_ratable(self, rater: Rater) -> tuple[Placement, Service]:
        """Placement and service, if ``rater`` may give this round's first rating now."""
        placement = self.check_rater(rater)
        if self.cancelled or self.service is None:
            raise NotCompleted(f"order {self.order_id} is not completed")
        if self.lapsed:
            raise RatingWindowClosed(f"order {self.order_id} was closed unrated")
        if self.rated:
            raise AlreadyRated(f"order {self.order_id} is rated already")
        return placement, self.service

    @property
    def awaits_completion(self) -> bool:
        """True when the order is placed and live but its round is not served yet."""
        return self.placement is not None and self.service is None and not self.cancelled

    def complete(self, service: Service) -> bool:
        """Record the round's completion; False for a repeated report of it."""
        if self.service is not None:
            return False
        self.service = service
        return True

    def reopen(self, round_: int) -> bool:
        """Start service round ``round_`` (a reopen); False if it was started already."""
        if round_ <= self.round:
            return False
        self.round, self.service, self.rated, self.lapsed = round_, None, False, False
        return True

    def record_rating(self, rater: Rater) -> tuple[Placement, Service]:
        """Mark the round rated, if ``rater`` may rate it now; its placement and service."""
        placement, service = self.check_ratable(rater)
        self.rated = True
        return placement, service

    def rate_by(self, lapse_after: timedelta) -> datetime | None:
        """When this round closes unrated, if it is served and still waits for a rating."""
        if self.placement is None or self.service is None or self.rated or self.lapsed \
                or self.cancelled:
            return None
        return self.service.completed_at + lapse_after

    def lapse(self, now: datetime, lapse_after: timedelta) -> datetime | None:
        """Close the round unrated if its rating window passed by ``now``; the deadline if so."""
        rate_by = self.rate_by(lapse_after)
        if rate_by is None or rate_by > now:
            return None
        self.lapsed = True
        return rate_by
