"""The domain's refusals: the app layer logs and counts them, it never lets them crash a consumer."""

from __future__ import annotations


class DomainError(ValueError):
    """A rule of the requests domain refused an operation; the message says which and why."""


class ImpossibleTransition(DomainError):
    """An order was asked to take a step its current status does not allow."""

    def __init__(self, order_id: str, status: str, step: str) -> None:
        super().__init__(f"order {order_id}: cannot {step} while {status}")
        self.order_id, self.status, self.step = order_id, status, step


class NotAllowed(DomainError):
    """The actor may not do this to this order (e.g. a volunteer cancelling)."""


class UnknownCategory(DomainError):
    """A category code that is not on the menu."""


class InvalidAnswer(DomainError):
    """An answer to a category's extra question, or to a survey, breaks its rules."""


class AlreadyAnswered(DomainError):
    """A resident tried to answer the same needs survey twice."""


class UnknownSurvey(DomainError):
    """A survey id nobody published."""


class NotFound(DomainError):
    """What a path names (a category code, say) does not exist: 404, where a body naming the
    same unknown thing is bad input (422)."""


class UnknownOrder(DomainError):
    """An order id this service does not hold."""


class Conflict(DomainError):
    """The request contradicts an earlier one (e.g. an idempotency key reused)."""


class UnknownUnit(DomainError):
    """An order names a station, institute or centre that is not in the units tree."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field  # where in the order, e.g. ``unit.station``


class MisplacedUnit(DomainError):
    """A unit that does not fit the tree (unknown or wrong-level parent, a level change)."""


class UnknownActivity(DomainError):
    """An activity id nobody planned."""
